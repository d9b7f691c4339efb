/**
 * One configuration of an experiment as a job: a preset's text, a seed and how long to run it, in,
 * and the snapshot figures it sampled, out. A job is plain data both ways and depends on nothing but
 * itself, so jobs may run in any order or in parallel (worker threads) and give the same result.
 */
import type { EngineEvent } from '../engine/events.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import { parsePreset } from '../scenario/preset.ts';
import { Session } from '../session/session.ts';

export interface Job {
  /** The configuration's name, unique within its experiment. */
  readonly id: string;
  /** A preset, as its YAML text (timeline included). */
  readonly preset: string;
  /** The name the preset goes by in messages. */
  readonly file: string;
  readonly seed: number;
  readonly personality?: string;
  /** Simulated seconds to run. */
  readonly seconds: number;
  /**
   * What to sample after every tick: `host.<path>` or `guest.<name>.<path>` into the snapshot
   * (`host.pshare.saving`, `guest.db-b.THRU`, `guest.g1.guestOs.storageReads`).
   */
  readonly probes: readonly string[];
  /** Events of these kinds are kept, with the time of each. */
  readonly events?: readonly EngineEvent['kind'][];
}

export interface JobResult {
  readonly id: string;
  /** Simulated time of each sample. */
  readonly t: readonly number[];
  /** Per probe, its value at each sample (null: no such guest or field then). */
  readonly series: Readonly<Record<string, readonly (number | string | null)[]>>;
  readonly events: readonly EngineEvent[];
}

/** Runs one job from its preset text; throws (PresetError) when the text is not a preset. */
export function runJob(job: Job, onTick?: (t: number) => void): JobResult {
  const session = new Session(parsePreset(job.preset, job.file), {
    seed: job.seed,
    ...(job.personality ? { personality: job.personality } : {}),
  });
  const t: number[] = [];
  const series: Record<string, (number | string | null)[]> = {};
  for (const p of job.probes) series[p] = [];
  const kinds = new Set(job.events ?? []);
  const events: EngineEvent[] = [];
  let seen = session.host.events.count;
  try {
    while (session.host.t + 1e-9 < job.seconds) {
      const s = session.tick();
      t.push(s.t);
      for (const p of job.probes) series[p].push(probe(s, p));
      if (kinds.size > 0)
        for (const e of session.host.events.since(seen)) if (kinds.has(e.kind)) events.push(e);
      seen = session.host.events.count;
      onTick?.(s.t);
    }
  } finally {
    session.close();
  }
  return { id: job.id, t, series, events };
}

/** A probe's value in a snapshot: a number or a string, or null when there is nothing at its path. */
export function probe(s: HostSnapshot, path: string): number | string | null {
  const [scope, ...rest] = path.split('.');
  let at: unknown;
  if (scope === 'host') at = s.host;
  else if (scope === 'guest') {
    at = s.guests.find((g) => g.name === rest[0]);
    rest.shift();
  } else throw new Error(`probe "${path}": starts with host. or guest.`);
  for (const key of rest)
    at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return typeof at === 'number' || typeof at === 'string' ? at : null;
}
