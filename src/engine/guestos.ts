import type { OsType } from './config.ts';
import type { ContentKind } from './content.ts';
import { COST } from './costs.ts';
import type { FramePool } from './framepool.ts';
import type { Guest } from './guest.ts';
import { Process, slotOf, swapEntry, UNMAPPED } from './process.ts';
import type { PoolRef } from './reclaim/tmem.ts';
import { SlotAllocator, type SwapStore } from './store/swapstore.ts';
import { WriteBehind } from './store/writebehind.ts';

/** What the guest OS uses a guest physical page for. The hypervisor cannot see this. */
export const GpnUse = {
  Free: 0,
  Kernel: 1,
  Anon: 2,
  CacheClean: 3,
  CacheDirty: 4,
  Balloon: 5,
} as const;
export type GpnUse = (typeof GpnUse)[keyof typeof GpnUse];
const GPN_USES = 6;

/** The guest has no page to give and nothing left to evict: its OOM killer must act. */
export class GuestOomError extends Error {}

/** A file in the guest: its page-cache pages and, for pages ever written back, their disk slots. */
export interface GuestFile {
  readonly id: number;
  readonly name: string;
  readonly kind: ContentKind;
  readonly seed: number;
  /** On a cluster file system shared by guests: its evicted pages go to a shared tmem pool. */
  readonly shared: boolean;
  pages: Int32Array;
  disk: Int32Array;
}

/** Where tmem pools are for this guest (the tmem client: cleancache and frontswap); null without tmem. */
export interface TmemPort {
  putEphemeral(ref: PoolRef, key: number, bytes: Uint8Array): boolean;
  getEphemeral(ref: PoolRef, key: number, into: Uint8Array): boolean;
  flush(ref: PoolRef, key: number, persistent: boolean): void;
  putPersistent(key: number, bytes: Uint8Array): boolean;
  getPersistent(key: number, into: Uint8Array): boolean;
  peekPersistent(key: number, into: Uint8Array): boolean;
}

export interface GuestOsStats {
  swapIns: number;
  swapOuts: number;
  cacheHits: number;
  cacheMisses: number;
  writebacks: number;
  cacheDrops: number;
  /** Pages read from the guest's storage: file pages its page cache missed (and tmem did not hold), and swap-ins from its swap device. */
  storageReads: number;
  /** Pages written to the guest's storage: dirty file pages written back, and swap-outs to its swap device. */
  storageWrites: number;
}

const OS_SEEDS: Record<OsType, number> = { linux: 0x11, windows: 0x22, solaris: 0x33, freebsd: 0x44 };

/** A page-cache page's key in tmem: private pools by file and page, shared pools by page of the shared file. */
const cacheKey = (file: GuestFile, fpage: number): number =>
  file.shared ? fpage : file.id * 2 ** 32 + fpage;

/** Kernel text and data: 3 % of memory, between 8 and 128 MiB. */
export const kernelPagesFor = (memszPages: number): number =>
  Math.min(32768, Math.max(2048, Math.ceil(memszPages * 0.03)));

/**
 * The guest operating system: what the hypervisor cannot see. It keeps a free list, a page cache of
 * clean and dirty file pages, anonymous process memory and kernel pages, pages processes out to its
 * own swap device (real bytes in a SwapStore) and reclaims with a clock (second chance) over its pages.
 */
