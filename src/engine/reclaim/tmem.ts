import { COST } from '../costs.ts';
import { FrameKind, type FramePool } from '../framepool.ts';
import type { Guest } from '../guest.ts';

/** Per-guest tmem counters, named as xentop prints them where it has a name. */
export interface TmemStats {
  ephPuts: number;
  succEphGets: number;
  failedEphGets: number;
  failedEphPuts: number;
  succPersPuts: number;
  failedPersPuts: number;
  succPersGets: number;
  flushes: number;
  ephPages: number;
  persPages: number;
}

const newStats = (): TmemStats => ({
  ephPuts: 0,
  succEphGets: 0,
  failedEphGets: 0,
  failedEphPuts: 0,
  succPersPuts: 0,
  failedPersPuts: 0,
  succPersGets: 0,
  flushes: 0,
  ephPages: 0,
  persPages: 0,
});

/** Pool ids: private pools are per guest; shared ephemeral pools are per cluster file system. */
export type PoolRef = { kind: 'private'; gid: number } | { kind: 'shared'; fs: number };

const NONE = -1;
const TWO_32 = 2 ** 32;

/**
 * Transcendent memory: pools of page copies the hypervisor keeps in fallow memory (frames no guest is
 * entitled to). Ephemeral pools (cleancache) take clean page-cache pages a guest evicts; a get may
 * miss, because the host drops ephemeral pages whenever it needs the memory, and a put into full
 * tmem evicts the oldest of them (as Xen's tmem_ensure_avail_pages does). Persistent pools (frontswap)
 * take pages a guest swaps out; a put is refused only when no ephemeral page is left to evict, and a
 * stored page is always there for its get. Gets are exclusive: the page moves back into the guest and
 * leaves the pool.
 *
 * Every stored page is a frame of its own, so what tmem knows of a page is kept per host frame in typed
 * arrays (its pool, its key, its place in the oldest-first list of ephemeral pages), and pages are found
 * by (pool, key) in an open-addressing table of frame numbers: no string keys, no object per page. The
 * arrays are made when tmem first stores a page.
 */
export class Tmem {
  private readonly stats = new Map<number, TmemStats>();
  /** Numbers for shared pools (private pools are numbered from their guest id: gid * 4 + persistent). */
  private readonly sharedIds = new Map<number, number>();
  private nextShared = 0;
  // Per host frame holding a tmem page: pool, key (high and low 32 bits), ephemeral list links.
  private poolOfFrame = new Int32Array(0);
  private keyHi = new Uint32Array(0);
  private keyLo = new Uint32Array(0);
  private older = new Int32Array(0);
  private newer = new Int32Array(0);
  private oldestEph = NONE;
  private newestEph = NONE;
  /** Pages on the ephemeral list: what a put could evict. */
  private ephCount = 0;
  /** The lookup table: frame numbers by hash of (pool, key), linear probing; NONE is empty. */
  private table = new Int32Array(0);
  private mask = 0;

  constructor(
    private readonly pool: FramePool,
    /** Frames that must stay free: tmem may use only what is above this. */
    private readonly reserve: () => number,
  ) {}

  statsOf(gid: number): TmemStats {
    let s = this.stats.get(gid);
    if (!s) {
      s = newStats();
      this.stats.set(gid, s);
    }
    return s;
  }

  putEphemeral(vm: Guest, ref: PoolRef, key: number, bytes: Uint8Array): boolean {
    const s = this.statsOf(vm.gid);
    s.ephPuts++;
    const id = this.idOf(ref, false);
    this.remove(id, key);
    const frame = this.copyIn(bytes);
    if (frame < 0) {
      s.failedEphPuts++;
      return false;
    }
    this.insert(frame, id, key);
    // Newest at the tail of the ephemeral list.
    this.older[frame] = this.newestEph;
    this.newer[frame] = NONE;
    if (this.newestEph !== NONE) this.newer[this.newestEph] = frame;
    else this.oldestEph = frame;
    this.newestEph = frame;
    this.ephCount++;
    if (ref.kind === 'private') s.ephPages++;
    return true;
  }

