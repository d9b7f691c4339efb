/**
 * The real-time driver: ticks the session so that simulated time runs at `host.speed` simulated seconds
 * per wall second, independently of how often the screen is redrawn. At `max` (Infinity) it ticks in
 * batches of about `budgetMs` and yields to the event loop between them, so keys are still answered.
 * When the engine cannot keep up, the backlog is dropped rather than chased (simulated time then runs
 * slower than asked, which the header shows). Paused, it does nothing; single steps go through the
 * session's `step` command. A tick runs part by part (a guest's run, reclamation) and the budget is
 * checked between parts, so a long tick (guests booting write hundreds of megabytes) does not keep
 * keys waiting for all of it.
 */

export interface Tickable {
  /** Runs one part of a tick (starting one if none is under way); true when that ended a tick. */
  advance(): boolean;
  /** A tick has started and not ended (a command in between finishes it first). */
  readonly tickUnderway: boolean;
  readonly host: {
    readonly paused: boolean;
    readonly speed: number;
    readonly config: { readonly tick: number };
  };
}

export interface ClockOptions {
  /** Called when a tick throws; the clock stops ticking until `resume()`. */
  readonly onError: (e: unknown) => void;
  readonly now?: () => number;
  /** Longest one batch of ticks may run before yielding, in ms. */
  readonly budgetMs?: number;
  /** Longest sleep between checks, in ms. */
  readonly maxSleepMs?: number;
}

export class Clock {
  private timeout: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private last = 0;
  /** Simulated seconds owed. */
  private owed = 0;

  private running = false;
  private failed = false;
  private readonly now: () => number;
  private readonly budgetMs: number;
  private readonly maxSleepMs: number;
  /** Ticks run since start, for tests and the bench. */
  ticks = 0;

  constructor(
    private readonly session: Tickable,
    private readonly options: ClockOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.budgetMs = options.budgetMs ?? 40;
    this.maxSleepMs = options.maxSleepMs ?? 250;
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

  /** After an engine error: try ticking again. */
  resume(): void {
    this.failed = false;
    this.last = this.now();
    this.owed = 0;
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

  /** One wake-up: run what is owed (within the budget), then sleep until the next tick is due. */
  loop(): void {
    this.timeout = undefined;
    this.immediate = undefined;
    if (!this.running) return;
    const now = this.now();
    const elapsed = Math.max(0, (now - this.last) / 1000);
    this.last = now;
    const host = this.session.host;
    const dt = host.config.tick;
    if (host.paused || this.failed) {
      this.owed = 0;
      this.schedule(this.maxSleepMs);
      return;
    }
    const speed = host.speed;
    const max = speed === Number.POSITIVE_INFINITY;
    if (!max) this.owed += elapsed * speed;
    const start = this.now();
    while (
      (max || this.session.tickUnderway || this.owed + 1e-9 >= dt) &&
      this.now() - start < this.budgetMs
    ) {
      let ended: boolean;
      try {
        ended = this.session.advance();
      } catch (e) {
        this.failed = true;
        this.owed = 0;
        this.options.onError(e);
        this.schedule(this.maxSleepMs);
        return;
      }
      if (!ended) continue;
      this.ticks++;
      if (!max) this.owed -= dt;
      if (this.session.host.paused) break;
    }
    // The rest of a tick under way comes before anything else, as soon as keys have had their turn.
    if (max || this.session.tickUnderway) {
      this.schedule(0);
      return;
    }
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