export class GuestOS {
  use: Uint8Array;
  private who: Int32Array;
  private idx: Int32Array;
  private referenced: Uint8Array;
  private freeStack: Int32Array;
  private freePos: Int32Array;
  private freeTop = 0;
  private hand = 0;
  readonly useCount = new Float64Array(GPN_USES);
  readonly processes = new Map<number, Process>();
  readonly files = new Map<number, GuestFile>();
  readonly swapSlots: SlotAllocator;
  /** Per guest swap slot: 1 if the page went to frontswap (tmem) instead of the swap device. */
  private frontswapped: Uint8Array;
  /** Pages the balloon driver holds, most recent last. */
  private readonly balloon: number[] = [];
  /** The tmem client; set when the host offers tmem. */
  tmem: TmemPort | null = null;
  private readonly diskSlots = new SlotAllocator(Number.MAX_SAFE_INTEGER);
  private nextPid = 1;
  private nextFile = 1;
  readonly kernelPages: number;
  readonly stats: GuestOsStats = {
    swapIns: 0,
    swapOuts: 0,
    cacheHits: 0,
    cacheMisses: 0,
    writebacks: 0,
    cacheDrops: 0,
    storageReads: 0,
    storageWrites: 0,
  };
  /** This guest's private tmem pool, and the shared pools of its cluster file systems (made once). */
  private readonly privatePool: PoolRef;
  private readonly sharedPools = new Map<number, PoolRef>();
  /** The swap device and the disk, written in batches (see WriteBehind). */
  private readonly swap: WriteBehind;
  private readonly disk: WriteBehind;

  constructor(
    private readonly vm: Guest,
    private readonly pool: FramePool,
    swap: SwapStore,
    disk: SwapStore,
    readonly verify: boolean,
  ) {
    this.swap = new WriteBehind(swap, pool.work.pages, 'swap');
    this.disk = new WriteBehind(disk, pool.work.pages, 'disk');
    const n = vm.config.memszPages;
    this.use = new Uint8Array(n);
    this.who = new Int32Array(n).fill(-1);
    this.idx = new Int32Array(n).fill(-1);
    this.referenced = new Uint8Array(n);
    this.freeStack = new Int32Array(n);
    this.freePos = new Int32Array(n);
    for (let gpn = n - 1; gpn >= 0; gpn--) this.pushFree(gpn);
    this.useCount[GpnUse.Free] = n;
    this.swapSlots = new SlotAllocator(vm.config.guestSwapPages);
    this.frontswapped = new Uint8Array(vm.config.guestSwapPages);
    this.kernelPages = kernelPagesFor(n);
    this.privatePool = { kind: 'private', gid: vm.gid };
  }

  /** Power-on: the kernel loads its text and data (identical across guests of one OS and size). */
  boot(): void {
    const seed = OS_SEEDS[this.vm.config.os];
    for (let i = 0; i < this.kernelPages; i++) {
      const gpn = this.takeFree();
      this.setUse(gpn, GpnUse.Kernel, -1, i);
      this.pool.fill(this.vm.touchWhole(gpn), 'os', seed, i);
    }
  }

  get memszPages(): number {
    return this.use.length;
  }

  get freePages(): number {
    return this.freeTop;
  }

  /** Committed_AS: the memory the guest has promised: kernel plus every process's address space. */
  get committedPages(): number {
    let sum = this.kernelPages;
    for (const p of this.processes.values()) sum += p.sizePages;
    return sum;
  }

  // ---- processes -------------------------------------------------------------------------------

  spawn(name: string, sizePages: number): Process {
    const p = new Process(this.nextPid++, name, sizePages, this.verify);
    this.processes.set(p.pid, p);
    return p;
  }

  /** The process exits: its pages go back on the free list (their frames stay with the host). */
  exit(p: Process): void {
    this.unmapRange(p, 0, p.sizePages);
    this.processes.delete(p.pid);
  }

  /** Grows or shrinks a process's address space (mmap / munmap at its end). */
  resize(p: Process, sizePages: number): void {
    if (sizePages < p.sizePages) this.unmapRange(p, sizePages, p.sizePages);
    p.resize(sizePages);
  }

  private unmapRange(p: Process, from: number, to: number): void {
    for (let v = from; v < to; v++) {
      const e = p.pte[v];
      if (e >= 0) {
        this.release(e);
        p.resident--;
      } else if (e !== UNMAPPED) {
        this.freeSwapSlot(slotOf(e));
        p.swapped--;
      }
      p.pte[v] = UNMAPPED;
    }
  }

  /** Reads a whole process page (into `into`, if the caller wants its bytes). */
  read(p: Process, vpage: number, into?: Uint8Array): void {
    const frame = this.procFrame(p, vpage, false, false);
    if (p.shadow) p.verify(vpage, this.pool.bytes(frame));
    if (into) this.pool.read(frame, into);
  }

