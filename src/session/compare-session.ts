import type { CommandResult } from '../engine/commands.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import type { Session } from './session.ts';

/**
 * The same preset under several personalities, driven as one: a tick ticks every host, and an
 * operator's command goes to every host, so all of them see the same workloads and the same changes.
 * The first session is the one the dashboard's ordinary screens show.
 */
export class CompareSession {
  /** The hosts that have ended the tick of the round under way (hosts with more guests take more slices). */
  private readonly ended = new Set<Session>();

  /**
   * @param refused one line per personality that could not power the preset's guests on, saying why:
   *   the compare screen shows them under the panes of those that could.
   */
  constructor(
    readonly sessions: readonly Session[],
    readonly refused: readonly string[] = [],
  ) {
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

  /** One tick of every host; a round under way is finished instead. */
  tick(): void {
    for (const s of this.sessions) if (!this.ended.has(s)) s.tick();
    this.ended.clear();
  }

  get tickUnderway(): boolean {
    return this.sessions.some((s) => s.tickUnderway);
  }

  /**
   * One slice of the tick of every host that has not ended it yet; true when the last one ends it.
   * The hosts stay in step: none starts its next tick before all have ended this one.
   */
  advance(): boolean {
    for (const s of this.sessions) if (!this.ended.has(s) && s.advance()) this.ended.add(s);
    if (this.ended.size < this.sessions.length) return false;
    this.ended.clear();
    return true;
  }

  /** Sent to every host, between ticks; the answer is the first refusal, or the first host's answer. */
  send(text: string): CommandResult {
    if (this.tickUnderway) this.tick();
    const results = this.sessions.map((s) => s.send(text));
    return results.find((r) => !r.ok) ?? results[0];
  }

  close(): void {
    for (const s of this.sessions) s.close();
  }
}
