/**
 * Ballooning against host swapping as a limit steps down (seed 002, 5.3): each guest of the base
 * preset runs alone on a roomy host, once with its balloon driver and once without, first unlimited
 * (the baseline, at steady state), then with its limit stepped down. Throughput at each step is
 * normalised to the baseline.
 *
 * The paper places the knee at "the working set plus the guest OS" (SPECjbb: 2.5 GB + 300 MB of a
 * 4 GB VM). Here that is what the guest consumes unlimited at steady state: everything its programs
 * touch often enough that losing it costs throughput, plus its kernel.
 */
import { z } from 'zod';
import type { ExperimentSpec } from '../experiment-spec.ts';
import type { Job, JobResult } from '../job.ts';
import { ClaimSchema, FigureSchema, fixed, mean, type Outcome, pct, type Row, window } from '../outcome.ts';
import { fraction, listOf, seconds } from '../params.ts';
import { holds, verdict } from '../verdict.ts';
import { type GuestData, guestsOf, kb, memszOf, presetText } from './build.ts';
import type { Kind } from './kind.ts';

const Params = z.object({
  /** Limits after the unlimited phase, as fractions of the guest's memsz, highest first. */
  steps: listOf(fraction('memsz'), 1, 'limits'),
  /** Seconds: before the baseline is measured; after each step before it is measured; each measurement. */
  warmup: seconds,
  settle: seconds,
  measure: seconds,
  published: z.object({
    plateau: FigureSchema,
    earlier: ClaimSchema,
    deepest: FigureSchema,
  }),
});
type P = z.output<typeof Params>;

const MODES = ['balloon', 'swap'] as const;
const id = (guest: string, mode: string): string => `${guest} ${mode}`;

/** When step k (1-based; 0 is unlimited) starts and is measured. */
function timing(p: P) {
  const start = (k: number): number =>
    k === 0 ? 0 : p.warmup + p.measure + (k - 1) * (p.settle + p.measure);
  const from = (k: number): number => (k === 0 ? p.warmup : start(k) + p.settle);
  return { start, from, to: (k: number) => from(k) + p.measure, end: start(p.steps.length + 1) };
}