  /** Writes `data` at `offset` of a process page. */
  write(p: Process, vpage: number, offset: number, data: Uint8Array): void {
    this.pool.write(this.procFrame(p, vpage, true, false), offset, data);
    p.recordWrite(vpage, offset, data);
  }

  /** Fills a whole process page with generated content (a program initialising its memory). */
  fill(p: Process, vpage: number, kind: ContentKind, seed: number): void {
    const frame = this.procFrame(p, vpage, true, true);
    this.pool.fill(frame, kind, seed, vpage);
    if (p.shadow) p.recordWrite(vpage, 0, this.pool.bytes(frame));
  }

  /**
   * Copies a process page into `into` without faulting anything in or moving any page: what a debugger
   * reading the process would see. Untouched pages read as zeros.
   */
  peek(p: Process, vpage: number, into: Uint8Array): void {
    const e = p.pte[vpage];
    if (e >= 0) this.vm.peek(e, into);
    else if (e === UNMAPPED) into.fill(0);
    else if (!this.frontswapped[slotOf(e)]) {
      this.swap.read(slotOf(e), into);
    } else this.tmem!.peekPersistent(slotOf(e), into);
  }

  /** Whether the process has ever touched the page (resident or in guest swap). */
  isMapped(p: Process, vpage: number): boolean {
    return p.pte[vpage] !== UNMAPPED;
  }

  /**
   * The frame behind a process page, faulting it in from nothing or from guest swap as needed. With
   * `whole` the caller overwrites the whole page, so a new page is not zeroed first.
   */
  private procFrame(p: Process, vpage: number, write: boolean, whole: boolean): number {
    const e = p.pte[vpage];
    if (e >= 0) {
      this.referenced[e] = 1;
      return whole ? this.vm.touchWhole(e) : this.vm.touch(e, write);
    }
    const gpn = this.takeFree();
    const frame = this.claim(gpn);
    this.setUse(gpn, GpnUse.Anon, p.pid, vpage);
    p.pte[vpage] = gpn;
    p.resident++;
    if (e === UNMAPPED) {
      // Anonymous memory starts as zeros (unless it is about to be written whole).
      if (!whole) this.pool.zero(frame);
    } else {
      const bytes = this.pool.bytes(frame);
      const slot = slotOf(e);
      if (this.frontswapped[slot]) {
        // A persistent get of a page that was put always succeeds.
        if (!this.tmem!.getPersistent(slot, bytes))
          throw new Error(`${this.vm.name}: frontswap lost slot ${slot}`);
        this.frontswapped[slot] = 0;
      } else {
        this.swap.read(slot, bytes);
        this.swap.discard(slot);
        this.stats.storageReads++;
        this.vm.stall += COST.guestSwapIn;
      }
      this.swapSlots.give(slot);
      p.swapped--;
      this.stats.swapIns++;
    }
    return frame;
  }

  /** Zeroes guest page `gpn` if it is free (what an OS does to its free memory at boot); false if in use. */
  zeroIfFree(gpn: number): boolean {
    if (gpn >= this.use.length || this.use[gpn] !== GpnUse.Free) return false;
    this.pool.zero(this.vm.touchWhole(gpn));
    return true;
  }

  // ---- page cache -----------------------------------------------------------------------------

  openFile(name: string, sizePages: number, kind: ContentKind, seed: number, shared = false): GuestFile {
    const file: GuestFile = {
      id: this.nextFile++,
      name,
      kind,
      seed,
      shared,
      pages: new Int32Array(sizePages).fill(-1),
      disk: new Int32Array(sizePages).fill(-1),
    };
    this.files.set(file.id, file);
    return file;
  }

  /** Deletes a file: its cached pages are freed and its disk blocks released. */
  deleteFile(file: GuestFile): void {
    for (let i = 0; i < file.pages.length; i++) {
      if (file.pages[i] >= 0) this.release(file.pages[i]);
      if (file.disk[i] >= 0) {
        this.disk.discard(file.disk[i]);
        this.diskSlots.give(file.disk[i]);
      }
      if (!file.shared) this.tmem?.flush(this.poolOf(file), cacheKey(file, i), false);
    }
    this.files.delete(file.id);
  }

