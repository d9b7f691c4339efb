/**
 * Runs an experiment: its kind turns the file into jobs, the jobs run (one after another, or at once in
 * worker threads: each is self-contained, so any order gives the same results), the results are put
 * back by configuration, and the kind reads them against the published figures.
 */
import { runInWorkers } from '../session/worker-pool.ts';
import { type Job, type JobResult, runJob } from './job.ts';
import { kindOf } from './kinds/index.ts';
import type { Outcome } from './outcome.ts';
import type { ExperimentSpec } from './spec.ts';

/** Progress in simulated seconds, over all of an experiment's configurations. */
export type OnProgress = (done: number, total: number) => void;

/** Runs jobs and returns their results in any order. */
export type Executor = (
  jobs: readonly Job[],
  onTick: (job: Job, t: number) => void,
) => JobResult[] | Promise<JobResult[]>;

/** One job after another, in this thread. */
export const serial: Executor = (jobs, onTick) => jobs.map((job) => runJob(job, (t) => onTick(job, t)));

/** The jobs at once, each in a worker thread, at most `limit` (default: the machine's cores) at a time. */
export const inWorkers =
  (limit?: number): Executor =>
  (jobs, onTick) =>
    runInWorkers<Job, JobResult>(
      new URL('./job-worker.ts', import.meta.url),
      jobs,
      (i, t) => onTick(jobs[i], t),
      limit,
    );

export interface Report {
  readonly name: string;
  readonly title: string;
  readonly kind: string;
  readonly seed: number;
  readonly figure: string;
  readonly source: string;
  readonly configurations: number;
  /** Simulated seconds run, over every configuration. */
  readonly simulated: number;
  readonly outcome: Outcome;
  /** Where the model falls short, as the experiment's file says. */
  readonly shortfalls: readonly string[];
}

/** The configurations of an experiment and how much simulated time they take. */
export function plan(spec: ExperimentSpec): Job[] {
  return kindOf(spec.kind).jobs(spec, spec.params);
}

export async function runExperiment(
  spec: ExperimentSpec,
  onProgress?: OnProgress,
  execute: Executor = serial,
): Promise<Report> {
  const jobs = plan(spec);
  const ids = new Set(jobs.map((j) => j.id));
  if (ids.size !== jobs.length) throw new Error(`${spec.name}: two configurations share a name`);
  const total = jobs.reduce((a, j) => a + j.seconds, 0);
  const at = new Map<string, number>(jobs.map((j) => [j.id, 0]));
  let done = 0;
  const results = new Map<string, JobResult>();
  for (const r of await execute(jobs, (job, t) => {
    done += t - (at.get(job.id) ?? 0);
    at.set(job.id, t);
    onProgress?.(done, total);
  })) {
    results.set(r.id, r);
  }
  // By configuration, in the order the kind gave them, whatever order they finished in.
  const ordered = new Map(jobs.map((j) => [j.id, results.get(j.id)!] as const));
  return {
    name: spec.name,
    title: spec.title,
    kind: spec.kind,
    seed: spec.seed,
    figure: spec.figure,
    source: spec.source,
    configurations: jobs.length,
    simulated: total,
    outcome: kindOf(spec.kind).analyse(spec, spec.params, ordered),
    shortfalls: spec.shortfalls,
  };
}
