/** Something the host did or decided, in words, with the simulated time it happened. */
export interface EngineEvent {
  readonly t: number;
  readonly kind: 'state' | 'guest' | 'workload' | 'reclaim' | 'error' | 'warning' | 'command';
  readonly guest?: string;
  readonly message: string;
}

/** Keeps the newest events; older ones fall off. */
export class EventLog {
  private readonly items: EngineEvent[] = [];
  private seq = 0;

  constructor(private readonly capacity = 500) {}

  push(event: EngineEvent): void {
    this.items.push(Object.freeze(event));
    this.seq++;
    if (this.items.length > this.capacity) this.items.shift();
  }

  /** Total events ever pushed: a cursor for readers that want only new ones. */
  get count(): number {
    return this.seq;
  }

  /** Events pushed after the cursor `since` (as many as are still kept). */
  since(since: number): EngineEvent[] {
    const missing = this.seq - since;
    if (missing <= 0) return [];
    return this.items.slice(Math.max(0, this.items.length - missing));
  }

  recent(n: number): EngineEvent[] {
    return this.items.slice(-n);
  }
}
