import type { WorkloadSpec } from '../config.ts';
import type { GuestOS } from '../guestos.ts';
import type { Process } from '../process.ts';
import type { Rng } from '../rng.ts';

export type WorkloadState = 'running' | 'done' | 'killed';

/**
 * A program running in a guest: a process with its own address space and an access pattern. `step`
 * performs one operation (a transaction, a compiled file's worth of work, a copied page) through the
 * guest OS and returns the CPU time it took; memory stalls are charged by the layers below.
 */
export abstract class Workload {
  state: WorkloadState = 'running';
  opsThisTick = 0;
  totalOps = 0;
  readonly process: Process;

  constructor(
    readonly spec: WorkloadSpec,
    protected readonly os: GuestOS,
    protected readonly rng: Rng,
    /** Makes the program's content its own (or, for an OS image, the same in every guest of that OS). */
    protected readonly seed: number,
  ) {
    this.process = os.spawn(spec.name, spec.sizePages);
  }

  /** Whether the workload wants CPU now (an idle program that has set up its memory does not). */
  get runnable(): boolean {
    return this.state === 'running';
  }

  /** One operation; returns simulated CPU seconds. */
  abstract step(): number;

  /** Changes the size live; the default grows or shrinks the one address space. */
  resize(sizePages: number): void {
    this.os.resize(this.process, sizePages);
    this.spec.sizePages = sizePages;
  }

  /** The process exits and its memory returns to the guest's free list. */
  stop(state: WorkloadState = 'done'): void {
    if (this.state === 'running' || state === 'killed') this.state = state;
    this.release();
  }

  protected release(): void {
    if (this.os.processes.has(this.process.pid)) this.os.exit(this.process);
  }

  /** A page by the spec's locality: the hot set with probability `locality`, else anywhere. */
  protected pickPage(size: number = this.process.sizePages): number {
    const hot = Math.max(1, Math.floor(this.spec.workingSet * size));
    return this.rng.float() < this.spec.locality ? this.rng.int(hot) : this.rng.int(size);
  }
}
