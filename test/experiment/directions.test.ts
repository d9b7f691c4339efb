/**
 * The --quick version of each experiment shows the direction the published results give. Each test
 * reads the configurations' samples itself (not only the verdicts the experiment words), so it fails
 * if the model stops showing the effect, whatever the analysis says.
 */
import { describe, expect, it } from 'vitest';
import type { JobResult } from '../../src/experiment/job.ts';
import { last, mean, window } from '../../src/experiment/outcome.ts';
import { type Report, runExperiment, serial } from '../../src/experiment/run.ts';
import { loadExperiment } from '../../src/experiment/spec.ts';

/** Runs an experiment's quick version; gives its report and the samples of every configuration. */
async function quick<P>(
  name: string,
): Promise<{ report: Report; results: Map<string, JobResult>; params: P }> {
  const spec = loadExperiment(`presets/experiments/${name}.yaml`, true);
  const results = new Map<string, JobResult>();
  const report = runExperiment(spec, undefined, (jobs, onTick) => {
    const rs = serial(jobs, onTick);
    for (const r of rs) results.set(r.id, r);
    return rs;
  });
  return { report, results, params: spec.params as P };
}

const verdicts = (r: Report): string[] => r.outcome.rows.map((x) => x.verdict.word);

describe('the experiments, short versions: the published direction', () => {
  it('balloon-vs-swap: ballooning keeps its throughput while the limit is above what the guest holds, and swapping falls first', async () => {
    const { report, results, params } = await quick<{
      warmup: number;
      settle: number;
      measure: number;
      steps: number[];
    }>('balloon-vs-swap');
    const g = [...results.keys()][0].split(' ')[0];
    const memszMB = 64;
    const { warmup, settle, measure, steps } = params;
    const thru = (mode: string, from: number): number =>
      mean(window(results.get(`${g} ${mode}`)!, `guest.${g}.THRU`, from, from + measure));
    const base = { balloon: thru('balloon', warmup), swap: thru('swap', warmup) };
    const cnsm = mean(window(results.get(`${g} balloon`)!, `guest.${g}.CNSM`, warmup, warmup + measure));
    const norm = steps.map((f, i) => {
      const from = warmup + measure + i * (settle + measure) + settle;
      return { f, balloon: thru('balloon', from) / base.balloon, swap: thru('swap', from) / base.swap };
    });
    const above = norm.filter((n) => n.f * memszMB >= cnsm);
    expect(above.length, 'some limit step is above what the guest holds').toBeGreaterThan(0);
    for (const n of above) {
      expect(n.balloon, `limit ${n.f}: ballooning near its unlimited throughput`).toBeGreaterThan(0.9);
      expect(n.balloon, `limit ${n.f}: ballooning at least swapping`).toBeGreaterThanOrEqual(n.swap - 0.02);
    }
    // Where either first loses 10 %, swapping has lost more.
    const first = norm.find((n) => Math.min(n.balloon, n.swap) < 0.9);
    expect(first, 'some limit step costs throughput').toBeDefined();
    expect(first!.swap).toBeLessThan(first!.balloon);
    expect(verdicts(report).slice(0, 2)).toEqual(['reproduced', 'reproduced']);
  });

  it('limits: every guest is at or under its limit once reclamation has had the time its pace needs, in every run', async () => {
    const { report, results, params } = await quick<{
      guest: string;
      at: number;
      limitMB: number;
      reclaimMBs: number;
      slack: number;
    }>('limits');
    for (const [id, r] of results) {
      const cnsm = r.series[`guest.${params.guest}.CNSM`] as number[];
      const before = cnsm[r.t.findIndex((t) => t >= params.at) - 1];
      expect(before, `${id}: the guest was over the limit before it was set`).toBeGreaterThan(params.limitMB);
      const allowed = params.at + (before - params.limitMB) / params.reclaimMBs + params.slack;
      const late = r.t
        .map((t, i) => [t, cnsm[i]] as const)
        .filter(([t, c]) => t > allowed && c > params.limitMB);
      expect(late, `${id}: over ${params.limitMB} MB after ${allowed} s`).toEqual([]);
    }
    expect(new Set(verdicts(report))).toEqual(new Set(['reproduced']));
  });

  it('idle-tax: the busy guest gets more, and the hoarder less, as the tax rises; equal without it', async () => {
    const { results, params } = await quick<{ taxes: number[]; duration: number; measure: number }>(
      'idle-tax',
    );
    const held = (tax: number, g: string, what: string): number =>
      mean(
        window(
          results.get(`tax ${Math.round(tax * 100)} %`)!,
          `guest.${g}.${what}`,
          params.duration - params.measure,
          params.duration,
        ),
      );
    const [none, high] = [params.taxes[0], params.taxes[params.taxes.length - 1]];
    expect(none).toBe(0);
    for (const what of ['SZTGT', 'CNSM']) {
      expect(held(high, 'busy', what), what).toBeGreaterThan(1.1 * held(none, 'busy', what));
      expect(held(high, 'hoarder', what), what).toBeLessThan(held(none, 'hoarder', what));
    }
    const ratio = held(none, 'busy', 'CNSM') / held(none, 'hoarder', 'CNSM');
    expect(ratio).toBeGreaterThan(0.9);
    expect(ratio).toBeLessThan(1.1);
  });

  it('sharing: the saving grows with every identical guest added, and KSM gets there sooner at a higher scan rate', async () => {
    const { results, params } = await quick<{ counts: number[]; ksmPagesToScan: number[] }>('sharing');
    const saving = params.counts.map((n) =>
      last(results.get(`esx, ${n} guest${n === 1 ? '' : 's'}`)!, 'host.pshare.saving'),
    );
    for (let i = 1; i < saving.length; i++)
      expect(saving[i], `${params.counts[i]} guests`).toBeGreaterThan(saving[i - 1]);
    // Per extra guest beyond the first, the saving does not shrink (no diminishing return among identical guests).
    const perExtra = (i: number): number => (saving[i] - saving[0]) / (params.counts[i] - 1);
    expect(perExtra(saving.length - 1)).toBeGreaterThanOrEqual(0.9 * perExtra(1));
    const t90 = (rate: number): number => {
      const r = results.get(`kvm, ${rate} pages per sleep`)!;
      const s = r.series['host.pshare.saving'] as number[];
      return r.t[s.findIndex((v) => v >= 0.9 * s[s.length - 1])];
    };
    const [slow, fast] = params.ksmPagesToScan;
    expect(t90(fast)).toBeLessThan(t90(slow));
  });
});
