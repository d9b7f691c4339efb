import { compressSync, uncompressSync } from 'lz4-napi';
import { ByteOp } from '../bytework.ts';
import { COST } from '../costs.ts';
import { FrameKind, type FramePool, offsetOf } from '../framepool.ts';
import { type Guest, PageState } from '../guest.ts';
import { PAGE_SIZE } from '../units.ts';

/** A compressed page is kept only if it fits in half a page. */
export const ZIP_SLOT = PAGE_SIZE / 2;

interface GuestCache {
  capacityFrames: number;
  /** Cache frames (-1: a position free for reuse); slot s lives in frames[s >> 1] at half s & 1. */
  frames: number[];
  live: number;
  /** Per frame position, a bit per used half. */
  halves: Uint8Array;
  /** Frame positions with one half free; positions with no frame. */
  partial: Set<number>;
  empty: number[];
  lengths: Uint16Array;
  /** The guest page in each used slot, oldest first (Map keeps insertion order). */
  order: Map<number, number>;
}

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
    this.caches.set(vm.gid, {
      capacityFrames: Math.floor(vm.config.memszPages * this.fraction),
      frames: [],
      live: 0,
      halves: new Uint8Array(0),
      partial: new Set(),
      empty: [],
      lengths: new Uint16Array(0),
      order: new Map(),
    });
  }

  /** Frees every cache frame of a guest whose pages have all been dropped. */
  detach(vm: Guest): void {
    const c = this.caches.get(vm.gid);
    if (!c) return;
    for (const f of c.frames) if (f >= 0) this.pool.release(f);
    this.caches.delete(vm.gid);
  }

  /** CACHESZ and CACHEUSD in pages; compressed pages held. */
  usage(vm: Guest): { size: number; used: number; pages: number } {
    const c = this.caches.get(vm.gid);
    if (!c) return { size: 0, used: 0, pages: 0 };
    return { size: c.capacityFrames, used: c.order.size / 2, pages: c.order.size };
  }

  /**
   * Compresses a private page into the cache and frees its frame. Returns 'stored', 'incompressible'
   * (over 2 KiB: it must go to swap) or 'full' (no room even after the caller evicts).
   */
  store(vm: Guest, gpn: number): 'stored' | 'incompressible' | 'full' {
    const c = this.caches.get(vm.gid);
    if (!c || c.capacityFrames === 0) return 'full';
    const frame = vm.pmapLoc[gpn];
    const bytes = this.pool.bytes(frame);
    const packed = compressPage(bytes);
    const work = this.pool.work.pages;
    work[ByteOp.compress]++;
    if (packed.length > ZIP_SLOT) return 'incompressible';
    const slot = this.takeSlot(vm, c);
    if (slot < 0) return 'full';
    const f = c.frames[slot >> 1];
    this.pool.slabOf(f).set(packed, offsetOf(f) + (slot & 1) * ZIP_SLOT);
    work[ByteOp.copy] += packed.length / PAGE_SIZE;
    c.lengths[slot] = packed.length;
    c.order.set(slot, gpn);
    this.pool.release(frame);
    vm.setPage(gpn, PageState.Compressed, slot);
    vm.stats.zips++;
    return 'stored';
  }

  /** Whether the cache has a free slot or may grow by a frame. */
  hasRoom(vm: Guest): boolean {
    const c = this.caches.get(vm.gid);
    return !!c && (c.partial.size > 0 || c.live < c.capacityFrames);
  }

  /** The oldest compressed page of a guest, to evict to swap; -1 when the cache is empty. */
  oldest(vm: Guest): number {
    const c = this.caches.get(vm.gid);
    if (!c) return -1;
    for (const gpn of c.order.values()) return gpn;
    return -1;
  }

  /** Decompresses a cached page into `into` (4 KiB) without moving it. */
  peek(vm: Guest, gpn: number, into: Uint8Array): void {
    const c = this.caches.get(vm.gid)!;
    const slot = vm.pmapLoc[gpn];
    const f = c.frames[slot >> 1];
    const at = offsetOf(f) + (slot & 1) * ZIP_SLOT;
    const packed = this.pool.slabOf(f).subarray(at, at + c.lengths[slot]);
    decompressPage(packed, into);
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
    const fi = slot >> 1;
    c.order.delete(slot);
    c.halves[fi] &= ~(1 << (slot & 1));
    if (c.halves[fi] !== 0) {
      c.partial.add(fi);
      return;
    }
    // A cache frame with both halves free goes back to the host.
    c.partial.delete(fi);
    this.pool.release(c.frames[fi]);
    c.frames[fi] = -1;
    c.empty.push(fi);
    c.live--;
    vm.cacheFrames--;
  }

  private takeSlot(vm: Guest, c: GuestCache): number {
    for (const fi of c.partial) {
      c.partial.delete(fi);
      const half = c.halves[fi] & 1 ? 1 : 0;
      c.halves[fi] |= 1 << half;
      return 2 * fi + half;
    }
    if (c.live >= c.capacityFrames) return -1;
    // The hypervisor's own frame: each half is read only as far as what was written into it.
    const frame = this.pool.allocUnzeroed(FrameKind.Compressed);
    if (frame < 0) return -1;
    let fi = c.empty.pop();
    if (fi === undefined) {
      fi = c.frames.length;
      c.frames.push(frame);
      c.halves = grow(c.halves, c.frames.length);
      c.lengths = grow(c.lengths, 2 * c.frames.length);
    } else c.frames[fi] = frame;
    c.live++;
    vm.cacheFrames++;
    c.halves[fi] = 1;
    c.partial.add(fi);
    return 2 * fi;
  }
}

/** LZ4 of a page (its own function, so a CPU profile shows it apart from the cache's bookkeeping). */
function compressPage(page: Uint8Array): Buffer {
  return compressSync(Buffer.from(page.buffer, page.byteOffset, PAGE_SIZE));
}

function decompressPage(packed: Uint8Array, into: Uint8Array): void {
  into.set(uncompressSync(Buffer.from(packed.buffer, packed.byteOffset, packed.length)));
}

function grow<T extends Uint8Array | Uint16Array>(a: T, n: number): T {
  if (a.length >= n) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(n, 2 * a.length));
  b.set(a);
  return b;
}
