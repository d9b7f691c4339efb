import { compress, decompress } from 'lz4-wasm-nodejs';
import { ByteOp } from '../bytework.ts';
import { COST } from '../costs.ts';
import { FrameKind, type FramePool, offsetOf } from '../framepool.ts';
import { type Guest, PageState } from '../guest.ts';
import { PAGE_SIZE } from '../units.ts';

/** A compressed page is kept only if it fits in half a page. */
export const ZIP_SLOT = PAGE_SIZE / 2;

/**
 * One guest's cache. Frame positions index its frames; slot s is half s & 1 of position s >> 1. Used
 * slots are kept oldest first in a doubly linked list over slot numbers (typed arrays, no objects), so
 * the oldest is found, and any slot dropped, in constant time.
 */
interface GuestCache {
  capacityFrames: number;
  /** The frame at each position (-1: a position free for reuse). */
  frames: Int32Array;
  /** Positions in use (the rest of `frames` is spare room). */
  positions: number;
  live: number;
  /** Per position, a bit per used half. */
  halves: Uint8Array;
  /** Positions with one half free, as a stack (`queued` marks those on it, stale or not). */
  partial: Int32Array;
  partialTop: number;
  queued: Uint8Array;
  partialCount: number;
  /** Positions with no frame, for reuse. */
  empty: Int32Array;
  emptyTop: number;
  /** Per slot: compressed length, guest page, and neighbours in the oldest-first list (-1: none). */
  lengths: Uint16Array;
  gpnOf: Int32Array;
  older: Int32Array;
  newer: Int32Array;
  oldest: number;
  newest: number;
  used: number;
}

const newCache = (capacityFrames: number): GuestCache => ({
  capacityFrames,
  frames: new Int32Array(0),
  positions: 0,
  live: 0,
  halves: new Uint8Array(0),
  partial: new Int32Array(0),
  partialTop: 0,
  queued: new Uint8Array(0),
  partialCount: 0,
  empty: new Int32Array(0),
  emptyTop: 0,
  lengths: new Uint16Array(0),
  gpnOf: new Int32Array(0),
  older: new Int32Array(0),
  newer: new Int32Array(0),
  oldest: -1,
  newest: -1,
  used: 0,
});

/**
 * ESX's memory compression cache: on the way to host swap, a page is compressed (LZ4) and kept if it
 * fits in 2 KiB, two to a cache frame, in a per-guest cache (10 % of memsz by default). A full cache
 * sends its oldest page on to swap. An access decompresses the page into a frame of its own.
 */
export class ZipCache {
  private readonly caches = new Map<number, GuestCache>();

  constructor(
    private readonly pool: FramePool,
    private readonly fraction: number,
  ) {}

  attach(vm: Guest): void {
    this.caches.set(vm.gid, newCache(Math.floor(vm.config.memszPages * this.fraction)));
  }

  /** Frees every cache frame of a guest whose pages have all been dropped. */
  detach(vm: Guest): void {
    const c = this.caches.get(vm.gid);
    if (!c) return;
    for (let fi = 0; fi < c.positions; fi++) if (c.frames[fi] >= 0) this.pool.release(c.frames[fi]);
    this.caches.delete(vm.gid);
  }

  /** CACHESZ and CACHEUSD in pages; compressed pages held. */
  usage(vm: Guest): { size: number; used: number; pages: number } {
    const c = this.caches.get(vm.gid);
    if (!c) return { size: 0, used: 0, pages: 0 };
    return { size: c.capacityFrames, used: c.used / 2, pages: c.used };
  }

  /** Compressed pages a guest has in the cache. */
  pages(vm: Guest): number {
    return this.caches.get(vm.gid)?.used ?? 0;
  }

  /**
   * Compresses a private page into the cache and frees its frame. Returns 'stored', 'incompressible'
   * (over 2 KiB: it must go to swap) or 'full' (no room even after the caller evicts).
   */
  store(vm: Guest, gpn: number): 'stored' | 'incompressible' | 'full' {
    const c = this.caches.get(vm.gid);
    if (!c || c.capacityFrames === 0) return 'full';
    const frame = vm.pmapLoc[gpn];
    const packed = compressPage(this.pool.bytes(frame));
    const work = this.pool.work.pages;
    work[ByteOp.compress]++;
    if (packed.length > ZIP_SLOT) return 'incompressible';
    const slot = this.takeSlot(vm, c);
    if (slot < 0) return 'full';
    const f = c.frames[slot >> 1];
    this.pool.slabOf(f).set(packed, offsetOf(f) + (slot & 1) * ZIP_SLOT);
    work[ByteOp.copy] += packed.length / PAGE_SIZE;
    c.lengths[slot] = packed.length;
    c.gpnOf[slot] = gpn;
    // Newest at the tail of the list.
    c.older[slot] = c.newest;
    c.newer[slot] = -1;
    if (c.newest >= 0) c.newer[c.newest] = slot;
    else c.oldest = slot;
    c.newest = slot;
    c.used++;
    this.pool.release(frame);
    vm.setPage(gpn, PageState.Compressed, slot);
    vm.stats.zips++;
    return 'stored';
  }

