/**
 * The byte work a host performs: every operation on page contents, counted in 4 KiB pages (a write
 * of 128 bytes counts 1/32 of a copy). This is the floor of what a simulation with real bytes costs;
 * `npm run bench -- presets` prices these counts at the raw rates the machine measures for each
 * operation and compares the sum with the wall time. Counting is one add into a typed array.
 */
export const ByteOp = {
  /** A frame or page cleared to zeros (the hypervisor before handing a frame out, a guest's own zeroing). */
  zero: 0,
  /** Page contents copied (a COW break, a tmem put or get, a program writing or generating data). */
  copy: 1,
  /** A page hashed (sharing's lookups, the checksums kept beside swapped pages). */
  hash: 2,
  /** Two pages compared in full (sharing, the zero-page test). */
  compare: 3,
  compress: 4,
  decompress: 5,
  /** Pages rewritten in and read from swap files (the host's and the guests' own swap devices). */
  swapWrite: 6,
  swapRead: 7,
  /** Pages rewritten in and read from the guests' virtual disks. */
  diskWrite: 8,
  diskRead: 9,
  /** Pages written where a swap file or disk had none before: the file grows (the file system allocates). */
  freshWrite: 10,
  /** Host frames used for the first time: the operating system maps fresh memory on first touch. */
  freshFrame: 11,
  /** Guest page accesses: a pmap lookup and a touch of the frame, the least any access costs. */
  access: 12,
} as const;
export type ByteOp = (typeof ByteOp)[keyof typeof ByteOp];

export const BYTE_OPS = Object.keys(ByteOp) as (keyof typeof ByteOp)[];

/** Counters of byte work, in pages per operation. */
export class ByteWork {
  readonly pages = new Float64Array(BYTE_OPS.length);

  /** The counts by name (for reports). */
  toJSON(): Record<keyof typeof ByteOp, number> {
    const out = {} as Record<keyof typeof ByteOp, number>;
    for (const name of BYTE_OPS) out[name] = this.pages[ByteOp[name]];
    return out;
  }
}
