/**
 * Transcendent memory on a file-heavy load (seeds 001 and 004): the base preset (Xen, self-ballooning
 * on) runs with tmem and without it, once per size of the files its file-copy guests stream. With
 * tmem, the memory self-ballooning frees is fallow, and cleancache keeps the clean pages the guests
 * evict there; frontswap keeps the pages a guest swaps out. Read against the run without tmem: the
 * file guests' page-ins from storage (cleancache), the swapping guest's swap-device reads and writes
 * (frontswap; a guest with no files, so all its storage traffic is its swap device's), and the
 * hypervisor's CPU for the tmem operations, from the engine's cost model.
 *
 * What sets the cleancache figure is how much of the streamed files the fallow memory can hold: a file
 * smaller than what tmem can keep is read from storage once and never again (the shipped preset's
 * -100 %), one several times bigger mostly misses.
 */
import { z } from 'zod';
import { COST } from '../../engine/costs.ts';
import type { ExperimentSpec } from '../experiment-spec.ts';
import type { Job, JobResult } from '../job.ts';
import { ClaimSchema, FigureSchema, fixed, type Outcome, pct, type Row } from '../outcome.ts';
import { listOf, seconds } from '../params.ts';
import { verdict } from '../verdict.ts';
import { guestsOf, presetText } from './build.ts';
import type { Kind } from './kind.ts';

const Params = z.object({
  /** Sizes, in MB, given to every file-copy workload of the base preset, smallest first. */
  fileSizes: listOf(z.number().positive(), 1, 'file sizes'),
  /** Guests whose storage reads are page-ins of files. */
  fileGuests: listOf(z.string(), 1, 'guest names'),
  /** A guest without files, which swaps. */
  swapGuest: z.string(),
  duration: seconds,
  /** Counts are taken from here to the end: after the first pass over the files, which misses either way. */
  from: seconds,
  published: z.object({
    cleancache: FigureSchema,
    frontswap: ClaimSchema,
    cpu: FigureSchema,
    cpuPerIo: FigureSchema,
  }),
});
type P = z.output<typeof Params>;

const MODES = ['tmem', 'no tmem'] as const;
type Mode = (typeof MODES)[number];
const id = (size: number, mode: Mode): string => `files ${size} MB, ${mode}`;

/** Per-guest counters (since power-on) the analysis reads. */
const FILE = ['guestOs.storageReads', 'Succ eph gets', 'tmem.failedEphPuts'];
const SWAP = [
  'guestOs.storageReads',
  'guestOs.storageWrites',
  'Succ pers puts',
  'Succ pers gets',
  'tmem.failedPersPuts',
];

