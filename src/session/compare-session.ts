import type { CommandResult } from '../engine/commands.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import type { Session } from './session.ts';

/**
 * The same preset under several personalities, driven as one: a tick ticks every host, and an
 * operator's command goes to every host, so all of them see the same workloads and the same changes.
 * The first session is the one the dashboard's ordinary screens show.
 */
export class CompareSession {
  constructor(readonly sessions: readonly Session[]) {
    if (sessions.length === 0) throw new Error('compare needs at least one personality');
  }

  get primary(): Session {
    return this.sessions[0];
  }

  get snapshot(): HostSnapshot {
    return this.primary.snapshot;
  }

  get host(): Session['host'] {
    return this.primary.host;
  }

  /** Every personality's latest snapshot, in the order they were given. */
  compare(): HostSnapshot[] {
    return this.sessions.map((s) => s.snapshot);
  }

  subscribe(fn: (s: HostSnapshot) => void): () => void {
    return this.primary.subscribe(fn);
  }

  tick(): void {
    for (const s of this.sessions) s.tick();
  }

  get tickUnderway(): boolean {
    return this.primary.tickUnderway;
  }

  /** One slice of every host's tick: they tick in step, so they end their ticks on the same slice. */
  advance(): boolean {
    let done = true;
    for (const s of this.sessions) done = s.advance() && done;
    return done;
  }

  /** Sent to every host; the answer is the first refusal, or the first host's answer. */
  send(text: string): CommandResult {
    const results = this.sessions.map((s) => s.send(text));
    return results.find((r) => !r.ok) ?? results[0];
  }

  close(): void {
    for (const s of this.sessions) s.close();
  }
}
