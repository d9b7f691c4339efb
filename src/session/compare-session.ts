import type { CommandResult } from '../engine/commands.ts';
import type { ClockState, HostSnapshot } from '../engine/snapshot.ts';
import type { Session } from './session.ts';

/**
 * The same preset under several personalities, driven as one: a tick ticks every host, and an
 * operator's command goes to every host, so all of them see the same workloads and the same changes.
 * A command one host refuses changes nothing anywhere: it is checked on every host first, then applied
 * on all. The clock is one for all of them. The first session still running is the one the dashboard's
 * ordinary screens show.
 */
export class CompareSession {
  private readonly active: Session[];
  private readonly refusedLines: string[];

  /**
   * @param refused one line per personality that could not power the preset's guests on, saying why:
   *   the compare screen shows them under the panes of those that could. A session that powers its guests
   *   on stepwise and is refused one joins them then.
   */
  constructor(
    readonly sessions: readonly Session[],
    refused: readonly string[] = [],
  ) {
    if (sessions.length === 0) throw new Error('compare needs at least one personality');
    this.active = [...sessions];
    this.refusedLines = [...refused];
    this.dropRefused();
  }

  get primary(): Session {
    return this.active[0];
  }

  get refused(): readonly string[] {
    return this.refusedLines;
  }

  get snapshot(): HostSnapshot {
    return this.primary.snapshot;
  }

  get host(): Session['host'] {
    return this.primary.host;
  }

  get clock(): ClockState {
    return this.primary.clock;
  }

  get stepsOwed(): number {
    return this.primary.stepsOwed;
  }

  get tickSeconds(): number {
    return this.primary.tickSeconds;
  }

  measured(achieved: number | null): void {
    for (const s of this.active) s.measured(achieved);
  }

  /** Every personality's latest snapshot, in the order they were given (those still running). */
  compare(): HostSnapshot[] {
    return this.active.map((s) => s.snapshot);
  }

  subscribe(fn: (s: HostSnapshot) => void): () => void {
    const offs = this.sessions.map((s) => s.subscribe((snap) => s === this.primary && fn(snap)));
    return () => {
      for (const off of offs) off();
    };
  }

  /**
   * A round is under way while some host has not ended its tick: hosts with more guests take more
   * parts to tick, and those that have ended wait for the others.
   */
  get tickUnderway(): boolean {
    return this.active.some((s) => s.tickUnderway);
  }

  /** One tick of every host; a round under way is finished instead. */
  tick(): void {
    const round = this.tickUnderway;
    for (const s of this.active) if (!round || s.tickUnderway) s.tick();
    this.dropRefused();
  }

  /**
   * One part of the tick of every host still in the round (all of them when a round starts); true
   * when the round has ended. The hosts stay in step: none starts its next tick before all have ended.
   * A host whose part throws is stopped there (its session says why) and the others pause.
   */
  advance(): boolean {
    const round = this.tickUnderway;
    for (const s of [...this.active]) {
      if (round && !s.tickUnderway) continue;
      try {
        s.advance();
      } catch (e) {
        this.fail(e, s);
      }
    }
    this.dropRefused();
    return !this.tickUnderway;
  }

  /**
   * Checked on every host (each finishes its tick under way), then applied on all; a refusal from any
   * host changes nothing anywhere. When the hosts disagree, the refusal names the personality.
   */
  send(text: string): CommandResult {
    const checks = this.active.map((s) => s.check(text));
    const refusals = checks.flatMap((r, i) => (r.ok ? [] : [{ r, s: this.active[i] }]));
    if (refusals.length > 0) {
      const first = refusals[0];
      const same = refusals.length === checks.length && refusals.every((x) => x.r.error === first.r.error);
      const error = first.r.ok ? '' : first.r.error;
      return { ok: false, error: same ? error : `${first.s.host.personality.name}: ${error}` };
    }
    const results = this.active.map((s) => s.send(text));
    return results.find((r) => !r.ok) ?? results[0];
  }

  /** An engine error in `culprit` (or, from the clock, in some host): it stops and says why; all pause. */
  fail(e: unknown, culprit: Session = this.primary): void {
    culprit.fail(e);
    for (const s of this.active) if (s !== culprit && !s.clock.paused) s.send('pause');
  }

  close(): void {
    for (const s of this.sessions) s.close();
  }

  /** A personality refused a preset guest while powering on: it leaves the panes, with its reason below them. */
  private dropRefused(): void {
    for (const s of [...this.active]) {
      if (s.refusal === null || this.active.length === 1) continue;
      this.refusedLines.push(`${s.host.personality.name}: cannot run this preset: ${s.refusal}`);
      this.active.splice(this.active.indexOf(s), 1);
    }
  }
}