  /** Whether the cache has a free slot or may grow by a frame. */
  hasRoom(vm: Guest): boolean {
    const c = this.caches.get(vm.gid);
    return !!c && (c.partialCount > 0 || c.live < c.capacityFrames);
  }

  /** The oldest compressed page of a guest, to evict to swap; -1 when the cache is empty. */
  oldest(vm: Guest): number {
    const c = this.caches.get(vm.gid);
    return c && c.oldest >= 0 ? c.gpnOf[c.oldest] : -1;
  }

  /** Decompresses a cached page into `into` (4 KiB) without moving it. */
  peek(vm: Guest, gpn: number, into: Uint8Array): void {
    const c = this.caches.get(vm.gid)!;
    const slot = vm.pmapLoc[gpn];
    const f = c.frames[slot >> 1];
    const at = offsetOf(f) + (slot & 1) * ZIP_SLOT;
    decompressPage(this.pool.slabOf(f).subarray(at, at + c.lengths[slot]), into);
    const work = this.pool.work.pages;
    work[ByteOp.decompress]++;
    work[ByteOp.copy]++;
  }

  /** A fault on a compressed page: decompress into `frame`, free the slot, map the page privately. */
  load(vm: Guest, gpn: number, frame: number): void {
    this.peek(vm, gpn, this.pool.bytes(frame));
    this.free(vm, gpn);
    vm.mapPrivate(gpn, frame);
    vm.stats.unzips++;
    vm.stall += COST.decompress;
    if (vm.guestPaging) vm.stats.doublePaging++;
  }

  /** Forgets a compressed page's slot (the page has moved or was dropped). */
  free(vm: Guest, gpn: number): void {
    const c = this.caches.get(vm.gid)!;
    const slot = vm.pmapLoc[gpn];
    const older = c.older[slot];
    const newer = c.newer[slot];
    if (older >= 0) c.newer[older] = newer;
    else c.oldest = newer;
    if (newer >= 0) c.older[newer] = older;
    else c.newest = older;
    c.used--;
    const fi = slot >> 1;
    const had = c.halves[fi];
    c.halves[fi] &= ~(1 << (slot & 1));
    if (c.halves[fi] !== 0) {
      // Full before: now one half is free.
      c.partialCount++;
      if (!c.queued[fi]) {
        c.queued[fi] = 1;
        c.partial[c.partialTop++] = fi;
      }
      return;
    }
    // A cache frame with both halves free goes back to the host.
    if (had !== 3) c.partialCount--;
    this.pool.release(c.frames[fi]);
    c.frames[fi] = -1;
    c.empty[c.emptyTop++] = fi;
    c.live--;
    vm.cacheFrames--;
  }

  private takeSlot(vm: Guest, c: GuestCache): number {
    while (c.partialTop > 0) {
      const fi = c.partial[--c.partialTop];
      c.queued[fi] = 0;
      const h = c.halves[fi];
      // Stale: the position filled up or went empty since it was queued.
      if (c.frames[fi] < 0 || h === 0 || h === 3) continue;
      const half = h & 1 ? 1 : 0;
      c.halves[fi] = 3;
      c.partialCount--;
      return 2 * fi + half;
    }
    if (c.live >= c.capacityFrames) return -1;
    // The hypervisor's own frame: each half is read only as far as what was written into it.
    const frame = this.pool.allocUnzeroed(FrameKind.Compressed);
    if (frame < 0) return -1;
    let fi: number;
    if (c.emptyTop > 0) fi = c.empty[--c.emptyTop];
    else {
      fi = c.positions++;
      if (fi >= c.frames.length) growCache(c, Math.max(16, 2 * c.frames.length));
    }
    c.frames[fi] = frame;
    c.live++;
    vm.cacheFrames++;
    c.halves[fi] = 1;
    c.partialCount++;
    c.queued[fi] = 1;
    c.partial[c.partialTop++] = fi;
    return 2 * fi;
  }
}

/** Room for `n` frame positions (and their 2n slots) in a guest's cache. */
function growCache(c: GuestCache, n: number): void {
  c.frames = grown(c.frames, n, -1);
  c.halves = grown(c.halves, n, 0);
  c.partial = grown(c.partial, n, 0);
  c.queued = grown(c.queued, n, 0);
  c.empty = grown(c.empty, n, 0);
  c.lengths = grown(c.lengths, 2 * n, 0);
  c.gpnOf = grown(c.gpnOf, 2 * n, -1);
  c.older = grown(c.older, 2 * n, -1);
  c.newer = grown(c.newer, 2 * n, -1);
}

/**
 * LZ4 of a page, as the cache stores it (the block with its length before it). lz4_flex compiled to
 * WebAssembly: its output is ordinary JavaScript memory (a native binding tried first kept about 600
 * bytes of native memory per call, so the resident set grew by gigabytes in an hour). Each its own
 * function, so a CPU profile shows them apart from the cache's bookkeeping.
 */
export function compressPage(page: Uint8Array): Uint8Array {
  return compress(page.length === PAGE_SIZE ? page : page.subarray(0, PAGE_SIZE));
}

/** Unpacks what compressPage made into `into` (4 KiB). */
export function decompressPage(packed: Uint8Array, into: Uint8Array): void {
  into.set(decompress(packed));
}

function grown<T extends Uint8Array | Uint16Array | Int32Array>(a: T, n: number, fill: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}
