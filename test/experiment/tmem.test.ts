import { beforeAll, describe, expect, it } from 'vitest';
import type { JobResult } from '../../src/experiment/job.ts';
import { type Executor, runExperiment, serial } from '../../src/experiment/run.ts';
import { loadExperiment } from '../../src/experiment/spec.ts';

const spec = loadExperiment('presets/experiments/tmem.yaml', true);
const p = spec.params as { fileSizes: number[]; fileGuests: string[]; swapGuest: string; from: number };

describe('tmem (quick)', () => {
  const results = new Map<string, JobResult>();
  const keep: Executor = (jobs, onTick) => {
    const out = serial(jobs, onTick);
    for (const r of out) results.set(r.id, r);
    return out;
  };
  beforeAll(() => {
    runExperiment(spec, undefined, keep);
  });
  // How much the guests' counter grew from `from` to the end of the run.
  const grew = (id: string, guests: readonly string[], field: string): number => {
    const r = results.get(id);
    if (!r) throw new Error(`no configuration ${id}`);
    const i = r.t.findIndex((t) => t >= p.from);
    return guests.reduce((a, g) => {
      const s = r.series[`guest.${g}.guestOs.${field}`] as number[];
      return a + s[s.length - 1] - s[i];
    }, 0);
  };
  const size = p.fileSizes[0];

  it('cleancache: the file guests read fewer pages from storage with tmem than without (seed 001)', () => {
    const on = grew(`files ${size} MB, tmem`, p.fileGuests, 'storageReads');
    const off = grew(`files ${size} MB, no tmem`, p.fileGuests, 'storageReads');
    expect(off).toBeGreaterThan(0);
    expect(on).toBeLessThan(off);
  });

  it('frontswap: the swapping guest reads and writes its swap device less with tmem than without', () => {
    const io = (id: string) =>
      grew(id, [p.swapGuest], 'storageReads') + grew(id, [p.swapGuest], 'storageWrites');
    const on = io(`files ${size} MB, tmem`);
    const off = io(`files ${size} MB, no tmem`);
    expect(off).toBeGreaterThan(0);
    expect(on).toBeLessThan(off);
  });

  it('without tmem nothing goes to tmem: the control run is a real control', () => {
    const r = results.get(`files ${size} MB, no tmem`)!;
    const gets = r.series[`guest.${p.fileGuests[0]}.Succ eph gets`];
    expect(gets.every((v) => v === null)).toBe(true);
  });
});
