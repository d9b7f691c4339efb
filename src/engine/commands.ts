import type { GuestConfig, WorkloadSpec } from './config.ts';

/**
 * Every change an operator, a preset timeline or a script can make to a running host. The dashboard's
 * `:` line and scenario scripts parse text into these; the engine validates each before acting. The
 * clock (pause, resume, step, speed) is not here: it is the session's, not the engine's.
 */
export type Command =
  | { type: 'addGuest'; guest: GuestConfig; workloads?: WorkloadSpec[] }
  | { type: 'removeGuest'; guest: string }
  | { type: 'setMemsz'; guest: string; pages: number }
  | { type: 'setLimit'; guest: string; pages: number | null }
  | { type: 'setReservation'; guest: string; pages: number }
  | { type: 'setShares'; guest: string; shares: number }
  | { type: 'startWorkload'; guest: string; workload: WorkloadSpec }
  | { type: 'stopWorkload'; guest: string; workload: string }
  | { type: 'resizeWorkload'; guest: string; workload: string; pages: number };

/** What a command answers: done (with what happened, in words) or refused with why; refused changes nothing. */
export type CommandResult = { ok: true; message: string } | { ok: false; error: string };

export const ok = (message: string): CommandResult => ({ ok: true, message });
export const refuse = (error: string): CommandResult => ({ ok: false, error });
