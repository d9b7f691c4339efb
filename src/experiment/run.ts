/**
 * Runs an experiment: its kind turns the file into jobs, the jobs run (one after another, or at once in
 * worker threads: each is self-contained, so any order gives the same results), the results are put
 * back by configuration, and the kind reads them against the published figures.
 */
import { runInWorkers } from '../session/worker-pool.ts';
import type { ExperimentSpec } from './experiment-spec.ts';
import { type Job, type JobResult, runJob } from './job.ts';
import { kindOf } from './kinds/index.ts';
import type { Outcome } from './outcome.ts';

/** Progress in simulated seconds, over all of an experiment's configurations. */
export type OnProgress = (done: number, total: number) => void;

/** Runs jobs, in this thread, and returns their results in any order. */
export type Executor = (jobs: readonly Job[], onTick: (job: Job, t: number) => void) => JobResult[];

/** One job after another. */
export const serial: Executor = (jobs, onTick) => jobs.map((job) => runJob(job, (t) => onTick(job, t)));

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

/** Runs an experiment's configurations with `execute` (one after another by default) and reads them. */
export function runExperiment(
  spec: ExperimentSpec,
  onProgress?: OnProgress,
  execute: Executor = serial,
): Report {
  const jobs = plan(spec);
  return report(spec, jobs, execute(jobs, progress(jobs, onProgress)));
}

/**
 * The same, with the configurations at once, each in a worker thread, at most `limit` (default: the
 * machine's cores) at a time: the report is the one a serial run gives, byte for byte.
 */
export async function runExperimentInWorkers(
  spec: ExperimentSpec,
  onProgress?: OnProgress,
  limit?: number,
): Promise<Report> {
  const jobs = plan(spec);
  const onTick = progress(jobs, onProgress);
  const results = await runInWorkers<Job, JobResult>(
    new URL('./job-worker.ts', import.meta.url),
    jobs,
    (i, t) => onTick(jobs[i], t),
    limit,
  );
  return report(spec, jobs, results);
}

/** Each job's progress to the experiment's: simulated seconds done over every configuration. */
function progress(jobs: readonly Job[], onProgress?: OnProgress): (job: Job, t: number) => void {
  const total = jobs.reduce((a, j) => a + j.seconds, 0);
  const at = new Map<string, number>(jobs.map((j) => [j.id, 0]));
  let done = 0;
  return (job, t) => {
    done += t - (at.get(job.id) ?? 0);
    at.set(job.id, t);
    onProgress?.(done, total);
  };
}

/** The results, put back by configuration in the order the kind gave them, read by the kind. */
function report(spec: ExperimentSpec, jobs: readonly Job[], finished: readonly JobResult[]): Report {
  const ids = new Set(jobs.map((j) => j.id));
  if (ids.size !== jobs.length) throw new Error(`${spec.name}: two configurations share a name`);
  const results = new Map(finished.map((r) => [r.id, r] as const));
  const ordered = new Map(jobs.map((j) => [j.id, results.get(j.id)!] as const));
  return {
    name: spec.name,
    title: spec.title,
    kind: spec.kind,
    seed: spec.seed,
    figure: spec.figure,
    source: spec.source,
    configurations: jobs.length,
    simulated: jobs.reduce((a, j) => a + j.seconds, 0),
    outcome: kindOf(spec.kind).analyse(spec, spec.params, ordered),
    shortfalls: spec.shortfalls,
  };
}
