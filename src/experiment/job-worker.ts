/** One configuration of an experiment, in a worker thread of its own (see `inWorkers` in run.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import type { JobMessage } from '../session/worker-pool.ts';
import { type Job, type JobResult, runJob } from './job.ts';

const post = (m: JobMessage<JobResult>): void => parentPort!.postMessage(m);
try {
  post({ type: 'result', result: runJob(workerData as Job, (t) => post({ type: 'progress', done: t })) });
} catch (err) {
  post({ type: 'failed', message: (err as Error).message });
}
