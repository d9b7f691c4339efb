/**
 * The shipped lessons (`lessons/NN-name.yaml`), in their order, and how a trainee names one: its number
 * (`1`), its name with or without the number (`free-states`, `01-free-states`), or a path to a file.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hint } from '../scenario/suggest.ts';

export const LESSON_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../lessons');

export interface LessonFile {
  /** 1, 2, ... from the file's number. */
  readonly number: number;
  /** The name without its number: `free-states`. */
  readonly name: string;
  readonly path: string;
}

export function lessonFiles(dir = LESSON_DIR): LessonFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^\d+-.+\.yaml$/.test(f))
    .sort()
    .map((f) => {
      const [, n, name] = /^(\d+)-(.+)\.yaml$/.exec(f) ?? [];
      return { number: Number(n), name, path: join(dir, f) };
    });
}

/** The lesson file `arg` names; a message saying which there are when it names none. */
export function findLesson(arg: string, dir = LESSON_DIR): LessonFile | string {
  const files = lessonFiles(dir);
  const stem = basename(arg).replace(/\.yaml$/, '');
  const found = files.find(
    (f) => String(f.number) === arg || f.name === stem || basename(f.path, '.yaml') === stem,
  );
  if (found && (found.path === resolve(arg) || !arg.includes('/'))) return found;
  if (arg.includes('/') || arg.endsWith('.yaml')) {
    if (existsSync(arg)) return { number: 0, name: stem, path: arg };
    return `lesson "${arg}": no such file`;
  }
  const names = files.map((f) => f.name);
  return `lesson "${arg}": no such lesson (${hint(arg, names)}; memvisor lesson lists them)`;
}
