import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/experiment/job.ts';
import { reportsJson } from '../../src/experiment/render.ts';
import {
  type Executor,
  plan,
  runExperiment,
  runExperimentInWorkers,
  serial,
} from '../../src/experiment/run.ts';
import { parseExperiment } from '../../src/experiment/spec.ts';

/** A small experiment: two configurations (balloon, swap) of a few simulated seconds each. */
const spec = parseExperiment(
  `# A small experiment
kind: balloon-vs-swap
seed: 3
figure: throughput
source: 002, 5.3
preset:
  host: { memory: 128MB, compressionCache: 0% }
  guests:
    - name: db
      memsz: 32MB
      workloads: [{ type: database, size: 16MB }]
params:
  steps: [0.5]
  warmup: 6
  settle: 3
  measure: 3
  published:
    plateau: { low: 0.9, high: 1.1, text: near 1, source: 002 5.3 }
    earlier: { text: swap first, source: 002 5.3 }
    deepest: { low: 0, high: 0.5, text: low, source: 002 5.3 }
`,
  'small.yaml',
);

describe('the experiment runner', () => {
  it('runs a job from its data alone: the same job twice gives the same result', () => {
    const job = plan(spec)[0];
    const copy = JSON.parse(JSON.stringify(job));
    expect(JSON.stringify(runJob(copy))).toBe(JSON.stringify(runJob(job)));
  });

  it('gathers results by configuration: backwards, or in worker threads at once, the report is the same byte for byte', async () => {
    const backwards: Executor = (jobs, onTick) => serial([...jobs].reverse(), onTick);
    const progress: number[] = [];
    const a = reportsJson([runExperiment(spec, (done) => progress.push(done))]);
    expect(reportsJson([runExperiment(spec, undefined, backwards)])).toBe(a);
    const parallel: number[] = [];
    expect(reportsJson([await runExperimentInWorkers(spec, (done) => parallel.push(done), 2)])).toBe(a);
    // Progress counts simulated seconds over every configuration, up to the total, never backwards.
    const total = plan(spec).reduce((x, j) => x + j.seconds, 0);
    for (const p of [progress, parallel]) {
      expect(p[p.length - 1]).toBe(total);
      expect(p.every((x, i) => i === 0 || x >= p[i - 1])).toBe(true);
    }
  });
});
