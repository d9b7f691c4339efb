/**
 * A lesson on the dashboard: the lesson runner (run.ts) between the host link and the controller. It
 * follows every snapshot, hands the controller a link that tells the lesson each command the trainee
 * had accepted, answers the lesson's keys (go on, a hint, an answer), draws the lesson pane, pauses the
 * clock while the trainee reads and resumes it after (only a pause it made itself), and writes progress
 * as each step ends. The pause and resume go to the host directly: they are the lesson's, not the
 * trainee's, and do not count as commands sent.
 */

import type { Line } from '../render/text.ts';
import type { Lesson, LessonText } from '../scenario/lesson.ts';
import type { HostLink } from '../session/link.ts';
import type { LessonAct } from '../ui/actions.ts';
import type { LessonPort } from '../ui/controller.ts';
import { type LessonPaneModel, lessonPane } from '../ui/lesson-pane.ts';
import type { Message } from '../ui/state.ts';
import { type EvalInput, valueText } from './expr-eval.ts';
import type { View } from './fields.ts';
import { TraineeLink } from './host.ts';
import type { ProgressStore } from './progress.ts';
import { LessonRun } from './run.ts';

export interface ShellOptions {
  /** The lesson's number, for the pane's title. */
  readonly number?: number;
  readonly progress?: ProgressStore;
  /** What to do next, said at the end (`memvisor lesson 2: Page sharing`). */
  readonly next?: string;
  /** Seconds by the wall clock, for the time taken (progress only). */
  readonly now?: () => number;
}

export class LessonShell implements LessonPort {
  readonly run: LessonRun;
  /** The link the controller talks through. */
  readonly link: HostLink;
  /** Called when the pane has something new to show. */
  onChange?: () => void;
  private view: () => View = () => ({ screen: 'esxtop', guest: null });
  private unsubscribe: (() => void) | undefined;
  private skipArmed = false;
  /** Where progress goes; none while the model solution takes the steps (replayTo). */
  private progress: ProgressStore | undefined;
  private pausedByLesson = false;

  constructor(
    readonly lesson: Lesson,
    private readonly host: HostLink,
    private readonly options: ShellOptions = {},
  ) {
    this.run = new LessonRun(lesson, options.now ?? (() => Date.now() / 1000));
    this.progress = options.progress;
    this.link = new TraineeLink(host, this.run);
  }

