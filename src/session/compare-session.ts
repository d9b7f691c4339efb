import type { CommandResult } from '../engine/commands.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import type { Session } from './session.ts';

/**
 * The same preset under several personalities, driven as one: a tick ticks every host, and an
 * operator's command goes to every host, so all of them see the same workloads and the same changes.
 * The first session is the one the dashboard's ordinary screens show.
 */
export class CompareSession {
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

  /**
   * A round is under way while some host has not ended its tick: hosts with more guests take more
   * parts to tick, and those that have ended wait for the others.
   */
  get tickUnderway(): boolean {
    return this.sessions.some((s) => s.tickUnderway);
  }

  /** One tick of every host; a round under way is finished instead. */
  tick(): void {
    const round = this.tickUnderway;
    for (const s of this.sessions) if (!round || s.tickUnderway) s.tick();
  }

  /**
   * One part of the tick of every host still in the round (all of them when a round starts); true
   * when the round has ended. The hosts stay in step: none starts its next tick before all have ended.
   */
  advance(): boolean {
    const round = this.tickUnderway;
    for (const s of this.sessions) if (!round || s.tickUnderway) s.advance();
    return !this.tickUnderway;
  }

  /** Sent to every host, between ticks (each finishes its own); the first refusal, or the first host's answer. */
  send(text: string): CommandResult {
    const results = this.sessions.map((s) => s.send(text));
    return results.find((r) => !r.ok) ?? results[0];
  }

  close(): void {
    for (const s of this.sessions) s.close();
  }
}
