import { ByteOp } from '../bytework.ts';
import { PAGE_SIZE } from '../units.ts';
import type { SwapStore } from './swapstore.ts';

/** Pages gathered before a store is written: a batch of at most this many goes out in slot order. */
export const BATCH_PAGES = 128;

/**
 * Writes gathered into batches, as hypervisors and kernels swap out: a page written is copied into a
 * staging buffer and the store is written when the buffer is full or `flush` is called, sorted by slot,
 * one call per run of consecutive slots (a system call costs more than the page it carries). A read of
 * a page still waiting is served from the buffer, and a page whose slot is given up before it was
 * written is dropped, so what a reader sees never depends on when the batch went out.
 *
 * When a batch fails (a full or failing device), the pages not written stay in the buffer, still
 * readable, and the error goes to the caller; a write that finds the buffer full and cannot flush it
 * throws with its own page not taken, so its caller can leave that page where it was.
 *
 * It counts the device's byte work: pages written (apart, those that made the file grow) and read, and a
 * read served from the buffer as a copy.
 */
export class WriteBehind implements SwapStore {
  private readonly staging = new Uint8Array(BATCH_PAGES * PAGE_SIZE);
  /** The slot held in each staging page (the first `count` are in use), and back. */
  private readonly slots = new Int32Array(BATCH_PAGES);
  private readonly at = new Map<number, number>();
  private count = 0;
  /** Slots below this have been written at least once: writing past it makes the file grow. */
  private grown = 0;
  private readonly writeOp: ByteOp;
  private readonly readOp: ByteOp;

  constructor(
    readonly inner: SwapStore,
    private readonly work: Float64Array,
    device: 'swap' | 'disk',
  ) {
    this.writeOp = device === 'swap' ? ByteOp.swapWrite : ByteOp.diskWrite;
    this.readOp = device === 'swap' ? ByteOp.swapRead : ByteOp.diskRead;
  }

  /** Pages waiting to be written. */
  get pending(): number {
    return this.count;
  }

  /** Whether a write of `slot` is waiting here (a read of it is a copy from memory). */
  holds(slot: number): boolean {
    return this.at.has(slot);
  }

  write(slot: number, page: Uint8Array): void {
    let i = this.at.get(slot);
    if (i === undefined) {
      if (this.count === BATCH_PAGES) this.flush();
      i = this.count++;
      this.slots[i] = slot;
      this.at.set(slot, i);
    }
    this.staging.set(page.subarray(0, PAGE_SIZE), i * PAGE_SIZE);
  }

  writeRun(slot: number, pages: readonly Uint8Array[]): void {
    for (let k = 0; k < pages.length; k++) this.write(slot + k, pages[k]);
  }

  read(slot: number, into: Uint8Array): void {
    const i = this.at.get(slot);
    if (i === undefined) {
      this.inner.read(slot, into);
      this.work[this.readOp]++;
    } else {
      into.set(this.staging.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE));
      this.work[ByteOp.copy]++;
    }
  }

  /** The slot's page is no longer wanted (its guest page moved or went): a waiting write is dropped. */
  discard(slot: number): void {
    const i = this.at.get(slot);
    if (i !== undefined) this.drop(i);
  }

  /** Writes every waiting page, one call per run of consecutive slots; throws on the first failed run. */
  flush(): void {
    if (this.count === 0) return;
    const order = Array.from(this.slots.subarray(0, this.count)).sort((a, b) => a - b);
    let done = 0;
    try {
      for (let r = 0; r < order.length; ) {
        let end = r + 1;
        while (end < order.length && order[end] === order[end - 1] + 1) end++;
        const pages: Uint8Array[] = [];
        for (let k = r; k < end; k++) {
          const i = this.at.get(order[k])!;
          pages.push(this.staging.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE));
        }
        this.inner.writeRun(order[r], pages);
        for (let k = r; k < end; k++) this.work[order[k] >= this.grown ? ByteOp.freshWrite : this.writeOp]++;
        this.grown = Math.max(this.grown, order[end - 1] + 1);
        done = end;
        r = end;
      }
    } finally {
      // What was written leaves the buffer; the rest waits (and reads) there.
      if (done === order.length) {
        this.at.clear();
        this.count = 0;
      } else for (let k = 0; k < done; k++) this.drop(this.at.get(order[k])!);
    }
  }

  close(): void {
    this.at.clear();
    this.count = 0;
    this.inner.close();
  }

  /** Frees staging page `i`: the last one in use moves into its place. */
  private drop(i: number): void {
    this.at.delete(this.slots[i]);
    const last = --this.count;
    if (i !== last) {
      const slot = this.slots[last];
      this.slots[i] = slot;
      this.at.set(slot, i);
      this.staging.copyWithin(i * PAGE_SIZE, last * PAGE_SIZE, (last + 1) * PAGE_SIZE);
    }
  }
}
