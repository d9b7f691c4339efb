import { ByteOp } from './bytework.ts';
import type { GuestConfig } from './config.ts';
import { COST } from './costs.ts';
import type { FramePool } from './framepool.ts';

/** Where a guest physical page is, as the hypervisor's pmap records it. */
export const PageState = {
  /** Never touched: no frame behind it. */
  Untouched: 0,
  /** In a frame of its own. */
  Private: 1,
  /** In a copy-on-write frame with others (page sharing, or the shared zero frame). */
  Shared: 2,
  /** In the host swap file (pmapLoc is the slot). */
  Swapped: 3,
  /** In the compression cache (pmapLoc is the cache slot). */
  Compressed: 4,
  /** Given up by the guest's balloon driver: no frame behind it. */
  Ballooned: 5,
} as const;
export type PageState = (typeof PageState)[keyof typeof PageState];
export const PAGE_STATES = 6;

/** Active-memory sampling marks (ESX Mem.SamplePeriod): a sampled page records its first touch. */
export const Sample = { None: 0, Armed: 1, Read: 2, Written: 3 } as const;

/**
 * What the hypervisor does for a page that is not simply in a private frame: swap-in, decompress,
 * copy-on-write, and (through the host) allocation under memory pressure.
 */
export interface FaultHandler {
  /**
   * Makes `gpn` readable (write=false) or private and writable (write=true); returns its frame. With
   * `whole` the caller overwrites all 4 KiB at once, so a new frame need not be cleared or copied into.
   */
  fault(guest: Guest, gpn: number, write: boolean, whole: boolean): number;
  /** Copies the page's current contents into `into` without changing where it is (for dumps and checks). */
  peek(guest: Guest, gpn: number, into: Uint8Array): void;
}

export interface GuestStats {
  cowBreaks: number;
  swapIns: number;
  swapOuts: number;
  zips: number;
  unzips: number;
  doublePaging: number;
}

/**
 * Told when a page becomes private (is mapped to a frame of its own) and when it stops being private:
 * how a victim policy keeps its own index of a guest's private pages without scanning the pmap.
 */
export interface PrivateWatcher {
  mapped(gpn: number): void;
  unmapped(gpn: number): void;
  /** The pmap grew or shrank to `n` pages (pages beyond a shrink were unmapped first). */
  resized(n: number): void;
}

/** Shared pages' cost (frames), zero pages, and pages saved (mapped minus charged). */
export interface ShareCount {
  readonly charge: number;
  readonly zero: number;
  readonly saved: number;
}

export const newGuestStats = (): GuestStats => ({
  cowBreaks: 0,
  swapIns: 0,
  swapOuts: 0,
  zips: 0,
  unzips: 0,
  doublePaging: 0,
});

/**
 * A guest as the hypervisor sees it: its configuration and its pmap (guest physical page -> where the
 * page is), kept in typed arrays. The guest OS inside is modelled in guestos.ts.
 */
export class Guest {
  pmapState: Uint8Array;
  pmapLoc: Int32Array;
  sample: Uint8Array;
  /**
   * Per page: bit 0 referenced since the last tick, bit 1 written since it was mapped (as a page table's
   * accessed and dirty bits). Victim policies keep whatever else they need themselves (victims.ts).
   */
  accessed: Uint8Array;
  /** The victim policy's index of private pages, if it keeps one. */
  watcher: PrivateWatcher | null = null;
  /** Pages counted per pmap state, kept in step with every change. */
  readonly stateCount = new Float64Array(PAGE_STATES);
  /** Simulated seconds of memory stalls charged to the op now running. */
  stall = 0;
  /** Frames of overhead memory held for this guest. */
  readonly overheadFrames: number[] = [];
  /** Allocation target in pages, set by the policy each tick. */
  targetPages = 0;
  /** What sharing gives this guest, recounted once a tick (see PageSharing.charge). */
  shareCount: ShareCount = { charge: 0, zero: 0, saved: 0 };
  /** Frames of the compression cache holding this guest's pages (host memory used on its behalf). */
  cacheFrames = 0;
  /** Counters since power-on of what the hypervisor did to this guest's pages. */
  readonly stats: GuestStats = newGuestStats();
  /** Set while the guest OS reads a page to write it to its own swap: a host swap-in then is double paging. */
  guestPaging = false;
  /** Why the guest was stopped by a host fault (a swap file it cannot read); null while it runs. */
  faulted: string | null = null;
  /** The host's byte-work counters (accesses are counted here). */
  private readonly work: Float64Array;