export const tmem: Kind<P> = {
  params: Params,

  jobs(spec: ExperimentSpec, p: P): Job[] {
    const host = spec.preset.host as Record<string, unknown>;
    const without = (host.without as string[] | undefined) ?? [];
    const probes = [
      ...p.fileGuests.flatMap((g) => FILE.map((f) => `guest.${g}.${f}`)),
      ...SWAP.map((f) => `guest.${p.swapGuest}.${f}`),
    ];
    return p.fileSizes.flatMap((size) =>
      MODES.map(
        (mode): Job => ({
          id: id(size, mode),
          file: `${spec.file} (${id(size, mode)})`,
          preset: presetText(`${spec.name}: ${id(size, mode)}`, {
            ...spec.preset,
            host: { ...host, without: mode === 'tmem' ? without : [...without, 'tmem'] },
            guests: guestsOf(spec.preset).map((g) => ({
              ...g,
              workloads: ((g.workloads as Record<string, unknown>[] | undefined) ?? []).map((w) =>
                w.type === 'file-copy' ? { ...w, size: `${size}MB` } : w,
              ),
            })),
          }),
          seed: spec.seed,
          seconds: p.duration,
          probes,
        }),
      ),
    );
  },

  analyse(_spec: ExperimentSpec, p: P, results: ReadonlyMap<string, JobResult>): Outcome {
    const span = p.duration - p.from;
    // A counter's growth from `from` to the end (a missing counter, as without tmem, is 0).
    const grew = (size: number, mode: Mode, path: string): number => {
      const r = results.get(id(size, mode))!;
      const s = r.series[path];
      const i = r.t.findIndex((t) => t >= p.from - 1e-9);
      const v = (k: number): number => (typeof s[k] === 'number' ? (s[k] as number) : 0);
      return v(s.length - 1) - v(i);
    };
    const sum = (size: number, mode: Mode, guests: readonly string[], field: string): number =>
      guests.reduce((a, g) => a + grew(size, mode, `guest.${g}.${field}`), 0);
    const reads = (size: number, mode: Mode): number => sum(size, mode, p.fileGuests, 'guestOs.storageReads');
    const swapIo = (size: number, mode: Mode): number =>
      sum(size, mode, [p.swapGuest], 'guestOs.storageReads') +
      sum(size, mode, [p.swapGuest], 'guestOs.storageWrites');
    // A tmem put or get that succeeds copies a page in the hypervisor: COST.tmemGet each. A lookup that
    // misses or a put refused copies nothing, and the cost model has no figure for the hypercall alone:
    // they are not charged. A page the guest reads into its page cache, from storage or from tmem, is
    // put when it is evicted.
    const copies = (size: number): number => {
      const f = (field: string) => sum(size, 'tmem', p.fileGuests, field);
      const s = (field: string) => sum(size, 'tmem', [p.swapGuest], field);
      const ephPuts = f('guestOs.storageReads') + f('Succ eph gets') - f('tmem.failedEphPuts');
      return ephPuts + f('Succ eph gets') + s('Succ pers puts') + s('Succ pers gets');
    };
    const rate = (n: number): string => `${(n / span).toFixed(0)}/s`;
    const rows: Row[] = [];
    for (const size of p.fileSizes) {
      const [on, off] = [reads(size, 'tmem'), reads(size, 'no tmem')];
      const cut = off > 0 ? 1 - on / off : Number.NaN;
      rows.push({
        configuration: `files ${size} MB: page-ins from storage cut by tmem`,
        measured: `${pct(cut)} (${rate(on)} against ${rate(off)}, ${rate(off - on)} saved)`,
        published: `${p.published.cleancache.text} (${p.published.cleancache.source})`,
        verdict: verdict(cut, { ...p.published.cleancache, format: (x) => pct(x) }),
      });
      const [son, soff] = [swapIo(size, 'tmem'), swapIo(size, 'no tmem')];
      const refused = sum(size, 'tmem', [p.swapGuest], 'tmem.failedPersPuts');
      const puts = sum(size, 'tmem', [p.swapGuest], 'Succ pers puts');
      rows.push({
        configuration: `files ${size} MB: ${p.swapGuest}'s swap I/O, frontswap against none`,
        measured: `cut ${soff > 0 ? pct(1 - son / soff) : 'n/a'} (${rate(son)} against ${rate(soff)})`,
        published: `${p.published.frontswap.text} (${p.published.frontswap.source})`,
        verdict:
          son >= soff
            ? {
                word: 'not reproduced',
                reason:
                  soff === 0
                    ? 'the guest did not swap: nothing to cut'
                    : `frontswap took ${puts} pages and refused ${refused}: no less I/O`,
              }
            : refused > puts
              ? {
                  word: 'direction only',
                  reason: `less I/O, but frontswap refused ${refused} pages and took ${puts}: cleancache holds the fallow memory`,
                }
              : { word: 'reproduced', reason: `frontswap took ${puts} pages, refused ${refused}: less I/O` },
      });
      const cpu = (100 * copies(size) * COST.tmemGet) / span;
      rows.push({
        configuration: `files ${size} MB: hypervisor CPU for tmem`,
        measured: `${fixed(cpu, 3)} % of a core (${rate(copies(size))} pages copied)`,
        published: `${p.published.cpu.text} (${p.published.cpu.source})`,
        verdict: verdict(cpu, { ...p.published.cpu, format: (x) => `${fixed(x, 3)} %` }),
      });
      // Per storage I/O saved, the figure does not depend on how hard the guests work.
      const saved = off - on + (soff - son);
      const perIo = saved > 0 ? (1e6 * copies(size) * COST.tmemGet) / saved : Number.NaN;
      rows.push({
        configuration: `files ${size} MB: hypervisor CPU per storage I/O saved`,
        measured: `${fixed(perIo, 1)} us (${rate(saved)} saved)`,
        published: `${p.published.cpuPerIo.text} (${p.published.cpuPerIo.source})`,
        verdict: verdict(perIo, { ...p.published.cpuPerIo, format: (x) => `${fixed(x, 1)} us` }),
      });
    }
    return {
      rows,
      charts: [
        {
          title: 'page-ins from storage against the file size',
          x: 'file size, MB',
          y: 'page-ins per second',
          curves: MODES.map((mode) => ({
            name: mode,
            points: p.fileSizes.map((size) => [size, reads(size, mode) / span] as const),
          })),
        },
      ],
      notes: [],
    };
  },
};
