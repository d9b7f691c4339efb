import type { WorkloadSpec } from '../config.ts';
import type { GuestOS } from '../guestos.ts';
import type { Rng } from '../rng.ts';
import type { Trace } from './tracefile.ts';
import { Workload } from './workload.ts';

/**
 * `trace`: replays a recorded page-access trace once, in order; page numbers fold onto the process's
 * size. When the trace ends the program stays alive with its memory (so a dump shows what it wrote).
 */
export class TraceWorkload extends Workload {
  private next = 0;

  constructor(
    spec: WorkloadSpec,
    os: GuestOS,
    rng: Rng,
    private readonly trace: Trace,
  ) {
    super(spec, os, rng, 0);
  }

  override get runnable(): boolean {
    return this.state === 'running' && this.next < this.trace.ops.length;
  }

  step(): number {
    const op = this.trace.ops[this.next];
    const page = op.page % this.process.sizePages;
    if (op.kind === 'W') this.os.write(this.process, page, op.offset, op.bytes);
    else this.os.read(this.process, page);
    // Only now: an operation the host made wait (it threw) is tried again, not skipped.
    if (++this.next === this.trace.ops.length) this.state = 'done';
    return 10e-6;
  }
}
