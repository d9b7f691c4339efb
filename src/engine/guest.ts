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
  /** Makes `gpn` readable (write=false) or private and writable (write=true); returns its frame. */
  fault(guest: Guest, gpn: number, write: boolean): number;
  /** Copies the page's current contents into `into` without changing where it is (for dumps and checks). */
  peek(guest: Guest, gpn: number, into: Uint8Array): void;
}

/**
 * A guest as the hypervisor sees it: its configuration and its pmap (guest physical page -> where the
 * page is), kept in typed arrays. The guest OS inside is modelled in guestos.ts.
 */
export class Guest {
  pmapState: Uint8Array;
  pmapLoc: Int32Array;
  sample: Uint8Array;
  /** Pages counted per pmap state, kept in step with every change. */
  readonly stateCount = new Float64Array(PAGE_STATES);
  /** Simulated seconds of memory stalls charged to the op now running. */
  stall = 0;
  /** Frames of overhead memory held for this guest. */
  readonly overheadFrames: number[] = [];
  /** Allocation target in pages, set by the policy each tick. */
  targetPages = 0;

  constructor(
    readonly gid: number,
    public config: GuestConfig,
    private readonly pool: FramePool,
    private readonly faults: FaultHandler,
  ) {
    this.pmapState = new Uint8Array(config.memszPages);
    this.pmapLoc = new Int32Array(config.memszPages).fill(-1);
    this.sample = new Uint8Array(config.memszPages);
    this.stateCount[PageState.Untouched] = config.memszPages;
  }

  get name(): string {
    return this.config.name;
  }

  /**
   * The frame behind guest page `gpn` for an access; the hot path of the whole simulation. A private
   * frame is a hit; anything else is a fault the host handles (first touch, COW, swap-in, ...).
   */
  touch(gpn: number, write: boolean): number {
    const s = this.sample[gpn];
    if (s !== Sample.None && s !== Sample.Written) this.sample[gpn] = write ? Sample.Written : Sample.Read;
    if (this.pmapState[gpn] === PageState.Private) {
      this.stall += COST.frameHit;
      return this.pmapLoc[gpn];
    }
    return this.faults.fault(this, gpn, write);
  }

  peek(gpn: number, into: Uint8Array): void {
    this.faults.peek(this, gpn, into);
  }

  /** Records that `gpn` now lives in `state` at `loc` (a frame, a cache slot or a swap slot). */
  setPage(gpn: number, state: PageState, loc: number): void {
    this.stateCount[this.pmapState[gpn]]--;
    this.stateCount[state]++;
    this.pmapState[gpn] = state;
    this.pmapLoc[gpn] = loc;
  }

  /** Maps a freshly allocated (zeroed) private frame at `gpn`. */
  mapPrivate(gpn: number, frame: number): void {
    this.pool.owner[frame] = this.gid;
    this.pool.ownerPage[frame] = gpn;
    this.setPage(gpn, PageState.Private, frame);
  }

  /** Grows the pmap (memory hot-add); new pages are untouched. */
  grow(memszPages: number): void {
    const old = this.pmapState.length;
    const state = new Uint8Array(memszPages);
    state.set(this.pmapState);
    const loc = new Int32Array(memszPages).fill(-1);
    loc.set(this.pmapLoc);
    const sample = new Uint8Array(memszPages);
    sample.set(this.sample);
    this.pmapState = state;
    this.pmapLoc = loc;
    this.sample = sample;
    this.stateCount[PageState.Untouched] += memszPages - old;
  }

  /** Drops pages from `memszPages` up (memory hot-remove); the caller has freed what was behind them. */
  shrink(memszPages: number): void {
    for (let gpn = memszPages; gpn < this.pmapState.length; gpn++) this.stateCount[this.pmapState[gpn]]--;
    this.pmapState = this.pmapState.slice(0, memszPages);
    this.pmapLoc = this.pmapLoc.slice(0, memszPages);
    this.sample = this.sample.slice(0, memszPages);
  }
}