  getEphemeral(vm: Guest, ref: PoolRef, key: number, into: Uint8Array): boolean {
    const s = this.statsOf(vm.gid);
    const id = this.idOf(ref, false);
    const frame = this.find(id, key);
    if (frame === NONE) {
      s.failedEphGets++;
      return false;
    }
    this.pool.read(frame, into);
    this.remove(id, key);
    s.succEphGets++;
    vm.stall += COST.tmemGet;
    return true;
  }

  putPersistent(vm: Guest, key: number, bytes: Uint8Array): boolean {
    const s = this.statsOf(vm.gid);
    const id = privateId(vm.gid, true);
    this.remove(id, key);
    const frame = this.copyIn(bytes);
    if (frame < 0) {
      s.failedPersPuts++;
      return false;
    }
    this.insert(frame, id, key);
    s.succPersPuts++;
    s.persPages++;
    return true;
  }

  /** A get of a stored persistent page always succeeds; false means it was never stored. */
  getPersistent(vm: Guest, key: number, into: Uint8Array): boolean {
    const id = privateId(vm.gid, true);
    const frame = this.find(id, key);
    if (frame === NONE) return false;
    this.pool.read(frame, into);
    this.remove(id, key);
    this.statsOf(vm.gid).succPersGets++;
    vm.stall += COST.tmemGet;
    return true;
  }

  /** Reads a persistent page without taking it out (for dumps). */
  peekPersistent(vm: Guest, key: number, into: Uint8Array): boolean {
    const frame = this.find(privateId(vm.gid, true), key);
    if (frame === NONE) return false;
    this.pool.read(frame, into);
    return true;
  }

  /** The guest overwrote or freed the page: any copy is stale. */
  flush(vm: Guest, ref: PoolRef, key: number, persistent: boolean): void {
    if (this.remove(this.idOf(ref, persistent), key)) this.statsOf(vm.gid).flushes++;
  }

  /** Drops up to `frames` ephemeral pages, oldest first, giving their frames back to the host. */
  dropEphemeral(frames: number): number {
    let dropped = 0;
    while (dropped < frames && this.oldestEph !== NONE) {
      const frame = this.oldestEph;
      const id = this.poolOfFrame[frame];
      this.remove(id, this.keyHi[frame] * TWO_32 + this.keyLo[frame]);
      dropped++;
    }
    return dropped;
  }

  /** Frees every page of a guest's private pools (the guest is gone). */
  destroyGuest(gid: number): void {
    const eph = privateId(gid, false);
    const pers = privateId(gid, true);
    const kind = this.pool.kind;
    for (let f = 0; f < this.poolOfFrame.length; f++) {
      if (kind[f] !== FrameKind.Tmem) continue;
      const id = this.poolOfFrame[f];
      if (id === eph || id === pers) this.remove(id, this.keyHi[f] * TWO_32 + this.keyLo[f]);
    }
    this.stats.delete(gid);
  }

  /** The number of a pool: private ones from the guest id, shared ones as they first appear. */
  private idOf(ref: PoolRef, persistent: boolean): number {
    if (ref.kind === 'private') return privateId(ref.gid, persistent);
    let n = this.sharedIds.get(ref.fs);
    if (n === undefined) {
      n = this.nextShared++;
      this.sharedIds.set(ref.fs, n);
    }
    return -2 - n;
  }

  /**
   * A frame holding a copy of `bytes`, or NONE. When tmem's memory is full (no free frame above the
   * reserve) the oldest ephemeral page gives its frame up for the new copy, as Xen evicts until a page is
   * free. One page for one: making up the host's own shortage is the reclaimer's job, not a put's.
   */
  private copyIn(bytes: Uint8Array): number {
    if (this.pool.freeFrames <= this.reserve()) {
      if (this.ephCount === 0) return NONE;
      this.dropEphemeral(1);
    }
    const frame = this.pool.allocUnzeroed(FrameKind.Tmem);
    if (frame < 0) return NONE;
    this.pool.write(frame, 0, bytes);
    return frame;
  }

