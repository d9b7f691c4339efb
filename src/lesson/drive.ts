/**
 * A lesson taken by its model solution (or by a trainee who does nothing), step by step, the way a
 * trainee takes it: on the real dashboard controller with the lesson's pane and keys, through the host
 * link, every action a key (`Tab` to go on, a digit to answer, the `:` line for commands). The check
 * (check.ts) presses the keys straight into the controller and ticks as fast as it can; the recorder
 * (cli/lesson-record.ts) sends them through Ink as a terminal would and keeps time for the recording.
 */

import { DEFAULT_ESX_LAYOUT } from '../render/esxtop.ts';
import { DEFAULT_XEN_LAYOUT } from '../render/xentop.ts';
import type { Lesson, LessonStep, SolutionAction } from '../scenario/lesson.ts';
import { type Keystroke, keystroke } from '../scenario/script-keys.ts';
import type { CompareSession } from '../session/compare-session.ts';
import { LocalLink } from '../session/link.ts';
import type { Session } from '../session/session.ts';
import { DEFAULT_DELAY } from '../ui/config.ts';
import { Controller } from '../ui/controller.ts';
import { Condition } from './expr-eval.ts';
import { lessonScreen, lessonSession, viewOf } from './host.ts';
import { LessonShell } from './shell.ts';

/** Simulated seconds a task without a time limit is given when no one does it. */
export const TASK_LIMIT = 300;

export interface StepReport {
  readonly step: LessonStep;
  readonly passed: boolean;
  /** What happened, in a few words: `passed at t=95s`, `failed: time was up after 120s`. */
  readonly detail: string;
}

/** A lesson's host, link, lesson and dashboard controller, as the check and the recorder use them. */
export interface Bench {
  readonly session: Session | CompareSession;
  readonly link: LocalLink;
  readonly shell: LessonShell;
  readonly controller: Controller;
  close(): void;
}

export interface BenchOptions {
  readonly seed?: number;
  readonly cols?: number;
  readonly rows?: number;
  /** The lesson's clock for time taken (simulated or recorded time; never the wall clock here). */
  readonly now?: () => number;
  readonly number?: number;
}

/** A dashboard controller without a terminal on the lesson's host, the lesson started on it. */
export function benchController(
  shell: LessonShell,
  session: Session | CompareSession,
  cols = 120,
  rows = 40,
): Controller {
  const controller = new Controller(shell.link, {
    screen: lessonScreen(shell.lesson, session.snapshot),
    // No saved layout: the same lesson looks the same for everyone.
    layout: { delay: DEFAULT_DELAY, esxtop: DEFAULT_ESX_LAYOUT, xentop: DEFAULT_XEN_LAYOUT },
    cols,
    rows,
    sampler: false,
    refreshTimer: false,
    lesson: shell,
  });
  shell.onChange = () => controller.refresh(true);
  shell.start(() => viewOf(controller));
  return controller;
}

export function openBench(lesson: Lesson, options: BenchOptions = {}): Bench {
  const session = lessonSession(lesson, options.seed);
  const link = new LocalLink(session);
  const shell = new LessonShell(lesson, link, {
    now: options.now ?? (() => session.snapshot.t),
    ...(options.number ? { number: options.number } : {}),
  });
  const controller = benchController(shell, session, options.cols, options.rows);
  return {
    session,
    link,
    shell,
    controller,
    close() {
      shell.stop();
      controller.stop();
      session.close();
    },
  };
}

/** How the keys reach the dashboard and time passes: straight in (a check), or through a terminal (a recording). */
export interface Drive {
  /** One key, as the trainee presses it; resolves once the dashboard has answered it. */
  press(k: Keystroke): Promise<void>;
  /** One tick of simulated time. */
  tick(): Promise<void>;
  /** The trainee reads the pane: a recording holds the picture; a check goes straight on. */
  read(): Promise<void>;
  /** A step begins (a recording marks it). */
  begin?(step: LessonStep): void;
}

const key = (name: string): Keystroke => {
  const k = keystroke(name);
  if (typeof k === 'string') throw new Error(k);
  return k;
};
const TAB = key('Tab');
const ENTER = key('Enter');
const ESC = key('Esc');

