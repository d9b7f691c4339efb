import type { FreeState, HostSnapshot } from '../engine/snapshot.ts';
import type { Preset } from '../scenario/preset.ts';
import { Session } from './session.ts';
import { runInWorkers } from './worker-pool.ts';

/** One guest's record over a compare run (averages over the samples, MB unless named). */
export interface GuestOutcome {
  name: string;
  thru: number;
  shared: number | null;
  ballooned: number | null;
  compressed: number | null;
  swapped: number | null;
  tmem: number | null;
  /** Host swap traffic over the run, MB read + written. */
  swapIoMB: number | null;
}

export interface PersonalityOutcome {
  personality: string;
  guests: GuestOutcome[];
  /** Seconds spent in each free state; null when the preset could not run. */
  states: Record<FreeState, number> | null;
  warnings: string[];
  /** Why the preset could not run under this personality (a guest it cannot power on). */
  error?: string;
}

/**
 * Runs the same preset, seed and timeline under each personality for `seconds` of simulated time and
 * sums up what each did: the experiment no real host allows. `onProgress` hears the simulated seconds
 * run so far, over all personalities (of `seconds` times their number).
 */
export function comparePersonalities(
  preset: Preset,
  personalities: readonly string[],
  seconds: number,
  seed?: number,
  onProgress?: (done: number) => void,
): PersonalityOutcome[] {
  return personalities.map((personality, i) => {
    const before = i * seconds;
    let session: Session;
    try {
      session = new Session(preset, { personality, ...(seed === undefined ? {} : { seed }) });
    } catch (err) {
      onProgress?.(before + seconds);
      return { personality, guests: [], states: null, warnings: [], error: (err as Error).message };
    }
    try {
      const samples: HostSnapshot[] = [];
      const states: Record<FreeState, number> = { high: 0, soft: 0, hard: 0, low: 0 };
      while (session.host.t + 1e-9 < seconds) {
        const s = session.tick();
        samples.push(s);
        states[s.host.state] += session.host.config.tick;
        onProgress?.(before + Math.min(seconds, s.t));
      }
      return {
        personality,
        guests: outcomes(samples, session.host.config.tick),
        states,
        warnings: session.warnings,
      };
    } finally {
      session.close();
    }
  });
}

/** One personality of a compare run, as a worker gets it. */
export interface CompareJob {
  file: string;
  personality: string;
  seconds: number;
  seed?: number;
}

/**
 * comparePersonalities with each personality in a worker thread of its own, as many at once as the
 * machine has cores: the same results, in the same order, as running them one after another (each host
 * is deterministic and alone in its worker). The preset is read from its file in each worker.
 */
export function comparePersonalitiesInParallel(
  file: string,
  personalities: readonly string[],
  seconds: number,
  seed?: number,
  onProgress?: (done: number) => void,
  limit?: number,
): Promise<PersonalityOutcome[]> {
  const done = personalities.map(() => 0);
  return runInWorkers<CompareJob, PersonalityOutcome>(
    new URL('./compare-worker.ts', import.meta.url),
    personalities.map((personality) => ({
      file,
      personality,
      seconds,
      ...(seed === undefined ? {} : { seed }),
    })),
    (job, d) => {
      done[job] = d;
      onProgress?.(done.reduce((a, b) => a + b, 0));
    },
    limit,
  );
}

function outcomes(samples: readonly HostSnapshot[], tick: number): GuestOutcome[] {
  const last = samples[samples.length - 1];
  if (!last) return [];
  return last.guests.map((g) => {
    const mine = samples.map((s) => s.guests.find((x) => x.name === g.name)).filter((x) => x !== undefined);
    const avg = (f: (x: (typeof mine)[number]) => number | null): number | null => {
      const values = mine.map(f);
      if (values.some((v) => v === null)) return null;
      return round((values as number[]).reduce((a, b) => a + b, 0) / Math.max(1, values.length));
    };
    const sum = (f: (x: (typeof mine)[number]) => number | null): number | null => {
      const values = mine.map(f);
      if (values.some((v) => v === null)) return null;
      return round((values as number[]).reduce((a, b) => a + b, 0));
    };
    return {
      name: g.name,
      thru: avg((x) => x.THRU) ?? 0,
      shared: avg((x) => x.SHRDSVD),
      ballooned: avg((x) => x.MCTLSZ),
      compressed: avg((x) => x.zippedMB),
      swapped: avg((x) => x.SWCUR),
      tmem: avg((x) =>
        x['Curr eph pages'] === null ? null : (x['Curr eph pages'] + (x.tmem?.persPages ?? 0)) / 256,
      ),
      swapIoMB: sum((x) => (x['SWR/s'] === null ? null : (x['SWR/s'] + (x['SWW/s'] ?? 0)) * tick)),
    };
  });
}

const round = (x: number): number => Math.round(x * 100) / 100;
