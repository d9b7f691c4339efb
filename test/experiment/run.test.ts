import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/experiment/job.ts';
import { reportsJson } from '../../src/experiment/render.ts';
import { type Executor, plan, runExperiment, serial } from '../../src/experiment/run.ts';
import { loadExperiment } from '../../src/experiment/spec.ts';

const spec = loadExperiment('presets/experiments/balloon-vs-swap.yaml', true);

describe('the experiment runner', () => {
  it('runs a job from its data alone: the same job twice gives the same result', () => {
    const job = plan(spec)[0];
    const copy = JSON.parse(JSON.stringify(job));
    expect(JSON.stringify(runJob(copy))).toBe(JSON.stringify(runJob(job)));
  });

  it('gathers results by configuration: jobs finishing in another order give the same report, byte for byte', () => {
    const backwards: Executor = (jobs, onTick) => serial([...jobs].reverse(), onTick);
    const progress: number[] = [];
    const a = reportsJson([runExperiment(spec, (done) => progress.push(done))]);
    const b = reportsJson([runExperiment(spec, undefined, backwards)]);
    expect(b).toBe(a);
    // Progress counts simulated seconds over every configuration, up to the total.
    const total = plan(spec).reduce((x, j) => x + j.seconds, 0);
    expect(progress[progress.length - 1]).toBe(total);
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1])).toBe(true);
  });
});
