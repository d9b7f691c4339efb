import { PAGE_SIZE } from './units.ts';

/** A process address-space entry: >= 0 a guest page, UNMAPPED never touched, <= -2 a guest swap slot. */
export const UNMAPPED = -1;
export const swapEntry = (slot: number): number => -slot - 2;
export const slotOf = (entry: number): number => -entry - 2;

/** Raised when a read returns bytes other than the process last wrote: the bug the tests exist to catch. */
export class DataLossError extends Error {}

/** Reads checked against the shadow copy, in every process since start: what the proofs count. */
export const verification = { reads: 0 };

/**
 * A process inside a guest: its own address space (virtual page -> guest page or guest swap slot),
 * mapped by the guest OS, so the guest can page it out and back without the process noticing. With
 * `verify`, it keeps a plain copy of everything it wrote and checks every read against it.
 */
export class Process {
  pte: Int32Array;
  resident = 0;
  swapped = 0;
  shadow: Uint8Array | null;

  constructor(
    readonly pid: number,
    readonly name: string,
    sizePages: number,
    verify: boolean,
  ) {
    this.pte = new Int32Array(sizePages).fill(UNMAPPED);
    this.shadow = verify ? new Uint8Array(sizePages * PAGE_SIZE) : null;
  }

  get sizePages(): number {
    return this.pte.length;
  }

  /** Checks a page read against what was written; untouched pages read as zeros. */
  verify(vpage: number, bytes: Uint8Array): void {
    if (!this.shadow) return;
    verification.reads++;
    const want = this.shadow.subarray(vpage * PAGE_SIZE, (vpage + 1) * PAGE_SIZE);
    if (!Buffer.from(want.buffer, want.byteOffset, PAGE_SIZE).equals(bytes)) {
      let at = 0;
      while (want[at] === bytes[at]) at++;
      throw new DataLossError(
        `process ${this.name} page ${vpage}: byte ${at} reads ${bytes[at]}, last written ${want[at]}`,
      );
    }
  }

  recordWrite(vpage: number, offset: number, data: Uint8Array): void {
    this.shadow?.set(data, vpage * PAGE_SIZE + offset);
  }

  /** Changes the address-space size; the caller has already unmapped pages beyond the new end. */
  resize(sizePages: number): void {
    const pte = new Int32Array(sizePages).fill(UNMAPPED);
    pte.set(this.pte.subarray(0, Math.min(sizePages, this.pte.length)));
    this.pte = pte;
    if (this.shadow) {
      const shadow = new Uint8Array(sizePages * PAGE_SIZE);
      shadow.set(this.shadow.subarray(0, Math.min(shadow.length, this.shadow.length)));
      this.shadow = shadow;
    }
  }
}
