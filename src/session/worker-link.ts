import type { Worker } from 'node:worker_threads';
import type { CommandResult } from '../engine/commands.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import type { CompareView, HostLink } from './link.ts';
import { startTsWorker } from './ts-worker.ts';

/** The host a worker is to run: a preset file, alone or under several personalities (compare mode). */
export type HostRequest =
  | { kind: 'single'; file: string; seed?: number; personality?: string }
  | { kind: 'compare'; file: string; personalities: readonly string[]; seed?: number };

export type ToWorker = { type: 'start' } | { type: 'send'; id: number; text: string } | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; snapshot: HostSnapshot; compare: CompareView | null; warnings: string[] }
  | { type: 'snapshot'; snapshot: HostSnapshot; compare: CompareView | null }
  | { type: 'result'; id: number; result: CommandResult }
  /** `usage`: the request itself cannot run (bad input), as opposed to a failure on the way. */
  | { type: 'failed'; message: string; usage: boolean };

/** The host could not be built from the request: bad input, said in one message. */
export class HostRequestError extends Error {}

/**
 * A host whose engine runs in a worker thread (host-worker.ts): the dashboard's thread only draws and
 * answers keys, and gets the newest snapshot as plain data whenever the worker posts one. Commands go
 * to the worker as text, as typed, and their answers come back. `open` resolves once the worker has
 * built the host (with its first snapshot), or rejects with why it could not.
 */
export class WorkerLink implements HostLink {
  readonly readOnly = null;
  private current: HostSnapshot;
  private view: CompareView | null;
  private readonly listeners = new Set<(s: HostSnapshot) => void>();
  private readonly pending = new Map<number, (r: CommandResult) => void>();
  private nextId = 1;
  private closed: Promise<void> | null = null;

  private constructor(
    private readonly worker: Worker,
    ready: Extract<FromWorker, { type: 'ready' }>,
    private readonly exited: Promise<void>,
  ) {
    this.current = ready.snapshot;
    this.view = ready.compare;
    this.warnings = ready.warnings;
    worker.on('message', (m: FromWorker) => this.receive(m));
  }

  /** Settings the personality has no use for, one line each (as Session.warnings). */
  readonly warnings: readonly string[];

  static open(request: HostRequest): Promise<WorkerLink> {
    const worker = startTsWorker(new URL('./host-worker.ts', import.meta.url), { workerData: request });
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    return new Promise((resolve, reject) => {
      const first = (m: FromWorker): void => {
        if (m.type === 'ready') resolve(new WorkerLink(worker, m, exited));
        else if (m.type === 'failed')
          reject(m.usage ? new HostRequestError(m.message) : new Error(m.message));
      };
      worker.once('message', first);
      worker.once('error', reject);
      void exited.then(() => reject(new Error('the engine worker stopped before it was ready')));
    });
  }

  get snapshot(): HostSnapshot {
    return this.current;
  }

  get compare(): CompareView | undefined {
    return this.view ?? undefined;
  }

  subscribe(fn: (s: HostSnapshot) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Starts the host's clock (the dashboard calls for it once it answers keys). */
  start(): void {
    this.post({ type: 'start' });
  }

  send(text: string): Promise<CommandResult> {
    if (this.closed) return Promise.resolve({ ok: false, error: 'the host has stopped' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.post({ type: 'send', id, text });
    });
  }

  /** Stops the clock, closes the host (its swap files go) and ends the worker. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.post({ type: 'close' });
      await this.exited;
      for (const resolve of this.pending.values()) resolve({ ok: false, error: 'the host has stopped' });
      this.pending.clear();
    })();
    return this.closed;
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private receive(m: FromWorker): void {
    if (m.type === 'snapshot') {
      this.current = m.snapshot;
      this.view = m.compare;
      for (const fn of this.listeners) fn(m.snapshot);
    } else if (m.type === 'result') {
      this.pending.get(m.id)?.(m.result);
      this.pending.delete(m.id);
    }
  }
}
