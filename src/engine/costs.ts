/**
 * The access cost model: simulated seconds charged to a guest's vCPU for each way a page access can
 * be satisfied. Disk figures are for the spinning disks of the ESX white paper's era; the point is the
 * ratios (a frame hit is ~50,000 times cheaper than a swap-in), which is what throughput shows.
 */
export const COST = {
  /** A page access that hits a mapped host frame. */
  frameHit: 0.1e-6,
  /** The hypervisor allocates and zeroes a frame on first touch. */
  zeroFill: 1.5e-6,
  /** A write to a shared page: allocate, copy 4 KiB, remap. */
  cowBreak: 3e-6,
  /** Decompress a page from the compression cache. */
  decompress: 20e-6,
  /**
   * Compress a page into the cache, when a fault must wait for the room: LZ4 compresses at about 0.6
   * times its decompression speed (`npm run bench`: 101,622 against 170,796 pages/s), so 1.7 times.
   */
  compress: 34e-6,
  /** Read a page back from the host swap file (random read). */
  hostSwapIn: 5e-3,
  /** The guest reads a page back from its own swap device. */
  guestSwapIn: 5e-3,
  /** The guest writes a page to its own swap device (writes are batched, so cheaper than reads). */
  guestSwapOut: 0.2e-3,
  /** A page-cache miss on a random file read. */
  diskRandomRead: 5e-3,
  /** A page-cache miss on a sequential read (read-ahead amortises the seek). */
  diskSequentialRead: 0.1e-3,
  /** Writing back one dirty page-cache page. */
  diskWrite: 0.1e-3,
  /** Copy a page out of a tmem pool. */
  tmemGet: 5e-6,
} as const;
