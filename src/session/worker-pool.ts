import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from './ts-worker.ts';

/** What a pool worker posts: progress as it goes, then its one result (or why it failed). */
export type JobMessage<R> =
  | { type: 'progress'; done: number }
  | { type: 'result'; result: R }
  | { type: 'failed'; message: string };

/**
 * Runs `jobs` each in a worker thread of its own running `module` (which reads its job from workerData
 * and posts JobMessages), at most `limit` at a time (the machine's cores by default). Results come back
 * in the order of the jobs, whatever order the workers finish in, so a run in parallel gives exactly what
 * a run one after another would. `onProgress` hears each job's progress (job index, amount done). The
 * first job that fails rejects the run with its message and stops the workers still running.
 */
export async function runInWorkers<J, R>(
  module: URL,
  jobs: readonly J[],
  onProgress?: (job: number, done: number) => void,
  limit = availableParallelism(),
): Promise<R[]> {
  const results: R[] = new Array(jobs.length);
  const running = new Set<Worker>();
  let next = 0;
  let failed = false;
  const one = (index: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = startTsWorker(module, { workerData: jobs[index] });
      running.add(worker);
      let result: { value: R } | undefined;
      let error: Error | undefined;
      worker.on('message', (m: JobMessage<R>) => {
        if (m.type === 'progress') onProgress?.(index, m.done);
        else if (m.type === 'result') result = { value: m.result };
        else error = new Error(m.message);
      });
      worker.on('error', (e) => {
        error ??= e;
      });
      // Settled when the thread is gone, so no more than `limit` threads ever run at once.
      worker.on('exit', () => {
        running.delete(worker);
        if (error) reject(error);
        else if (result) {
          results[index] = result.value;
          resolve();
        } else reject(new Error(`worker for job ${index} stopped without a result`));
      });
    });
  const lane = async (): Promise<void> => {
    while (!failed && next < jobs.length) await one(next++);
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, lane));
  } catch (err) {
    failed = true;
    await Promise.all([...running].map((w) => w.terminate()));
    throw err;
  }
  return results;
}