  /** Reads a file page through the page cache (into `into`, if the caller wants its bytes). */
  readFile(file: GuestFile, fpage: number, sequential: boolean, into?: Uint8Array): void {
    const frame = this.cacheFrame(file, fpage, false, sequential);
    if (into) this.pool.read(frame, into);
  }

  /** Writes into a file page through the page cache; the page becomes dirty. */
  writeFile(file: GuestFile, fpage: number, offset: number, data: Uint8Array, sequential: boolean): void {
    this.pool.write(this.cacheFrame(file, fpage, true, sequential), offset, data);
    const gpn = file.pages[fpage];
    if (this.use[gpn] === GpnUse.CacheClean) {
      this.setUse(gpn, GpnUse.CacheDirty, file.id, fpage);
      // A copy in a shared pool is stale for every guest now (cluster file systems are coherent).
      if (file.shared) this.tmem?.flush(this.poolOf(file), cacheKey(file, fpage), false);
    }
  }

  private cacheFrame(file: GuestFile, fpage: number, write: boolean, sequential: boolean): number {
    const cached = file.pages[fpage];
    if (cached >= 0) {
      this.stats.cacheHits++;
      this.referenced[cached] = 1;
      return this.vm.touch(cached, write);
    }
    this.stats.cacheMisses++;
    const gpn = this.takeFree();
    const frame = this.claim(gpn);
    this.setUse(gpn, GpnUse.CacheClean, file.id, fpage);
    file.pages[fpage] = gpn;
    if (this.tmem?.getEphemeral(this.poolOf(file), cacheKey(file, fpage), this.pool.bytes(frame)))
      return frame;
    // A block never written holds the file's generated contents.
    if (file.disk[fpage] >= 0) this.disk.read(file.disk[fpage], this.pool.bytes(frame));
    else this.pool.fill(frame, file.kind, file.seed, fpage);
    this.stats.storageReads++;
    this.vm.stall += sequential ? COST.diskSequentialRead : COST.diskRandomRead;
    return frame;
  }

  /** Writes back up to `max` dirty page-cache pages (the flusher thread), then sends every batch waiting. */
  writeback(max: number): number {
    let done = 0;
    for (const file of this.files.values()) {
      for (let i = 0; i < file.pages.length && done < max; i++) {
        const gpn = file.pages[i];
        if (gpn >= 0 && this.use[gpn] === GpnUse.CacheDirty) {
          this.writeBack(file, i, gpn);
          done++;
        }
      }
    }
    this.disk.flush();
    this.swap.flush();
    return done;
  }

  private writeBack(file: GuestFile, fpage: number, gpn: number): void {
    // The page is read first: if the host cannot bring it in, no disk block has been taken.
    const bytes = this.frameBytes(gpn, false);
    if (file.disk[fpage] < 0) file.disk[fpage] = this.diskSlots.take();
    this.disk.write(file.disk[fpage], bytes);
    this.setUse(gpn, GpnUse.CacheClean, file.id, fpage);
    this.stats.writebacks++;
    this.stats.storageWrites++;
    this.vm.stall += COST.diskWrite;
  }

  // ---- reclaim --------------------------------------------------------------------------------

  /**
   * Frees up to `want` guest pages with a clock over all pages: clean cache first (dropped), then
   * dirty cache (written back, then dropped), then anonymous memory (paged out to guest swap), each
   * page getting a second chance if referenced since the hand last passed. Returns pages freed.
   */
  reclaim(want: number): number {
    let freed = this.sweep(want, false);
    if (freed < want) freed += this.sweep(want - freed, true);
    return freed;
  }

