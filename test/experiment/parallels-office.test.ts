import { beforeAll, describe, expect, it } from 'vitest';
import type { JobResult } from '../../src/experiment/job.ts';
import { mean, window } from '../../src/experiment/outcome.ts';
import { type Executor, type Report, runExperiment, serial } from '../../src/experiment/run.ts';
import { loadExperiment } from '../../src/experiment/spec.ts';

const spec = loadExperiment('presets/experiments/parallels-office.yaml', true);
const p = spec.params as { overcommits: number[]; duration: number; measure: number; guests: number };

describe('parallels-office (quick)', () => {
  const results = new Map<string, JobResult>();
  const keep: Executor = (jobs, onTick) => {
    const out = serial(jobs, onTick);
    for (const r of out) results.set(r.id, r);
    return out;
  };
  let report: Report;
  beforeAll(() => {
    report = runExperiment(spec, undefined, keep);
  });
  // Guest operations per second, over the guests and the measured end of the run.
  const thru = (id: string): number => {
    const r = [...results.values()].find((x) => x.id.endsWith(id));
    if (!r) throw new Error(`no configuration ${id}`);
    const names = Object.keys(r.series);
    return mean(names.map((n) => mean(window(r, n, p.duration - p.measure, p.duration))));
  };

  it('ballooned guests work faster than swapped ones at every overcommit (seed 003)', () => {
    for (const oc of p.overcommits) {
      const at = `overcommit ${Math.round(oc * 100)} %`;
      expect(thru(`balloon, ${at}`)).toBeGreaterThan(thru(`swap, ${at}`));
    }
    expect(report.outcome.rows[0].verdict.word).toBe('reproduced');
  });

  it('overcommit costs: every overcommitted run is slower than the unovercommitted one', () => {
    const base = thru('unovercommitted');
    for (const oc of p.overcommits)
      expect(thru(`swap, overcommit ${Math.round(oc * 100)} %`)).toBeLessThan(base);
  });
});
