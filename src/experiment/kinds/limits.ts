/**
 * A limit holds (seed 002, 3.5 and its footnote: a limit is reclaimed from even in the high state):
 * the base preset's guest runs under each personality that has a limit, on a roomy host and on one
 * that another guest drives down to low, and its limit is set well under what it consumes. It must
 * be under the limit within the time reclamation needs at its pace, and stay there.
 */
import { z } from 'zod';
import { PERSONALITY_NAMES } from '../../engine/policy/index.ts';
import type { ExperimentSpec } from '../experiment-spec.ts';
import type { Job, JobResult } from '../job.ts';
import { ClaimSchema, fixed, type Outcome, type Row } from '../outcome.ts';
import { listOf, seconds } from '../params.ts';
import type { Verdict } from '../verdict.ts';
import { presetText } from './build.ts';
import type { Kind } from './kind.ts';

const Run = z.object({
  personality: z.enum(PERSONALITY_NAMES),
  /** The timeline's pressure commands run too (another guest drives the host down). */
  pressure: z.boolean().default(false),
});

const Params = z.object({
  guest: z.string(),
  /** The limit, MB, and when it is set (simulated seconds). */
  limitMB: z.number().positive(),
  at: seconds,
  duration: seconds,
  runs: listOf(Run, 1, 'runs'),
  /** Commands, as in a timeline, that bring pressure at the time the limit is set. */
  pressure: listOf(z.string(), 1, 'commands'),
  /** The slowest pace reclamation takes memory from one guest (its balloon), MB/s. */
  reclaimMBs: z.number().positive(),
  /** Seconds allowed beyond that pace (the guest's own paging, the reclaimer's slices). */
  slack: seconds,
  published: z.object({ cap: ClaimSchema }),
});
type P = z.output<typeof Params>;

const id = (r: z.output<typeof Run>): string =>
  `${r.personality}, ${r.pressure ? 'under pressure' : 'high state'}`;

export const limits: Kind<P> = {
  params: Params,

  jobs(spec: ExperimentSpec, p: P): Job[] {
    return p.runs.map((r) => {
      const timeline = [
        { [`at ${p.at}s`]: `limit ${p.guest} ${p.limitMB}MB` },
        ...(r.pressure ? p.pressure.map((c) => ({ [`at ${p.at}s`]: c })) : []),
      ];
      return {
        id: id(r),
        file: `${spec.file} (${id(r)})`,
        preset: presetText(`${spec.name}: ${id(r)}`, {
          ...spec.preset,
          personality: r.personality,
          timeline,
        }),
        seed: spec.seed,
        seconds: p.duration,
        probes: [`guest.${p.guest}.CNSM`, 'host.state'],
      };
    });
  },

  analyse(_spec: ExperimentSpec, p: P, results: ReadonlyMap<string, JobResult>): Outcome {
    const rows: Row[] = [];
    const notes: string[] = [];
    for (const run of p.runs) {
      const r = results.get(id(run))!;
      const consumed = r.series[`guest.${p.guest}.CNSM`] as (number | null)[];
      const states = new Set(r.series['host.state'].filter((_s, i) => r.t[i] > p.at));
      const at = r.t.findIndex((t) => t >= p.at);
      const before = consumed[Math.max(0, at - 1)] ?? 0;
      const bound = Math.ceil(Math.max(0, before - p.limitMB) / p.reclaimMBs + p.slack);
      const under = r.t.findIndex((t, i) => t > p.at && (consumed[i] ?? 0) <= p.limitMB);
      const reached = under < 0 ? Number.NaN : r.t[under] - p.at;
      const after = consumed.filter((_, i) => r.t[i] > p.at + bound);
      const worst = Math.max(0, ...after.map((c) => (c ?? 0) - p.limitMB));
      let v: Verdict;
      if (under < 0) v = { word: 'not reproduced', reason: `never at or under ${p.limitMB} MB` };
      else if (reached <= bound && worst <= 0.01)
        v = {
          word: 'reproduced',
          reason: `under it after ${reached} s (its pace allows ${bound} s) and stayed there`,
        };
      else if (worst <= 0.01)
        v = {
          word: 'direction only',
          reason: `under it, but after ${reached} s (its pace allows ${bound} s)`,
        };
      else v = { word: 'not reproduced', reason: `${fixed(worst)} MB over it ${bound} s after it was set` };
      rows.push({
        configuration: `${id(run)}: ${fixed(before, 0)} MB limited to ${p.limitMB} MB`,
        measured:
          under < 0
            ? 'never under the limit'
            : `under after ${reached} s; then at most ${fixed(worst)} MB over`,
        published: `${p.published.cap.text} (${p.published.cap.source})`,
        verdict: v,
      });
      notes.push(`${id(run)}: free states after the limit: ${[...states].join(', ')}`);
    }
    return { rows, charts: [], notes };
  },
};
