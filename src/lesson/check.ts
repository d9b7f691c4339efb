/**
 * `memvisor lesson NAME --check`: the lesson's model solution, run headless (drive.ts): every key pressed
 * straight into the real dashboard controller, the host ticked as fast as it goes. Each watch must
 * happen, each task pass after its solution, each question's answer be what the host shows. With `idle`
 * the trainee does nothing (reads, answers, goes on, sends nothing): then every task must fail, or the
 * lesson passes without teaching anything.
 */
import type { Lesson } from '../scenario/lesson.ts';
import type { CompareSession } from '../session/compare-session.ts';
import type { Session } from '../session/session.ts';
import type { Controller } from '../ui/controller.ts';
import {
  benchController,
  type Drive,
  type DriveOptions,
  driveLesson,
  openBench,
  type StepReport,
} from './drive.ts';
import type { LessonShell } from './shell.ts';

export { type StepReport, TASK_LIMIT } from './drive.ts';

export interface CheckOptions extends DriveOptions {
  readonly seed?: number;
}

/** Runs the lesson; one report per step, in order. */
export async function checkLesson(lesson: Lesson, options: CheckOptions = {}): Promise<StepReport[]> {
  const bench = openBench(lesson, options.seed === undefined ? {} : { seed: options.seed });
  try {
    return await driveLesson(bench, headless(bench.controller, bench.session), options);
  } finally {
    bench.close();
  }
}

/** Keys straight into the controller, the host ticked as fast as it goes. */
function headless(controller: Controller, session: Session | CompareSession): Drive {
  return {
    press: async (k) => {
      const printable = k.bytes.length === 1 && k.bytes >= ' ' && k.bytes !== '\x7f';
      await controller.key({ name: k.key, ...(printable ? { text: k.bytes } : {}) });
    },
    tick: async () => {
      session.tick();
      // What the trainee sees is the newest snapshot (the dashboard redraws every 2 s; a check, every tick).
      controller.refresh();
      // The lesson's pause and resume wait for the tick to end: let them through.
      await new Promise<void>((r) => setImmediate(r));
    },
    read: async () => {},
  };
}

/**
 * Takes a lesson under way on the dashboard's host to the beginning of step `step` (from 1) with its
 * model solution, headless: where a trainee who stopped there goes on. The shell is then the trainee's
 * (start it again with their view).
 */
export async function replayTo(
  shell: LessonShell,
  session: Session | CompareSession,
  step: number,
): Promise<void> {
  const controller = benchController(shell, session);
  try {
    await driveLesson({ shell, controller, session }, headless(controller, session), { stopAt: step - 1 });
  } finally {
    shell.stop();
    shell.onChange = undefined;
    controller.stop();
  }
}
