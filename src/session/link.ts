/**
 * What a screen needs of a running host, and nothing more: its newest snapshot, word of new ones, a way
 * to send a command line, and whether it may. The dashboard and its controller depend on this alone, so
 * the host behind it can be in this process (here), in a worker thread, or another memvisor the viewer
 * has attached to read-only; none of them reaches into the engine.
 */
import type { CommandResult } from '../engine/commands.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import type { HistoryData } from '../render/history.ts';
import { Clock, type ClockOptions } from './clock.ts';
import type { CompareSession } from './compare-session.ts';
import type { Session } from './session.ts';

export interface HostLink {
  /** The newest snapshot. */
  readonly snapshot: HostSnapshot;
  /** Calls `fn` with every new snapshot; returns the unsubscribe function. */
  subscribe(fn: (s: HostSnapshot) => void): () => void;
  /** A command line, as typed on the `:` line; the answer says what happened or why not. */
  send(text: string): Promise<CommandResult>;
  /** null, or why commands are refused ("attached to HOST"): a viewer may look but not change. */
  readonly readOnly: string | null;
  close(): Promise<void>;
  /** In compare mode: every personality's newest snapshot and those that could not run; absent otherwise. */
  readonly compare?: CompareView;
  /** A viewer attached to a shared host: the charts' samples from before it attached. */
  readonly history?: HistoryData;
}

export interface CompareView {
  readonly hosts: readonly HostSnapshot[];
  readonly refused: readonly string[];
}

export interface LocalLinkOptions {
  /**
   * Run the session in real time once `start()` is called (off for the recorder and tests, which tick
   * by hand).
   */
  readonly clock?: boolean | ClockOptions;
  /** Refuse commands, saying this (a viewer's link; also for tests). */
  readonly readOnly?: string | null;
}

/** A link to a session (or a compare session) in this process; with `clock`, it runs in real time from `start()`. */
export class LocalLink implements HostLink {
  private readonly driver: Clock | undefined;
  readonly readOnly: string | null;

  constructor(
    readonly session: Session | CompareSession,
    options: LocalLinkOptions = {},
  ) {
    this.readOnly = options.readOnly ?? null;
    if (options.clock) this.driver = new Clock(session, options.clock === true ? {} : options.clock);
  }

  /** Starts the real-time clock (the dashboard calls for it once it answers keys). */
  start(): void {
    this.driver?.start();
  }

  get snapshot(): HostSnapshot {
    return this.session.snapshot;
  }

  subscribe(fn: (s: HostSnapshot) => void): () => void {
    return this.session.subscribe(fn);
  }

  /** An exception out of the engine is a refusal naming the command, and an error event. */
  async send(text: string): Promise<CommandResult> {
    if (this.readOnly !== null) return { ok: false, error: `read-only: ${this.readOnly}` };
    try {
      return this.session.send(text);
    } catch (e) {
      const error = `${text.trim().split(/\s+/)[0]}: internal error: ${(e as Error)?.message ?? String(e)}`;
      this.session.host.log('error', error);
      return { ok: false, error };
    }
  }

  get compare(): CompareView | undefined {
    const s = this.session;
    if (!('compare' in s)) return undefined;
    return { hosts: s.compare(), refused: s.refused };
  }

  /** Stops the clock; the session is its owner's to close. */
  async close(): Promise<void> {
    this.driver?.stop();
  }
}