  /** Begins at the host's current time; `view` says what the trainee has on screen. */
  start(view: () => View): void {
    this.view = view;
    // A lesson replayed to a later step (replayTo) goes on where it is.
    if (!this.run.state && this.run.results.length === 0) this.run.begin(this.host.snapshot.t);
    this.unsubscribe = this.host.subscribe(() => this.observe());
    this.observe();
    this.syncClock();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  keyHandled(): void {
    this.observe();
  }

  act(a: LessonAct): Message | null {
    const out = this.answerKey(a);
    this.observe();
    this.syncClock();
    this.onChange?.();
    return out;
  }

  pane(cols: number, frameHeight: number): Line[] {
    return lessonPane(this.model(), cols, frameHeight);
  }

  /** What the pane shows now. */
  model(): LessonPaneModel {
    const n = this.options.number;
    const title = n ? `Lesson ${n} · ${this.lesson.title}` : `Lesson · ${this.lesson.title}`;
    const steps = this.lesson.steps.length;
    const step = this.run.step;
    const state = this.run.state;
    if (!step || !state) {
      return {
        title,
        step: steps + 1,
        steps,
        kind: 'done',
        status: 'passed',
        text: '',
        hints: [],
        hintsLeft: 0,
        skipArmed: false,
        verdict: 'Lesson complete.',
        outcome: this.summary(),
      };
    }
    const fill = (t: LessonText): string => this.fill(t);
    const base = {
      title,
      step: state.index + 1,
      steps,
      kind: step.kind,
      status: state.status,
      text: fill(step.text),
      hints: [] as string[],
      hintsLeft: 0,
      skipArmed: this.skipArmed,
    };
    switch (step.kind) {
      case 'explain':
        return base;
      case 'question':
        return {
          ...base,
          choices: step.choices,
          ...(state.chosen === undefined ? {} : { chosen: state.chosen }),
          answer: step.answer,
          outcome: fill(step.explain),
        };
      case 'watch': {
        const verdict =
          state.status === 'passed'
            ? 'There it is: the clock is paused so that you can look at it.'
            : `It did not happen within ${step.within}s.`;
        return {
          ...base,
          timeLeft: step.within - state.elapsed,
          ...(state.status === 'active' ? {} : { verdict, outcome: base.text }),
        };
      }
      case 'task': {
        const failure = state.failure ? fill(state.failure) : undefined;
        const verdict =
          state.status === 'passed'
            ? 'Done.'
            : (failure ?? (state.skipped ? 'Skipped.' : `Time is up (${step.within}s).`));
        return {
          ...base,
          hints: step.hints.slice(0, state.hintsShown).map((h) => fill(h.text)),
          hintsLeft: step.hints.length - state.hintsShown,
          ...(step.within === undefined ? {} : { timeLeft: step.within - state.elapsed }),
          ...(state.status === 'active' ? {} : { verdict, outcome: fill(step.debrief) }),
        };
      }
    }
  }

  private answerKey(a: LessonAct): Message | null {
    const step = this.run.step;
    const state = this.run.state;
    if (!step || !state)
      return { text: 'the lesson is over: q quits, memvisor lesson lists the others', kind: 'info' };
    if (a.kind === 'hint') {
      if (step.kind !== 'task' || state.status !== 'active')
        return { text: 'hints are for tasks under way', kind: 'info' };
      return this.run.hint() ? null : { text: 'no more hints for this task', kind: 'info' };
    }
    if (a.kind === 'answer') {
      if (step.kind !== 'question') return { text: 'no question to answer now', kind: 'info' };
      if (a.choice >= step.choices.length)
        return { text: `choose 1 to ${step.choices.length}`, kind: 'info' };
      if (state.status !== 'active') return null;
      this.run.answer(a.choice);
      return null;
    }
    if (this.run.canGoOn) {
      this.skipArmed = false;
      this.run.next(this.host.snapshot.t);
      this.recordLast();
      return null;
    }
    if (step.kind === 'question')
      return { text: `answer first: press 1 to ${step.choices.length}`, kind: 'info' };
    if (!this.skipArmed) {
      this.skipArmed = true;
      return { text: `this ${step.kind} is not done yet: Tab again skips it`, kind: 'warn' };
    }
    this.skipArmed = false;
    this.run.skip();
    return null;
  }

  /** From now on each step is recorded as it ends. */
  keepProgress(store: ProgressStore): void {
    this.progress = store;
  }

  private recordLast(): void {
    const r = this.run.results[this.run.results.length - 1];
    if (r)
      this.progress?.record(
        this.lesson.name.replace(/^\d+-/, ''),
        this.lesson.title,
        this.lesson.steps.length,
        r,
      );
  }

  private observe(): void {
    const hosts = this.host.compare?.hosts;
    const changed = this.run.observe({
      snapshot: this.host.snapshot,
      view: this.view(),
      ...(hosts ? { hosts } : {}),
    });
    if (!changed) return;
    this.skipArmed = false;
    this.syncClock();
    this.onChange?.();
  }

  /**
   * The clock stands still while the trainee reads; a pause the lesson made is undone after. The command
   * waits for the tick under way: a snapshot arrives from inside a tick, which a command would re-enter.
   */
  private syncClock(): void {
    const paused = this.host.snapshot.clock.paused;
    if (this.run.wantsPause && !paused && !this.pausedByLesson) {
      this.pausedByLesson = true;
      setImmediate(() => void this.host.send('pause'));
    } else if (!this.run.wantsPause && this.pausedByLesson) {
      this.pausedByLesson = false;
      setImmediate(() => {
        if (this.host.snapshot.clock.paused) void this.host.send('resume');
      });
    }
  }

  private fill(t: LessonText): string {
    const last = this.run.last;
    if (!last) return t.raw;
    const input: EvalInput = this.run.input(last);
    return t.parts.map((p) => (p.kind === 'text' ? p.text : valueText(p.parsed.expr, input))).join('');
  }

  private summary(): string {
    const r = this.run.results;
    const passed = r.filter((x) => x.status === 'passed').length;
    const hints = r.reduce((n, x) => n + x.hintsAsked, 0);
    const minutes = Math.max(1, Math.round(r.reduce((n, x) => n + x.seconds, 0) / 60));
    const next = this.options.next ? ` Next: ${this.options.next}.` : '';
    return `${passed} of ${r.length} steps passed, ${hints} hint${hints === 1 ? '' : 's'} asked, ${minutes} min.${next}`;
  }
}
