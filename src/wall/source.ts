/**
 * What the wall reads a host through. It has the shape of the session's HostLink, so a link to a
 * shared host (src/share/client.ts) and a local engine both fit. The local engine is driven here by
 * the dashboard's real-time clock until the session owns its clock.
 */
import type { CommandResult } from '../engine/commands.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import type { Session } from '../session/session.ts';
import { Clock } from '../ui/clock.ts';

export interface WallSource {
  readonly snapshot: HostSnapshot;
  subscribe(fn: (s: HostSnapshot) => void): () => void;
  send(text: string): Promise<CommandResult> | CommandResult;
  /** Why commands are refused (the wall follows a shared host), or null. */
  readonly readOnly: string | null;
  close(): Promise<void> | void;
}

/** A session of the wall's own, ticking in real time; an engine error pauses it and is reported. */
export function ownEngine(session: Session, onError: (message: string) => void): WallSource {
  const clock = new Clock(session, {
    onError: (e) => {
      session.send('pause');
      onError(`engine error: ${(e as Error)?.message ?? String(e)}; paused (space resumes)`);
    },
  });
  clock.start();
  return {
    get snapshot() {
      return session.snapshot;
    },
    subscribe: (fn) => session.subscribe(fn),
    send: (text) => {
      const r = session.send(text);
      if (r.ok && text === 'resume') clock.resume();
      return r;
    },
    readOnly: null,
    close: () => {
      clock.stop();
      session.close();
    },
  };
}