export interface DriveOptions {
  /** The trainee does nothing: no solution is run (but they read, answer and go on). */
  readonly idle?: boolean;
  /**
   * Simulated seconds the trainee spends on each task before acting (reading it, finding the keys): a
   * lesson must not pass only for a trainee who acts at once.
   */
  readonly pause?: number;
  /** Stop when this step (from 0) begins, before it is taken: where a trainee who stopped there goes on. */
  readonly stopAt?: number;
  /** Each step as it ends. */
  readonly onStep?: (report: StepReport) => void;
}

/** Takes the lesson to its end; one report per step, in order. */
export async function driveLesson(
  bench: Pick<Bench, 'shell' | 'controller' | 'session'>,
  drive: Drive,
  options: DriveOptions = {},
): Promise<StepReport[]> {
  const { shell, controller, session } = bench;
  const run = shell.run;
  const reports: StepReport[] = [];
  const active = (): boolean => run.state?.status === 'active';
  const type = async (text: string): Promise<void> => {
    for (const ch of text) await drive.press(key(ch === ' ' ? 'Space' : ch));
  };
  /** One action of the model solution; a refused command is the solution's fault, and says so. */
  const act = async (a: SolutionAction): Promise<string | undefined> => {
    if (a.kind === 'wait') {
      const until = session.snapshot.t + a.seconds;
      while (session.snapshot.t < until - 1e-9 && active()) await drive.tick();
      return undefined;
    }
    if (a.kind === 'keys') {
      for (const k of a.keys) await drive.press(k);
      return undefined;
    }
    await type(`:${a.text}`);
    await drive.press(ENTER);
    const o = controller.ui.overlay;
    if (o?.kind !== 'command') return undefined;
    await drive.press(ESC);
    return `the model solution's "${a.text}" was refused: ${o.line.error ?? 'no reason given'}`;
  };

  while (!run.finished) {
    const step = run.step;
    const state = run.state;
    if (!step || !state) break;
    if (options.stopAt !== undefined && state.index >= options.stopAt) break;
    drive.begin?.(step);
    await drive.read();
    let detail = '';
    if (step.kind === 'question') {
      // The right answer must be what the host shows at that moment.
      if (step.holds && run.last && !new Condition(step.holds.expr).observe(run.input(run.last))) {
        detail = `the answer is not what the host shows: ${step.holds.text} is false at t=${session.snapshot.t}s`;
      }
      await drive.press(key(String(step.answer + 1)));
    }
    if (step.kind === 'task' && !options.idle) {
      const pause: SolutionAction[] = options.pause
        ? [{ kind: 'wait', text: `wait ${options.pause}s`, seconds: options.pause }]
        : [];
      for (const a of [...pause, ...step.solution]) {
        const refused = await act(a);
        if (refused) {
          detail = refused;
          break;
        }
      }
    }
    if (step.kind === 'watch' || step.kind === 'task') {
      const limit = step.kind === 'watch' ? step.within : (step.within ?? TASK_LIMIT);
      while (active() && (run.state?.elapsed ?? 0) < limit) await drive.tick();
      // Given up, as a trainee would: Tab twice.
      if (active()) {
        await drive.press(TAB);
        await drive.press(TAB);
      }
    }
    const t = session.snapshot.t;
    const elapsed = run.state?.elapsed ?? 0;
    if (step.kind !== 'explain') await drive.read();
    await drive.press(TAB);
    const result = run.results[run.results.length - 1];
    if (!result || result.index !== state.index) throw new Error(`step ${state.index + 1} did not end`);
    const passed = result.status === 'passed' && !detail;
    if (!detail) {
      detail = passed
        ? `passed at t=${t}s${step.kind === 'watch' || step.kind === 'task' ? ` (after ${elapsed}s)` : ''}`
        : `failed: ${result.reason ?? 'no reason'}`;
    }
    const report = { step, passed, detail };
    reports.push(report);
    options.onStep?.(report);
  }
  return reports;
}