  private slotOf(id: number, hi: number, lo: number): number {
    let h = Math.imul(id ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(hi, 0x85ebca6b) ^ Math.imul(lo, 0xc2b2ae35);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return (h ^ (h >>> 13)) & this.mask;
  }

  /** The frame holding (pool, key), or NONE. */
  private find(id: number, key: number): number {
    if (this.mask === 0) return NONE;
    const hi = Math.floor(key / TWO_32);
    const lo = key >>> 0;
    for (let i = this.slotOf(id, hi, lo); ; i = (i + 1) & this.mask) {
      const f = this.table[i];
      if (f === NONE) return NONE;
      if (this.poolOfFrame[f] === id && this.keyLo[f] === lo && this.keyHi[f] === hi) return f;
    }
  }

  private insert(frame: number, id: number, key: number): void {
    if (this.mask === 0) this.allocate();
    const hi = Math.floor(key / TWO_32);
    const lo = key >>> 0;
    this.poolOfFrame[frame] = id;
    this.keyHi[frame] = hi;
    this.keyLo[frame] = lo;
    this.older[frame] = NONE;
    this.newer[frame] = NONE;
    let i = this.slotOf(id, hi, lo);
    while (this.table[i] !== NONE) i = (i + 1) & this.mask;
    this.table[i] = frame;
  }

  /** Takes (pool, key) out, freeing its frame; false if it was not there. */
  private remove(id: number, key: number): boolean {
    if (this.mask === 0) return false;
    const hi = Math.floor(key / TWO_32);
    const lo = key >>> 0;
    let i = this.slotOf(id, hi, lo);
    let frame = NONE;
    for (; ; i = (i + 1) & this.mask) {
      frame = this.table[i];
      if (frame === NONE) return false;
      if (this.poolOfFrame[frame] === id && this.keyLo[frame] === lo && this.keyHi[frame] === hi) break;
    }
    // Backward-shift deletion: later entries of the probe run move up, so no tombstones build up.
    for (let j = (i + 1) & this.mask; this.table[j] !== NONE; j = (j + 1) & this.mask) {
      const f = this.table[j];
      const home = this.slotOf(this.poolOfFrame[f], this.keyHi[f], this.keyLo[f]);
      // Move f into the hole at i unless its home lies cyclically in (i, j].
      if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
        this.table[i] = f;
        i = j;
      }
    }
    this.table[i] = NONE;
    const owner = ownerOf(id);
    if (isPersistent(id)) this.statsOf(owner).persPages--;
    else {
      const older = this.older[frame];
      const newer = this.newer[frame];
      if (older !== NONE) this.newer[older] = newer;
      else this.oldestEph = newer;
      if (newer !== NONE) this.older[newer] = older;
      else this.newestEph = older;
      this.ephCount--;
      if (owner >= 0) this.statsOf(owner).ephPages--;
    }
    this.poolOfFrame[frame] = NONE;
    this.pool.release(frame);
    return true;
  }

  /** The per-frame arrays and the table (twice the host's frames: tmem never holds more than all). */
  private allocate(): void {
    const n = this.pool.frameCount;
    this.poolOfFrame = new Int32Array(n).fill(NONE);
    this.keyHi = new Uint32Array(n);
    this.keyLo = new Uint32Array(n);
    this.older = new Int32Array(n);
    this.newer = new Int32Array(n);
    let size = 64;
    while (size < 2 * n) size *= 2;
    this.table = new Int32Array(size).fill(NONE);
    this.mask = size - 1;
  }
}

const privateId = (gid: number, persistent: boolean): number => gid * 4 + (persistent ? 1 : 0);
/** The guest a pool belongs to, for its counters; -1 for a shared pool. */
const ownerOf = (id: number): number => (id >= 0 ? id >> 2 : -1);
const isPersistent = (id: number): boolean => id >= 0 && (id & 1) === 1;