  private sweep(want: number, anon: boolean): number {
    const n = this.use.length;
    let freed = 0;
    // With no page it could take, a sweep goes round twice and leaves the hand where it was: skip it.
    const cache = this.useCount[GpnUse.CacheClean] + this.useCount[GpnUse.CacheDirty];
    const swappable = anon && this.swapSlots.used < this.swapSlots.capacity ? this.useCount[GpnUse.Anon] : 0;
    if (cache + swappable === 0) return 0;
    for (let steps = 0; steps < 2 * n && freed < want; steps++) {
      const gpn = this.hand;
      this.hand = this.hand + 1 === n ? 0 : this.hand + 1;
      const use = this.use[gpn];
      if (use !== GpnUse.CacheClean && use !== GpnUse.CacheDirty && use !== GpnUse.Anon) continue;
      if (use === GpnUse.Anon && (!anon || this.swapSlots.used >= this.swapSlots.capacity)) continue;
      if (this.referenced[gpn]) {
        this.referenced[gpn] = 0;
        continue;
      }
      if (use === GpnUse.Anon) this.swapOut(gpn);
      else this.dropCache(gpn);
      freed++;
    }
    return freed;
  }

  private dropCache(gpn: number): void {
    const file = this.files.get(this.who[gpn])!;
    const fpage = this.idx[gpn];
    if (this.use[gpn] === GpnUse.CacheDirty) this.writeBack(file, fpage, gpn);
    // cleancache: the clean page goes to an ephemeral pool; a later miss may find it there.
    if (this.tmem)
      this.tmem.putEphemeral(this.poolOf(file), cacheKey(file, fpage), this.frameBytes(gpn, false));
    file.pages[fpage] = -1;
    this.stats.cacheDrops++;
    this.release(gpn);
  }

  private swapOut(gpn: number): void {
    const p = this.processes.get(this.who[gpn])!;
    const vpage = this.idx[gpn];
    // Reading the page may fault it in from the host's swap: double paging. If that fails, nothing
    // has changed yet.
    this.vm.guestPaging = true;
    let bytes: Uint8Array;
    try {
      bytes = this.frameBytes(gpn, false);
    } finally {
      this.vm.guestPaging = false;
    }
    const slot = this.swapSlots.take();
    if (this.tmem?.putPersistent(slot, bytes)) {
      this.frontswapped[slot] = 1;
    } else {
      this.swap.write(slot, bytes);
      this.stats.storageWrites++;
      this.vm.stall += COST.guestSwapOut;
    }
    p.pte[vpage] = swapEntry(slot);
    p.resident--;
    p.swapped++;
    this.stats.swapOuts++;
    this.release(gpn);
  }

  // ---- balloon driver -----------------------------------------------------------------------------

  get balloonPages(): number {
    return this.balloon.length;
  }

  /**
   * The balloon driver allocates and pins up to `n` pages and returns them for the hypervisor to take:
   * free pages first, then what reclaim frees (clean cache, dirty cache written back, then process
   * memory paged out to guest swap). Fewer come back when the guest has nothing more to give.
   */
  inflate(n: number, give: (gpn: number) => void): number {
    let taken = 0;
    while (taken < n) {
      if (this.freeTop === 0 && this.reclaim(Math.min(64, n - taken)) === 0) break;
      const gpn = this.takeFree();
      this.setUse(gpn, GpnUse.Balloon, -1, -1);
      this.balloon.push(gpn);
      // Handed over page by page, so an error part way leaves every page either given or not taken.
      give(gpn);
      taken++;
    }
    return taken;
  }

  /** The balloon driver lets go of up to `n` pages: they return to the guest's free list. */
  deflate(n: number): number {
    let given = 0;
    while (given < n && this.balloon.length > 0) {
      this.release(this.balloon.pop()!);
      given++;
    }
    return given;
  }

  private freeSwapSlot(slot: number): void {
    if (this.frontswapped[slot]) {
      this.tmem?.flush(this.privatePool, slot, true);
      this.frontswapped[slot] = 0;
    } else this.swap.discard(slot);
    this.swapSlots.give(slot);
  }

  private poolOf(file: GuestFile): PoolRef {
    if (!file.shared) return this.privatePool;
    let ref = this.sharedPools.get(file.seed);
    if (!ref) {
      ref = { kind: 'shared', fs: file.seed };
      this.sharedPools.set(file.seed, ref);
    }
    return ref;
  }

