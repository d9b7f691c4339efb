/** One personality of a compare run, in a worker thread of its own (see comparePersonalitiesInParallel). */
import { parentPort, workerData } from 'node:worker_threads';
import { loadPreset } from '../scenario/preset.ts';
import { type CompareJob, comparePersonalities, type PersonalityOutcome } from './compare.ts';
import type { JobMessage } from './worker-pool.ts';

const job = workerData as CompareJob;
const post = (m: JobMessage<PersonalityOutcome>): void => parentPort!.postMessage(m);
try {
  const [result] = comparePersonalities(
    loadPreset(job.file),
    [job.personality],
    job.seconds,
    job.seed,
    (done) => post({ type: 'progress', done }),
  );
  post({ type: 'result', result });
} catch (err) {
  post({ type: 'failed', message: (err as Error).message });
}
