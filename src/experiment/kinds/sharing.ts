/**
 * Page sharing across identical guests (seed 002, 5.2; KSM's pages_to_scan and sleep_millisecs).
 * ESX: 1, 2, 4, 8 copies of the base preset's guest, run until the scanner has covered every guest
 * several times; the saving is split into zero pages and the rest, and the rest per extra guest is set
 * against the OS image every copy holds. KVM: the same guests under KSM at several scan rates; the time
 * to 90 % of the final saving is set against the rate.
 */
import { z } from 'zod';
import { parseDuration } from '../../scenario/quantities.ts';
import type { ExperimentSpec } from '../experiment-spec.ts';
import type { Job, JobResult } from '../job.ts';
import { FigureSchema, fixed, last, type Outcome, type Row } from '../outcome.ts';
import { listOf, seconds } from '../params.ts';
import { verdict } from '../verdict.ts';
import { guestsOf, memszOf, presetText } from './build.ts';
import type { Kind } from './kind.ts';

const Params = z.object({
  /** ESX: how many copies of the guest. */
  counts: listOf(z.number().int().min(1).max(32), 2, 'guest counts'),
  /** KVM: the copies KSM runs over, and its pages_to_scan values (every ksmSleep). */
  ksmGuests: z.number().int().min(2).max(16),
  ksmPagesToScan: listOf(z.number().int().positive(), 2, 'scan rates'),
  /** Simulated seconds each run lasts (several scans of every guest). */
  duration: seconds,
  ksmDuration: seconds,
  /** The OS image each copy holds (the os-image workload's size), MB; with its kernel, what sharing could save per copy. */
  imageMB: z.number().positive(),
  /** xxHash64 pages per second on one core (npm run bench: hash a page), for the scanner's CPU. */
  hashPagesPerSecond: z.number().positive(),
  published: z.object({
    linear: FigureSchema,
    image: FigureSchema,
    rate: FigureSchema,
    cpu: FigureSchema,
  }),
});
type P = z.output<typeof Params>;

const esxId = (n: number): string => `esx, ${n} guest${n === 1 ? '' : 's'}`;
const ksmId = (rate: number): string => `kvm, ${rate} pages per sleep`;

/** n copies of the base guest, named after it with a number. */
function copies(spec: ExperimentSpec, n: number): Record<string, unknown>[] {
  const g = guestsOf(spec.preset)[0];
  return Array.from({ length: n }, (_, i) => ({ ...g, name: `${String(g.name)}${i + 1}` }));
}

