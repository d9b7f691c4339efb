/**
 * The real-time driver: ticks a session so that simulated time runs at the session clock's speed in
 * simulated seconds per wall second, independently of how often a screen is redrawn. At `max` it ticks
 * in batches of about `budgetMs` and yields to the event loop between them, so keys are still answered.
 * When the engine cannot keep up, the backlog is dropped rather than chased: simulated time then runs
 * slower than asked, and the clock measures what it achieves (simulated seconds per wall second over the
 * last few wall seconds) and hands it to the session, whose snapshots carry it to the header. Paused, it
 * runs only the ticks a timeline's `step` owes. A tick runs part by part (a guest's run, reclamation)
 * and the budget is checked between parts, so a long tick (guests booting write hundreds of megabytes)
 * does not keep keys waiting for all of it.
 */
import type { ClockState } from '../engine/snapshot.ts';

export interface Tickable {
  /** Runs one part of a tick (starting one if none is under way); true when that ended a tick. */
  advance(): boolean;
  /** A tick has started and not ended (a command in between finishes it first). */
  readonly tickUnderway: boolean;
  readonly clock: ClockState;
  /** Ticks to run even while paused (a timeline's `step N`). */
  readonly stepsOwed: number;
  /** Simulated seconds per tick. */
  readonly tickSeconds: number;
  /** What the clock achieves, simulated seconds per wall second (null: not measured). */
  measured(achieved: number | null): void;
  /** A tick threw: the session pauses and says so. */
  fail(e: unknown): void;
}

export interface ClockOptions {
  readonly now?: () => number;
  /** Longest one batch of ticks may run before yielding, in ms. */
  readonly budgetMs?: number;
  /** Longest sleep between checks, in ms. */
  readonly maxSleepMs?: number;
  /** Wall time the achieved speed is measured over, in ms. */
  readonly windowMs?: number;
}

export class Clock {
  private timeout: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private last = 0;
  /** Simulated seconds owed. */
  private owed = 0;
  private running = false;
  private readonly now: () => number;
  private readonly budgetMs: number;
  private readonly maxSleepMs: number;
  private readonly windowMs: number;
  /** Tick ends as (wall ms, ticks so far), oldest first, since the clock last changed. */
  private marks: { at: number; ticks: number }[] = [];
  private seen: Pick<ClockState, 'paused' | 'speed'> | undefined;
  /** Ticks run since start, for tests and the bench. */
  ticks = 0;

  constructor(
    private readonly session: Tickable,
    options: ClockOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.budgetMs = options.budgetMs ?? 40;
    this.maxSleepMs = options.maxSleepMs ?? 250;
    this.windowMs = options.windowMs ?? 10_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.last = this.now();
    this.owed = 0;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    this.clear();
  }

  private clear(): void {
    if (this.timeout !== undefined) clearTimeout(this.timeout);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timeout = undefined;
    this.immediate = undefined;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (ms <= 0) this.immediate = setImmediate(() => this.loop());
    else this.timeout = setTimeout(() => this.loop(), ms);
  }

  /** A new pause or speed: measuring (and what is owed) starts again from now. */
  private changed(now: number): boolean {
    const c = this.session.clock;
    if (this.seen && c.paused === this.seen.paused && c.speed === this.seen.speed) return false;
    this.seen = { paused: c.paused, speed: c.speed };
    this.marks = [{ at: now, ticks: this.ticks }];
    this.owed = 0;
    return true;
  }

  /**
   * At a tick's end: simulated seconds per wall second over the window (keeping one mark before it).
   * Tick ends come late by however long a tick takes, so one tick says little: the measure is given once
   * three ticks are in it, or sooner when the engine is plainly behind (under half the speed asked).
   */
  private measure(now: number): void {
    this.marks.push({ at: now, ticks: this.ticks });
    while (this.marks.length > 2 && now - this.marks[1].at >= this.windowMs) this.marks.shift();
    const first = this.marks[0];
    const wall = (now - first.at) / 1000;
    const ticks = this.ticks - first.ticks;
    if (wall <= 0 || ticks <= 0) return;
    const rate = (ticks * this.session.tickSeconds) / wall;
    const speed = this.session.clock.speed;
    if (ticks >= 3 || speed === 'max' || rate < speed / 2)
      this.session.measured(Math.round(rate * 100) / 100);
  }

  /** One wake-up: run what is owed (within the budget), then sleep until the next tick is due. */
  loop(): void {
    this.timeout = undefined;
    this.immediate = undefined;
    if (!this.running) return;
    const now = this.now();
    const elapsed = Math.max(0, (now - this.last) / 1000);
    this.last = now;
    const s = this.session;
    const dt = s.tickSeconds;
    this.changed(now);
    const paused = s.clock.paused;
    const stepping = paused && s.stepsOwed > 0;
    const speed = s.clock.speed;
    const max = stepping || (!paused && speed === 'max');
    if (!max && !paused && speed !== 'max') this.owed += elapsed * speed;
    const start = this.now();
    while (
      (max || s.tickUnderway || (!paused && this.owed + 1e-9 >= dt)) &&
      this.now() - start < this.budgetMs
    ) {
      let ended: boolean;
      try {
        ended = s.advance();
      } catch (e) {
        s.fail(e);
        this.schedule(this.maxSleepMs);
        return;
      }
      if (!ended) continue;
      this.ticks++;
      if (!max) this.owed -= dt;
      // A timeline command changed the clock: decide again with what it says now.
      if (this.changed(this.now())) break;
      if (!paused) this.measure(this.now());
      if (stepping && s.stepsOwed === 0) break;
    }
    this.sleep(dt);
  }

  private sleep(dt: number): void {
    const s = this.session;
    const c = s.clock;
    // The rest of a tick under way comes before anything else, as soon as keys have had their turn.
    if (s.tickUnderway || (c.paused ? s.stepsOwed > 0 : c.speed === 'max')) {
      this.schedule(0);
      return;
    }
    if (c.paused || c.speed === 'max') {
      this.schedule(this.maxSleepMs);
      return;
    }
    const speed = c.speed;
    // Behind by more than half a wall second of work: drop the backlog instead of chasing it.
    if (this.owed > dt + speed * 0.5) this.owed = dt;
    if (this.owed + 1e-9 >= dt) {
      this.schedule(0);
      return;
    }
    const wait = ((dt - this.owed) / speed) * 1000;
    this.schedule(Math.max(1, Math.min(this.maxSleepMs, wait)));
  }
}
