import type { WorkloadSpec } from '../config.ts';
import type { GuestOS } from '../guestos.ts';
import type { Rng } from '../rng.ts';
import { TraceStream } from './tracefile.ts';
import { Workload } from './workload.ts';

/**
 * `trace`: replays a recorded page-access trace once, in order, read from its file as it goes (see
 * TraceStream); page numbers fold onto the process's size. When the trace ends the program stays
 * alive with its memory (so a dump shows what it wrote).
 */
export class TraceWorkload extends Workload {
  private readonly stream: TraceStream;
  /** Whether the stream is on an operation not yet replayed. */
  private pending: boolean;

  /** Throws TraceFormatError when the file cannot be read or its first operation is bad; nothing has started then. */
  constructor(spec: WorkloadSpec, os: GuestOS, rng: Rng) {
    const stream = new TraceStream(spec.file ?? '');
    const pending = stream.next();
    super(spec, os, rng, 0);
    this.stream = stream;
    this.pending = pending;
  }

  override get runnable(): boolean {
    return this.state === 'running' && this.pending;
  }

  step(): number {
    const op = this.stream;
    const page = op.page % this.process.sizePages;
    if (op.kind === 'W') this.os.write(this.process, page, op.offset, op.bytes);
    else this.os.read(this.process, page);
    this.pending = this.stream.next();
    if (!this.pending) this.state = 'done';
    return 10e-6;
  }
}
