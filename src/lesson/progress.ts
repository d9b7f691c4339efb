/**
 * A trainee's progress, in $XDG_STATE_HOME/memvisor/progress.json (or ~/.local/state/...): per lesson,
 * which steps are done, the hints asked for and the time taken. A step once passed stays done; its
 * hints and time are those of the latest try. Reading is forgiving: a missing file is no progress, and a
 * file that is not what memvisor wrote is set aside with a warning (never a crash, never lost: it is
 * renamed, not overwritten). Writes go to a temporary file renamed into place.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { StepResult } from './run.ts';

const StepRecord = z.object({
  /** Passed at some try. */
  done: z.boolean(),
  /** The latest try: passed or failed, hints asked for, seconds taken. */
  last: z.enum(['passed', 'failed']),
  hints: z.number().int().min(0),
  seconds: z.number().min(0),
});

const LessonRecord = z.object({
  title: z.string(),
  steps: z.number().int().min(1),
  /** By step number, from 1. */
  results: z.record(z.string(), StepRecord),
  /** The latest try reached the end. */
  finished: z.boolean(),
  updated: z.string(),
});

const ProgressFile = z.object({ version: z.literal(1), lessons: z.record(z.string(), LessonRecord) });

export type LessonProgress = z.output<typeof LessonRecord>;

export function progressPath(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_STATE_HOME && env.XDG_STATE_HOME !== '' ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(base, 'memvisor', 'progress.json');
}

export class ProgressStore {
  private lessons: Record<string, LessonProgress> = {};
  /** Why the file on disk was not read, if it was not. */
  readonly warning: string | null = null;

  constructor(
    readonly path: string = progressPath(),
    private readonly now: () => Date = () => new Date(),
  ) {
    if (!existsSync(path)) return;
    try {
      const parsed = ProgressFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      if (parsed.success) {
        this.lessons = parsed.data.lessons;
        return;
      }
      throw new Error('not a memvisor progress file');
    } catch (e) {
      const aside = `${path}.unreadable`;
      renameSync(path, aside);
      this.warning = `${path}: ${(e as Error).message}; set aside as ${aside}, progress starts afresh`;
    }
  }

  get(name: string): LessonProgress | undefined {
    return this.lessons[name];
  }

  /** A step ended: recorded and written at once, so that quitting loses nothing. */
  record(name: string, title: string, steps: number, r: StepResult): void {
    const prev = this.lessons[name];
    const key = String(r.index + 1);
    const before = prev?.results[key];
    const results = {
      ...(prev?.results ?? {}),
      [key]: {
        done: (before?.done ?? false) || r.status === 'passed',
        last: r.status,
        hints: r.hintsAsked,
        seconds: Math.round(r.seconds),
      },
    };
    this.lessons[name] = {
      title,
      steps,
      results,
      finished: r.index + 1 === steps,
      updated: this.now().toISOString(),
    };
    this.save();
  }

  /** Forgets everything. */
  reset(): void {
    this.lessons = {};
    rmSync(this.path, { force: true });
  }

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ version: 1, lessons: this.lessons }, null, 2)}\n`);
    renameSync(tmp, this.path);
  }
}

/** One line on a lesson's progress: `7/10 steps done, 2 hints, 9 min`, or `not started`. */
export function progressLine(p: LessonProgress | undefined): string {
  if (!p) return 'not started';
  const results = Object.values(p.results);
  const done = results.filter((r) => r.done).length;
  const hints = results.reduce((n, r) => n + r.hints, 0);
  const minutes = Math.max(1, Math.round(results.reduce((n, r) => n + r.seconds, 0) / 60));
  const state = done === p.steps ? 'every step done' : `${done}/${p.steps} steps done`;
  const end = p.finished ? ', to the end' : '';
  return `${state}${end}, ${hints} hint${hints === 1 ? '' : 's'}, ${minutes} min`;
}