export const balloonVsSwap: Kind<P> = {
  params: Params,

  jobs(spec: ExperimentSpec, p: P): Job[] {
    const time = timing(p);
    return guestsOf(spec.preset).flatMap((g) =>
      MODES.map((mode): Job => {
        const name = String(g.name);
        const memsz = memszOf(g);
        const timeline = p.steps.map((f, i) => ({
          [`at ${time.start(i + 1)}s`]: `limit ${name} ${kb(f * memsz)}`,
        }));
        const guest: GuestData = { ...g, balloon: mode === 'balloon' };
        return {
          id: id(name, mode),
          file: `${spec.file} (${name}, ${mode})`,
          preset: presetText(`${spec.name}: ${name}, ${mode} only`, {
            personality: spec.preset.personality ?? 'esx',
            host: spec.preset.host,
            guests: [guest],
            timeline,
          }),
          seed: spec.seed,
          seconds: time.end,
          probes: [`guest.${name}.THRU`, `guest.${name}.CNSM`, `guest.${name}.TCHD`],
        };
      }),
    );
  },

  analyse(spec: ExperimentSpec, p: P, results: ReadonlyMap<string, JobResult>): Outcome {
    const time = timing(p);
    const rows: Row[] = [];
    const notes: string[] = [];
    const charts: Outcome['charts'][number][] = [];
    for (const g of guestsOf(spec.preset)) {
      const name = String(g.name);
      const memsz = memszOf(g);
      const thru = (mode: string, k: number): number =>
        mean(window(results.get(id(name, mode))!, `guest.${name}.THRU`, time.from(k), time.to(k)));
      const base = { balloon: thru('balloon', 0), swap: thru('swap', 0) };
      const steady = (mode: 'balloon' | 'swap'): number =>
        mean(window(results.get(id(name, mode))!, `guest.${name}.THRU`, p.warmup - p.measure, p.warmup)) /
        base[mode];
      for (const mode of MODES) {
        if (Math.abs(steady(mode) - 1) > 0.05)
          notes.push(
            `${name}, ${mode}: the baseline was not steady (the measure before it differs by ${pct(steady(mode) - 1)})`,
          );
      }
      // The working set plus the OS: what the guest consumes unlimited, at steady state.
      const wsos =
        mean(window(results.get(id(name, 'balloon'))!, `guest.${name}.CNSM`, time.from(0), time.to(0))) /
        (memsz / 256);
      // ESX's own estimate of the same (what it saw touched in its sample period), for comparison.
      const touched =
        mean(window(results.get(id(name, 'balloon'))!, `guest.${name}.TCHD`, time.from(0), time.to(0))) /
        (memsz / 256);
      notes.push(
        `${name}: working set plus OS ${pct(wsos)} of memsz (consumed unlimited, at steady state); ESX's estimate of what it touches (TCHD) ${pct(touched)}`,
      );
      const norm = (mode: 'balloon' | 'swap', k: number): number => thru(mode, k) / base[mode];
      const ks = p.steps.map((_, i) => i + 1);
      const above = ks.filter((k) => p.steps[k - 1] >= wsos);
      const below = ks.filter((k) => p.steps[k - 1] < wsos);
      const label = (k: number): string => pct(p.steps[k - 1]);
      const list = (mode: 'balloon' | 'swap', set: number[]): string =>
        set.map((k) => `${label(k)} ${fixed(norm(mode, k))}`).join(', ');
      // Ballooning above the knee: near 1.0.
      if (above.length > 0) {
        const worst = Math.min(...above.map((k) => norm('balloon', k)));
        rows.push({
          configuration: `${name}: ballooning, limit >= WS+OS (${pct(wsos)})`,
          measured: `${fixed(worst)} (${list('balloon', above)})`,
          published: `${p.published.plateau.text} (${p.published.plateau.source})`,
          verdict: verdict(worst, p.published.plateau),
        });
      } else {
        notes.push(
          `${name}: no limit step is above its working set plus OS (${pct(wsos)}): the plateau is not probed`,
        );
      }
      // Swapping falls earlier: at the first step where either loses 10 %, swapping has lost more.
      const first = ks.find((k) => Math.min(norm('balloon', k), norm('swap', k)) < 0.9);
      if (first !== undefined) {
        const b = norm('balloon', first);
        const s = norm('swap', first);
        rows.push({
          configuration: `${name}: first limit either loses 10 % (${label(first)})`,
          measured: `balloon ${fixed(b)}, swap ${fixed(s)}`,
          published: `${p.published.earlier.text} (${p.published.earlier.source})`,
          verdict: holds(
            s < b,
            `swapping lost more first (${fixed(s)} < ${fixed(b)})`,
            `ballooning lost as much or more (${fixed(b)} <= ${fixed(s)})`,
          ),
        });
      }
      // The deepest limit: both low.
      const deepest = ks[ks.length - 1];
      const both = Math.max(norm('balloon', deepest), norm('swap', deepest));
      rows.push({
        configuration: `${name}: deepest limit (${label(deepest)})`,
        measured: `balloon ${fixed(norm('balloon', deepest))}, swap ${fixed(norm('swap', deepest))}`,
        published: `${p.published.deepest.text} (${p.published.deepest.source})`,
        verdict: verdict(both, p.published.deepest),
      });
      const wins = ks.filter((k) => norm('swap', k) > norm('balloon', k) + 0.02);
      notes.push(
        wins.length > 0
          ? `${name}: swapping beat ballooning at ${wins.map(label).join(', ')} (${list('swap', wins)} against ${list('balloon', wins)})`
          : `${name}: swapping beat ballooning at no limit`,
      );
      if (below.length > 0)
        notes.push(
          `${name} under WS+OS: ballooning ${list('balloon', below)}; swapping ${list('swap', below)}`,
        );
      charts.push({
        title: `${name}: throughput against the limit, normalised to unlimited`,
        x: 'limit, % of memsz (100: unlimited)',
        y: 'throughput / unlimited',
        curves: MODES.map((mode) => ({
          name: mode,
          points: [[100, 1] as const, ...ks.map((k) => [100 * p.steps[k - 1], norm(mode, k)] as const)],
        })),
      });
    }
    return { rows, charts, notes };
  },
};
