/**
 * A lesson under way: which step, what the trainee has done in it, and whether it has passed. Pure: it
 * is told the snapshots (one per tick), the trainee's view and accepted commands, and their keys for
 * the lesson (go on, a hint, an answer), and says what to show; the dashboard's lesson pane and the
 * headless check (check.ts) drive the same object, so what --check proves is what a trainee meets.
 *
 * Watches and tasks pass when their condition holds at a snapshot; a task fails when one of its `fail`
 * conditions holds first, or when its time (`within`) is up. Hints come after their simulated delay,
 * or earlier on request (counted: progress keeps the hints a trainee asked for). The clock is paused
 * while the trainee reads: an explain step that asks for it, a question, and the moment a watch or a
 * task ends (the screen then shows what the step was about).
 */
import type { HostSnapshot } from '../engine/snapshot.ts';
import { EventFeed } from '../render/history.ts';
import type { Lesson, LessonStep, LessonText } from '../scenario/lesson.ts';
import { Condition, type EvalInput } from './expr-eval.ts';
import type { View } from './fields.ts';

export type StepStatus = 'active' | 'passed' | 'failed';

/** How a step ended, for progress and reports. */
export interface StepResult {
  readonly index: number;
  readonly kind: LessonStep['kind'];
  /** A question answered right at the first try counts as passed. */
  readonly status: 'passed' | 'failed';
  /** Hints the trainee asked for before they were due. */
  readonly hintsAsked: number;
  /** Simulated seconds the step took. */
  readonly simulated: number;
  /** Seconds by the runner's own clock (the trainee's time; simulated time in a headless check). */
  readonly seconds: number;
  /** Why it failed: the `say` of the fail condition that held, or that time ran out. */
  readonly reason?: string;
}

export interface Observation {
  /** The host the screens show (the first personality in compare mode). */
  readonly snapshot: HostSnapshot;
  readonly view: View;
  /** In compare mode, every personality's host. */
  readonly hosts?: readonly HostSnapshot[];
}

interface Current {
  readonly index: number;
  status: StepStatus;
  /** Simulated time when the step began. */
  readonly startT: number;
  /** The runner's clock when the step began. */
  readonly startClock: number;
  elapsed: number;
  hintsShown: number;
  hintsAsked: number;
  /** The fail text that held, or null when time ran out. */
  failure?: LessonText | null;
  /** The choice picked last (a question), the first one, and how many answers were given. */
  chosen?: number;
  firstChosen?: number;
  tries: number;
  /** Given up by the trainee (`skip`). */
  skipped?: boolean;
  /** Commands accepted during the step: `limit vm4 256MB`. */
  readonly sent: string[];
  /** Where the step's events start in the lesson's event feed. */
  readonly firstEvent: number;
  readonly conditions: { check?: Condition; fails: Condition[] };
}

export class LessonRun {
  private current: Current | null = null;
  readonly results: StepResult[] = [];
  /** The newest observation, for texts with live values. */
  last: Observation | null = null;
  /** Every event of the lesson, once each (snapshots repeat the newest ones). */
  private readonly feed = new EventFeed(1_000_000);

  constructor(
    readonly lesson: Lesson,
    /** The runner's clock in seconds (wall time for a trainee); for progress only, never for passing. */
    private readonly clock: () => number = () => 0,
  ) {}

  get step(): LessonStep | undefined {
    return this.current ? this.lesson.steps[this.current.index] : undefined;
  }

  get finished(): boolean {
    return this.results.length === this.lesson.steps.length;
  }

  /** The step under way as the pane shows it. */
  get state(): Readonly<Omit<Current, 'conditions' | 'sent'>> | null {
    return this.current;
  }

  /** Begins the lesson at its first step, at this simulated time. */
  begin(t: number): void {
    this.results.length = 0;
    this.enter(0, t);
  }

  /** A command the trainee had accepted (from the keys, a form or the `:` line). */
  sent(text: string): void {
    this.current?.sent.push(text.trim().replace(/\s+/g, ' '));
  }

  /** Looks at one snapshot; true when the step's state changed (passed, failed, a hint came due). */
  observe(o: Observation): boolean {
    this.last = o;
    this.feed.record(o.snapshot);
    const c = this.current;
    const step = this.step;
    if (!c || !step) return false;
    c.elapsed = Math.max(0, o.snapshot.t - c.startT);
    if (c.status !== 'active') return false;
    let changed = false;
    if (step.kind === 'task') {
      const due = step.hints.filter((h) => h.after <= c.elapsed + 1e-9).length;
      if (due > c.hintsShown) {
        c.hintsShown = due;
        changed = true;
      }
    }
    if (step.kind !== 'watch' && step.kind !== 'task') return changed;
    const input = this.input(o, c);
    const failAt =
      step.kind === 'task' ? step.fails.findIndex((_, i) => c.conditions.fails[i].observe(input)) : -1;
    const passed = c.conditions.check?.observe(input) === true;
    if (step.kind === 'task' && failAt >= 0) this.end(c, 'failed', step.fails[failAt].say);
    else if (passed) this.end(c, 'passed');
    else if (step.kind === 'task' && step.within !== undefined && c.elapsed >= step.within - 1e-9)
      this.end(c, 'failed', null);
    else if (step.kind === 'watch' && c.elapsed >= step.within - 1e-9) this.end(c, 'failed', null);
    else return changed;
    return true;
  }