  // ---- guest physical pages ---------------------------------------------------------------------

  /** Bytes of the frame behind a guest page, for the guest kernel's own reads and writes. */
  private frameBytes(gpn: number, write: boolean): Uint8Array {
    return this.pool.bytes(this.vm.touch(gpn, write));
  }

  /**
   * The frame behind a page just taken off the free list, which the caller fills whole (zeros, a swap-in,
   * a disk read). If the hypervisor cannot bring it back (a failed host swap read), the page goes back on
   * the free list before the error travels on, so the guest's own state stays whole.
   */
  private claim(gpn: number): number {
    try {
      return this.vm.touchWhole(gpn);
    } catch (err) {
      this.pushFree(gpn);
      throw err;
    }
  }

  /** A free guest page, reclaiming if there is none; throws GuestOomError when nothing can be freed. */
  private takeFree(): number {
    if (this.freeTop === 0 && this.reclaim(32) === 0) {
      throw new GuestOomError(`${this.vm.name}: out of memory (no free, cache or swappable pages)`);
    }
    const gpn = this.freeStack[--this.freeTop];
    this.freePos[gpn] = -1;
    return gpn;
  }

  private pushFree(gpn: number): void {
    this.freePos[gpn] = this.freeTop;
    this.freeStack[this.freeTop++] = gpn;
  }

  private release(gpn: number): void {
    this.setUse(gpn, GpnUse.Free, -1, -1);
    this.referenced[gpn] = 0;
    this.pushFree(gpn);
  }

  private setUse(gpn: number, use: GpnUse, who: number, idx: number): void {
    this.useCount[this.use[gpn]]--;
    this.useCount[use]++;
    this.use[gpn] = use;
    this.who[gpn] = who;
    this.idx[gpn] = idx;
  }

  /** Adds guest pages at the end (memory hot-add): they join the free list. */
  grow(memszPages: number): void {
    const old = this.use.length;
    const grown = <T extends Uint8Array | Int32Array>(a: T, make: (n: number) => T, fill: number): T => {
      const b = make(memszPages);
      b.fill(fill);
      b.set(a);
      return b;
    };
    this.use = grown(this.use, (n) => new Uint8Array(n), GpnUse.Free);
    this.referenced = grown(this.referenced, (n) => new Uint8Array(n), 0);
    this.who = grown(this.who, (n) => new Int32Array(n), -1);
    this.idx = grown(this.idx, (n) => new Int32Array(n), -1);
    this.freePos = grown(this.freePos, (n) => new Int32Array(n), -1);
    this.freeStack = grown(this.freeStack, (n) => new Int32Array(n), 0);
    for (let gpn = memszPages - 1; gpn >= old; gpn--) this.pushFree(gpn);
    this.useCount[GpnUse.Free] += memszPages - old;
  }

  /** Closes the swap device and the disk (their files are removed). */
  close(): void {
    this.swap.close();
    this.disk.close();
  }

  /** Whether every page from `memszPages` up is free, so memory can be hot-removed down to it. */
  canShrinkTo(memszPages: number): boolean {
    for (let gpn = memszPages; gpn < this.use.length; gpn++) if (this.use[gpn] !== GpnUse.Free) return false;
    return true;
  }

  /** Takes the free pages from `memszPages` up off the free list and out of the guest. */
  shrink(memszPages: number): void {
    for (let gpn = this.use.length - 1; gpn >= memszPages; gpn--) {
      const pos = this.freePos[gpn];
      const last = this.freeStack[--this.freeTop];
      this.freeStack[pos] = last;
      this.freePos[last] = pos;
    }
    this.useCount[GpnUse.Free] -= this.use.length - memszPages;
    this.use = this.use.slice(0, memszPages);
    this.referenced = this.referenced.slice(0, memszPages);
    this.who = this.who.slice(0, memszPages);
    this.idx = this.idx.slice(0, memszPages);
    this.freePos = this.freePos.slice(0, memszPages);
    this.freeStack = this.freeStack.slice(0, memszPages);
    if (this.hand >= memszPages) this.hand = 0;
  }
}
