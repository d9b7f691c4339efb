import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running a TypeScript module of this project. memvisor runs its sources through tsx
 * with no build step, and a worker does not inherit the main thread's loader: the worker's first lines
 * register tsx, then import the module.
 */
export function startTsWorker(module: URL, options: WorkerOptions = {}): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const code =
    `import(${JSON.stringify(tsx)})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(module.href)}); })` +
    '.catch((e) => { process.nextTick(() => { throw e; }); });';
  return new Worker(code, { ...options, eval: true });
}