  constructor(
    readonly gid: number,
    public config: GuestConfig,
    private readonly pool: FramePool,
    private readonly faults: FaultHandler,
  ) {
    this.pmapState = new Uint8Array(config.memszPages);
    this.pmapLoc = new Int32Array(config.memszPages).fill(-1);
    this.sample = new Uint8Array(config.memszPages);
    this.accessed = new Uint8Array(config.memszPages);
    this.stateCount[PageState.Untouched] = config.memszPages;
    this.work = pool.work.pages;
  }

  /** Frames charged for shared pages: each shared frame split between the pages mapping it. */
  get sharedCharge(): number {
    return this.shareCount.charge;
  }

  get name(): string {
    return this.config.name;
  }

  /**
   * The frame behind guest page `gpn` for an access; the hot path of the whole simulation. A private
   * frame is a hit; anything else is a fault the host handles (first touch, COW, swap-in, ...).
   */
  touch(gpn: number, write: boolean): number {
    this.work[ByteOp.access]++;
    const s = this.sample[gpn];
    if (s !== Sample.None && s !== Sample.Written) this.sample[gpn] = write ? Sample.Written : Sample.Read;
    this.accessed[gpn] |= write ? 3 : 1;
    if (this.pmapState[gpn] === PageState.Private) {
      this.stall += COST.frameHit;
      return this.pmapLoc[gpn];
    }
    return this.faults.fault(this, gpn, write, false);
  }

  /**
   * The frame behind `gpn` for a write of all its 4 KiB (a page filled, read in from a disk, zeroed):
   * as touch(gpn, true) in every count and cost, but a frame the host hands out for it is not cleared
   * first and a shared page is not copied, since nothing of it would be seen.
   */
  touchWhole(gpn: number): number {
    this.work[ByteOp.access]++;
    const s = this.sample[gpn];
    if (s !== Sample.None && s !== Sample.Written) this.sample[gpn] = Sample.Written;
    this.accessed[gpn] |= 3;
    if (this.pmapState[gpn] === PageState.Private) {
      this.stall += COST.frameHit;
      return this.pmapLoc[gpn];
    }
    return this.faults.fault(this, gpn, true, true);
  }

  peek(gpn: number, into: Uint8Array): void {
    this.faults.peek(this, gpn, into);
  }

  /** Records that `gpn` now lives in `state` at `loc` (a frame, a cache slot or a swap slot). */
  setPage(gpn: number, state: PageState, loc: number): void {
    const old = this.pmapState[gpn];
    if (old === PageState.Private && state !== PageState.Private) this.watcher?.unmapped(gpn);
    this.stateCount[old]--;
    this.stateCount[state]++;
    this.pmapState[gpn] = state;
    this.pmapLoc[gpn] = loc;
  }

  /** Maps a freshly allocated (zeroed) private frame at `gpn`. */
  mapPrivate(gpn: number, frame: number): void {
    this.pool.owner[frame] = this.gid;
    this.pool.ownerPage[frame] = gpn;
    this.accessed[gpn] = 1;
    const was = this.pmapState[gpn];
    this.setPage(gpn, PageState.Private, frame);
    if (was !== PageState.Private) this.watcher?.mapped(gpn);
  }

  /** Grows the pmap (memory hot-add); new pages are untouched. */
  grow(memszPages: number): void {
    const old = this.pmapState.length;
    this.resizeArrays(memszPages);
    this.pmapLoc.fill(-1, old);
    this.stateCount[PageState.Untouched] += memszPages - old;
    this.watcher?.resized(memszPages);
  }

  /** Drops pages from `memszPages` up (memory hot-remove); the caller has freed what was behind them. */
  shrink(memszPages: number): void {
    for (let gpn = memszPages; gpn < this.pmapState.length; gpn++) this.stateCount[this.pmapState[gpn]]--;
    this.resizeArrays(memszPages);
    this.watcher?.resized(memszPages);
  }

  private resizeArrays(n: number): void {
    this.pmapState = resized(this.pmapState, n);
    this.pmapLoc = resized(this.pmapLoc, n);
    this.sample = resized(this.sample, n);
    this.accessed = resized(this.accessed, n);
  }
}

/** A copy of a typed array at a new length: truncated, or zero-extended. */
export function resized<T extends Uint8Array | Int32Array | Uint32Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a.subarray(0, Math.min(n, a.length)));
  return b;
}
