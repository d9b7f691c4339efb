/**
 * `memvisor lesson NAME --check`: the lesson's model solution, run headless against the real dashboard
 * controller (the keys and the `:` line a trainee uses, no terminal) through the same host link as the
 * dashboard, the session ticked as fast as it goes, step by step: each watch must happen, each task pass after its solution, each question's
 * answer be one of its choices. With `idle` the trainee does nothing (reads, answers, sends nothing):
 * then every task must fail, or the lesson passes without teaching anything.
 */
import type { Lesson, LessonStep, SolutionAction } from '../scenario/lesson.ts';
import type { Keystroke } from '../scenario/script-keys.ts';
import { LocalLink } from '../session/link.ts';
import { Controller } from '../ui/controller.ts';
import { Condition } from './expr-eval.ts';
import { lessonScreen, lessonSession, TraineeLink, viewOf } from './host.ts';
import { LessonRun } from './run.ts';

/** Simulated seconds a task without a time limit is given in a check. */
export const TASK_LIMIT = 300;

export interface StepReport {
  readonly step: LessonStep;
  readonly passed: boolean;
  /** What happened, in a few words: `passed at t=95s`, `failed: time was up after 120s`. */
  readonly detail: string;
}

export interface CheckOptions {
  readonly seed?: number;
  /** The trainee does nothing: no solution is run. */
  readonly idle?: boolean;
  /** Each step as it ends. */
  readonly onStep?: (report: StepReport) => void;
}

/** Runs the lesson; one report per step, in order (it stops at the first step that cannot end). */
export async function checkLesson(lesson: Lesson, options: CheckOptions = {}): Promise<StepReport[]> {
  const session = lessonSession(lesson, options.seed);
  const run = new LessonRun(lesson, () => session.snapshot.t);
  const link = new LocalLink(session);
  const controller = new Controller(new TraineeLink(link, run), {
    screen: lessonScreen(lesson, session.snapshot),
    cols: 120,
    rows: 40,
    sampler: false,
    refreshTimer: false,
  });
  const reports: StepReport[] = [];
  const observe = (): void => {
    controller.refresh();
    const hosts = link.compare?.hosts;
    run.observe({ snapshot: session.snapshot, view: viewOf(controller), ...(hosts ? { hosts } : {}) });
  };
  const tick = (): void => {
    session.tick();
    observe();
  };
  const active = (): boolean => run.state?.status === 'active';
  const press = async (k: Keystroke): Promise<void> => {
    const printable = k.bytes.length === 1 && k.bytes >= ' ' && k.bytes !== '\x7f';
    await controller.key({ name: k.key, ...(printable ? { text: k.bytes } : {}) });
    observe();
  };
  /** One action of the model solution; a refused command is the solution's fault, and says so. */
  const act = async (a: SolutionAction): Promise<string | undefined> => {
    if (a.kind === 'wait') {
      const until = session.snapshot.t + a.seconds;
      while (session.snapshot.t < until - 1e-9 && active()) tick();
      return undefined;
    }
    if (a.kind === 'keys') {
      for (const k of a.keys) await press(k);
      return undefined;
    }
    for (const ch of `:${a.text}`) await press({ name: ch, bytes: ch, key: ch === ' ' ? 'space' : ch });
    await press({ name: 'Enter', bytes: '\r', key: 'enter' });
    const o = controller.ui.overlay;
    if (o?.kind === 'command') {
      await press({ name: 'Esc', bytes: '\x1b', key: 'escape' });
      return `the model solution's "${a.text}" was refused: ${o.line.error ?? 'no reason given'}`;
    }
    return undefined;
  };

  try {
    run.begin(session.snapshot.t);
    observe();
    while (!run.finished) {
      const step = run.step;
      if (!step) break;
      let detail = '';
      if (step.kind === 'question') {
        run.answer(step.answer);
        // The right answer must be what the host shows at that moment.
        if (step.holds && run.last && !new Condition(step.holds.expr).observe(run.input(run.last))) {
          detail = `the answer is not what the host shows: ${step.holds.text} is false at t=${session.snapshot.t}s`;
        }
      }
      if (step.kind === 'task' && !options.idle) {
        for (const a of step.solution) {
          const refused = await act(a);
          if (refused) {
            detail = refused;
            run.skip();
            break;
          }
        }
      }
      if (step.kind === 'watch' || step.kind === 'task') {
        const limit = step.kind === 'watch' ? step.within : (step.within ?? TASK_LIMIT);
        while (active() && (run.state?.elapsed ?? 0) < limit) tick();
        if (active()) run.skip();
      }
      const t = session.snapshot.t;
      const state = run.state;
      run.next(t);
      // The next step sees the host as it is when it begins, before any tick.
      observe();
      const result = run.results[run.results.length - 1];
      const passed = result.status === 'passed' && !detail;
      if (!detail) {
        detail = passed
          ? `passed at t=${t}s${step.kind === 'watch' || step.kind === 'task' ? ` (after ${state?.elapsed ?? 0}s)` : ''}`
          : `failed: ${result.reason ?? 'no reason'}`;
      }
      const report = { step, passed, detail };
      reports.push(report);
      options.onStep?.(report);
    }
    return reports;
  } finally {
    controller.stop();
    session.close();
  }
}