  /** The trainee asks for the next hint before it is due; false when there is none. */
  hint(): boolean {
    const c = this.current;
    const step = this.step;
    if (!c || step?.kind !== 'task' || c.status !== 'active' || c.hintsShown >= step.hints.length)
      return false;
    c.hintsShown++;
    c.hintsAsked++;
    return true;
  }

  /** An answer to the question under way (from 0); true when it is the right one. */
  answer(choice: number): boolean {
    const c = this.current;
    const step = this.step;
    if (!c || step?.kind !== 'question' || choice < 0 || choice >= step.choices.length) return false;
    c.tries++;
    c.chosen = choice;
    const right = choice === step.answer;
    // The first answer decides: right passes the step; wrong fails it, and the explanation follows.
    if (c.status === 'active') {
      c.status = right ? 'passed' : 'failed';
      c.firstChosen = choice;
    }
    return right;
  }

  /** The trainee gives a watch or task up: it ends as failed, and the lesson may go on. */
  skip(): boolean {
    const c = this.current;
    const step = this.step;
    if (!c || (step?.kind !== 'watch' && step?.kind !== 'task') || c.status !== 'active') return false;
    c.status = 'failed';
    c.failure = null;
    c.skipped = true;
    return true;
  }

  /** Whether the trainee may go on now: an explain step always, the others once they have ended. */
  get canGoOn(): boolean {
    const c = this.current;
    if (!c) return false;
    return this.step?.kind === 'explain' || c.status !== 'active';
  }

  /** Goes on to the next step (at simulated time `t`); false when the step has not ended. */
  next(t: number): boolean {
    const c = this.current;
    const step = this.step;
    if (!c || !step || !this.canGoOn) return false;
    if (step.kind === 'explain') c.status = 'passed';
    this.results.push({
      index: c.index,
      kind: step.kind,
      status: c.status === 'passed' ? 'passed' : 'failed',
      hintsAsked: c.hintsAsked,
      simulated: Math.max(0, t - c.startT),
      seconds: Math.max(0, this.clock() - c.startClock),
      ...(c.status === 'failed' ? { reason: reasonOf(step, c) } : {}),
    });
    if (c.index + 1 < this.lesson.steps.length) this.enter(c.index + 1, t);
    else this.current = null;
    return true;
  }

  /** The clock should stand still: the trainee is reading (a paused explain, a question, a step that ended). */
  get wantsPause(): boolean {
    const c = this.current;
    const step = this.step;
    if (!c || !step) return false;
    if (step.kind === 'explain') return step.pause;
    if (step.kind === 'question') return true;
    return c.status !== 'active';
  }

  /** What a condition sees: a snapshot, the view, the step's time and commands. */
  input(o: Observation, c: Current | null = this.current): EvalInput {
    const sent = c?.sent ?? [];
    const events = this.feed.all().slice(c?.firstEvent ?? 0);
    return {
      snapshot: o.snapshot,
      ...(o.hosts ? { hosts: new Map(o.hosts.map((h) => [h.personality, h])) } : {}),
      view: o.view,
      elapsed: c?.elapsed ?? 0,
      sent: (command, guest) =>
        sent.filter((s) => {
          const [verb, name] = s.split(' ');
          return verb === command && (guest === undefined || name === guest);
        }).length,
      logged: (kind, text) =>
        events.filter((e) => e.kind === kind && (text === undefined || e.message.includes(text))).length,
    };
  }

  private enter(index: number, t: number): void {
    const step = this.lesson.steps[index];
    const check =
      step.kind === 'watch'
        ? new Condition(step.until.expr)
        : step.kind === 'task'
          ? new Condition(step.check.expr)
          : undefined;
    const fails = step.kind === 'task' ? step.fails.map((f) => new Condition(f.when.expr)) : [];
    this.current = {
      index,
      status: 'active',
      startT: t,
      startClock: this.clock(),
      elapsed: 0,
      hintsShown: 0,
      hintsAsked: 0,
      tries: 0,
      sent: [],
      firstEvent: this.feed.all().length,
      conditions: { ...(check ? { check } : {}), fails },
    };
  }

  private end(c: Current, status: 'passed' | 'failed', failure?: LessonText | null): void {
    c.status = status;
    if (status === 'failed') c.failure = failure ?? null;
  }
}

function reasonOf(step: LessonStep, c: Current): string {
  if (step.kind === 'question') return `answered "${step.choices[c.firstChosen ?? 0]}"`;
  if (c.failure) return c.failure.raw.trim();
  if (c.skipped) return `skipped after ${c.elapsed}s`;
  return step.kind === 'watch' ? `did not happen within ${step.within}s` : `time was up after ${c.elapsed}s`;
}
