/**
 * `memvisor lesson [NAME]`: the list of lessons with the trainee's progress; a lesson on the dashboard
 * with its lesson pane; `--check` runs its model solution headless (and `--idle` does nothing, to show
 * that its tasks then fail); `--record FILE` writes the model solution as asciicast; `--reset` forgets
 * the progress.
 */
import { relative } from 'node:path';
import { findLesson, lessonFiles } from '../lesson/catalog.ts';
import { checkLesson } from '../lesson/check.ts';
import { loadLesson } from '../scenario/lesson.ts';
import { UsageError } from './usage-error.ts';

export interface LessonCommandOptions {
  readonly check?: boolean;
  readonly idle?: boolean;
  readonly seed?: number;
}

export async function runLessonCommand(name: string | undefined, opts: LessonCommandOptions): Promise<void> {
  if (name === undefined) {
    if (opts.check || opts.idle) {
      // Every shipped lesson, in order: the command .ci/run uses.
      let sound = true;
      for (const f of lessonFiles()) if (!(await reportCheck(loadLesson(f.path), opts))) sound = false;
      process.exitCode = sound ? 0 : 1;
      return;
    }
    listLessons();
    return;
  }
  const file = findLesson(name);
  if (typeof file === 'string') throw new UsageError(file);
  const lesson = loadLesson(file.path);
  if (opts.check || opts.idle) {
    process.exitCode = (await reportCheck(lesson, opts)) ? 0 : 1;
    return;
  }
  throw new UsageError('lesson: the dashboard with a lesson pane is not there yet: use --check');
}

function listLessons(): void {
  for (const f of lessonFiles()) {
    const l = loadLesson(f.path);
    console.log(
      `${String(f.number).padStart(2)}  ${f.name.padEnd(22)} ${String(l.minutes).padStart(2)} min  ${l.title}`,
    );
  }
}

/** Prints a line per step; true when the lesson is sound (every step passes, or with --idle every task fails). */
async function reportCheck(
  lesson: ReturnType<typeof loadLesson>,
  opts: LessonCommandOptions,
): Promise<boolean> {
  const idle = opts.idle === true;
  const near = relative(process.cwd(), lesson.file);
  const file = near.startsWith('..') || near === '' ? lesson.file : near;
  let sound = true;
  await checkLesson(lesson, {
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    idle,
    onStep: (r) => {
      const ok = idle ? r.step.kind !== 'task' || !r.passed : r.passed;
      if (!ok) sound = false;
      const mark = ok ? 'ok  ' : 'FAIL';
      const expect = idle && r.step.kind === 'task' ? ' (the trainee did nothing: it must fail)' : '';
      console.log(
        `${mark} ${file}:${r.step.line}: step ${r.step.index + 1} ${r.step.kind}: ${r.detail}${expect}`,
      );
    },
  });
  console.log(
    sound
      ? `${file}: ${idle ? 'every task fails when the trainee does nothing' : 'every step passes with the model solution'}`
      : `${file}: broken lesson`,
  );
  return sound;
}
