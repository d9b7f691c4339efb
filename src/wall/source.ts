/**
 * What the wall reads a host through. It has the shape of the session's HostLink, so a link to a
 * shared host (src/share/client.ts) and a local engine both fit.
 */
import type { CommandResult } from '../engine/commands.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import type { HistoryData } from '../render/history.ts';
import { LocalLink } from '../session/link.ts';
import type { Session } from '../session/session.ts';

export interface WallSource {
  readonly snapshot: HostSnapshot;
  subscribe(fn: (s: HostSnapshot) => void): () => void;
  send(text: string): Promise<CommandResult> | CommandResult;
  /** Why commands are refused (the wall follows a shared host), or null. */
  readonly readOnly: string | null;
  close(): Promise<void> | void;
  /** A shared host's chart samples from before the wall attached. */
  readonly history?: HistoryData;
}

/** A session of the wall's own, ticking in real time (the session's clock pauses it on an engine error and logs why). */
export function ownEngine(session: Session): WallSource {
  const link = new LocalLink(session, { clock: true });
  link.start();
  return {
    get snapshot() {
      return link.snapshot;
    },
    subscribe: (fn) => link.subscribe(fn),
    send: (text) => link.send(text),
    readOnly: null,
    close: async () => {
      await link.close();
      session.close();
    },
  };
}