export const sharing: Kind<P> = {
  params: Params,

  jobs(spec: ExperimentSpec, p: P): Job[] {
    const host = spec.preset.host as Record<string, unknown>;
    const esx = p.counts.map(
      (n): Job => ({
        id: esxId(n),
        file: `${spec.file} (${esxId(n)})`,
        preset: presetText(`${spec.name}: ${esxId(n)}`, {
          personality: 'esx',
          host,
          guests: copies(spec, n),
        }),
        seed: spec.seed,
        seconds: p.duration,
        probes: [
          'host.pshare.saving',
          ...copies(spec, n).flatMap((g) => [
            `guest.${String(g.name)}.ZERO`,
            `guest.${String(g.name)}.guestOs.kernelMB`,
          ]),
        ],
      }),
    );
    const ksm = p.ksmPagesToScan.map(
      (rate): Job => ({
        id: ksmId(rate),
        file: `${spec.file} (${ksmId(rate)})`,
        preset: presetText(`${spec.name}: ${ksmId(rate)}`, {
          personality: 'kvm',
          host: { ...host, ksmPagesToScan: rate },
          guests: copies(spec, p.ksmGuests),
        }),
        seed: spec.seed,
        seconds: p.ksmDuration,
        probes: ['host.pshare.saving'],
      }),
    );
    return [...esx, ...ksm];
  },

  analyse(spec: ExperimentSpec, p: P, results: ReadonlyMap<string, JobResult>): Outcome {
    const rows: Row[] = [];
    const notes: string[] = [];
    const zero = (n: number): number => {
      const r = results.get(esxId(n))!;
      return copies(spec, n).reduce((a, g) => a + last(r, `guest.${String(g.name)}.ZERO`), 0);
    };
    const saving = (n: number): number => last(results.get(esxId(n))!, 'host.pshare.saving');
    // Zero pages all map onto one frame: their saving is their count (less that one frame).
    const rest = (n: number): number => saving(n) - zero(n);
    const perExtra = (n: number): number => (n > 1 ? rest(n) / (n - 1) : Number.NaN);
    for (const n of p.counts) {
      notes.push(
        `${esxId(n)}: saving ${saving(n).toFixed(0)} MB, of which zero pages ${zero(n).toFixed(0)} MB and ` +
          `the rest ${rest(n).toFixed(0)} MB${n > 1 ? ` (${perExtra(n).toFixed(0)} MB per extra guest)` : ''}`,
      );
    }
    const multi = p.counts.filter((n) => n > 1);
    const [small, big] = [multi[0], multi[multi.length - 1]];
    rows.push({
      configuration: `esx: saving per extra guest, ${big} guests against ${small}`,
      measured: `${fixed(perExtra(big) / perExtra(small))} (${perExtra(big).toFixed(0)} against ${perExtra(small).toFixed(0)} MB)`,
      published: `${p.published.linear.text} (${p.published.linear.source})`,
      verdict: verdict(perExtra(big) / perExtra(small), p.published.linear),
    });
    // Each copy's kernel is as identical as its image (same OS, same size).
    const first = String(copies(spec, 1)[0].name);
    const os = p.imageMB + last(results.get(esxId(big))!, `guest.${first}.guestOs.kernelMB`);
    rows.push({
      configuration: `esx: the OS (kernel and image) shared, ${big} guests`,
      measured: `${fixed(perExtra(big) / os)} of ${os.toFixed(0)} MB`,
      published: `${p.published.image.text} (${p.published.image.source})`,
      verdict: verdict(perExtra(big) / os, p.published.image),
    });
    // The scanner: every guest's memory once per shareScanTime, each page hashed once.
    const host = spec.preset.host as Record<string, unknown>;
    const scanTime = parseDuration(String(host.shareScanTime ?? '300s'));
    const memsz = memszOf(guestsOf(spec.preset)[0]);
    const cpu = (pagesPerSecond: number): number => (100 * pagesPerSecond) / p.hashPagesPerSecond;
    rows.push({
      configuration: `esx: scanner CPU, ${big} guests`,
      measured: `${fixed(cpu((big * memsz) / scanTime), 3)} % of a core`,
      published: `${p.published.cpu.text} (${p.published.cpu.source})`,
      verdict: verdict(cpu((big * memsz) / scanTime), p.published.cpu),
    });
    // KSM: time to 90 % of the final saving, against the scan rate.
    const t90 = (rate: number): number => {
      const r = results.get(ksmId(rate))!;
      const s = r.series['host.pshare.saving'] as number[];
      const goal = 0.9 * s[s.length - 1];
      const i = s.findIndex((v) => v >= goal);
      return i < 0 ? Number.NaN : r.t[i];
    };
    const rates = [...p.ksmPagesToScan].sort((a, b) => a - b);
    const [slow, fast] = [rates[0], rates[rates.length - 1]];
    const speedup = t90(slow) / t90(fast);
    rows.push({
      configuration: `kvm: time to 90 % of the saving, ${slow} against ${fast} pages per sleep`,
      measured: `${fixed(speedup)}x (${t90(slow).toFixed(0)} s against ${t90(fast).toFixed(0)} s)`,
      published: `${p.published.rate.text}: ${fixed(fast / slow)}x (${p.published.rate.source})`,
      // The published figure is a share of the rate's ratio: scaled to this sweep's rates.
      verdict: verdict(speedup, {
        ...p.published.rate,
        low: p.published.rate.low * (fast / slow),
        high: p.published.rate.high * (fast / slow),
        reference: 1,
      }),
    });
    const sleep = parseDuration(String(host.ksmSleep ?? '20ms'));
    for (const rate of rates) {
      const r = results.get(ksmId(rate))!;
      notes.push(
        `${ksmId(rate)} (${(rate / sleep / 256).toFixed(1)} MB/s scanned): ` +
          `90 % of the final ${last(r, 'host.pshare.saving').toFixed(0)} MB saving after ${t90(rate).toFixed(0)} s`,
      );
    }
    return {
      rows,
      charts: [
        {
          title: 'esx: memory saved against the number of identical guests',
          x: 'guests',
          y: 'MB saved',
          curves: [
            { name: 'zero pages', points: p.counts.map((n) => [n, zero(n)] as const) },
            { name: 'the rest', points: p.counts.map((n) => [n, rest(n)] as const) },
          ],
        },
        {
          title: 'kvm: memory saved over time at each scan rate',
          x: 'simulated seconds',
          y: 'MB saved',
          curves: rates.map((rate) => {
            const r = results.get(ksmId(rate))!;
            return {
              name: `${rate} pages`,
              points: r.t.map((t, i) => [t, r.series['host.pshare.saving'][i] as number] as const),
            };
          }),
        },
      ],
      notes,
    };
  },
};
