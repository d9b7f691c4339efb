import { Workload } from './workload.ts';

/**
 * `boot`: at power-on the guest clears its free memory (as Windows does), one page an operation, and
 * is done when it has passed over all of it. The pages stay free in the guest, full of zeros: pages the
 * hypervisor can collapse onto one shared zero frame. Its size is not used: boot covers all of memory.
 */
export class BootWorkload extends Workload {
  private next = 0;

  step(): number {
    const n = this.os.memszPages;
    // Pages in use are skipped at no cost; the operation is the next page actually zeroed.
    while (this.next < n && !this.os.zeroIfFree(this.next)) this.next++;
    this.next++;
    if (this.next >= n) this.stop('done');
    return 2e-6;
  }
}
