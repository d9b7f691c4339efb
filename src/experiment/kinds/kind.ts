import type { z } from 'zod';
import type { ExperimentSpec } from '../experiment-spec.ts';
import type { Job, JobResult } from '../job.ts';
import type { Outcome } from '../outcome.ts';

/**
 * A kind of experiment: the parameters its files give, the configurations it runs (as jobs), and how
 * it reads their results against the published figures. `analyse` gets the results by configuration,
 * never in the order they finished. (Unchanged by the parallel runs: `runExperiment` still runs a kind's
 * jobs in this thread, synchronously; `runExperimentInWorkers` runs them in worker threads, and the
 * command uses it. A file may also give `shortfalls`, printed with every report.)
 */
export interface Kind<P> {
  readonly params: z.ZodType<P>;
  jobs(spec: ExperimentSpec, params: P): Job[];
  analyse(spec: ExperimentSpec, params: P, results: ReadonlyMap<string, JobResult>): Outcome;
}

/** A kind with its parameter type hidden, as the registry holds it. */
export interface AnyKind {
  readonly params: z.ZodType<unknown>;
  jobs(spec: ExperimentSpec, params: unknown): Job[];
  analyse(spec: ExperimentSpec, params: unknown, results: ReadonlyMap<string, JobResult>): Outcome;
}

export const erase = <P>(k: Kind<P>): AnyKind => k as unknown as AnyKind;
