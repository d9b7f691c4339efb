import { Workload } from './workload.ts';

/**
 * `boot`: at power-on the guest clears its memory (as Windows does), one page an operation, then the
 * process exits. Its pages go back to the guest's free list full of zeros: pages the hypervisor can
 * collapse onto one shared zero frame. Size 0 means all the memory the guest has free.
 */
export class BootWorkload extends Workload {
  private next = 0;

  step(): number {
    this.os.fill(this.process, this.next++, 'zero', 0);
    if (this.next >= this.process.sizePages) this.stop('done');
    return 2e-6;
  }
}
