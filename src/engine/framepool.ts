import { ByteOp, ByteWork } from './bytework.ts';
import { type ContentKind, fillAt } from './content.ts';
import { PAGE_SHIFT, PAGE_SIZE } from './units.ts';

/** What a host frame is used for. Conservation: every frame has exactly one kind. */
export const FrameKind = {
  Free: 0,
  /** Backs exactly one guest page. */
  Private: 1,
  /** Backs one or more guest pages copy-on-write (page sharing, the zero frame). */
  Shared: 2,
  /** Holds compressed guest pages (the compression cache). */
  Compressed: 3,
  /** Owned by the hypervisor's transcendent memory pools. */
  Tmem: 4,
  /** Per-guest overhead and the hypervisor's own memory. */
  Overhead: 5,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];
export const FRAME_KINDS = 6;

/** Frames per slab: a slab is at most 1 GiB, so hosts larger than one typed array work. */
export const FRAMES_PER_SLAB = 1 << 18;
const SLAB_SHIFT = 18;
const SLAB_MASK = FRAMES_PER_SLAB - 1;

/**
 * Host physical memory: 4 KiB frames in Uint8Array slabs, with the free list, reference counts and
 * per-frame metadata in typed arrays (no object per page). A frame is zeroed before it is handed out,
 * unless the caller overwrites it whole (`allocUnzeroed`) or it was never used (fresh memory is zero).
 */
export class FramePool {
  readonly frameCount: number;
  readonly slabs: Uint8Array[] = [];
  /** How many guest pages map this frame (1 for a private frame). */
  readonly refcount: Uint32Array;
  readonly kind: Uint8Array;
  /** Guest id owning a private frame (-1 otherwise); with ownerPage, the reverse map. */
  readonly owner: Int32Array;
  readonly ownerPage: Int32Array;
  /** Frames counted per kind, kept in step with every change of kind. */
  readonly kindCount = new Float64Array(FRAME_KINDS);
  private readonly freeStack: Int32Array;
  private freeTop: number;
  /** Frames never handed out: the bottom `fresh` entries of the free stack, still all zeros. */
  private fresh: number;
  /** The byte work done on this host's pages, counted by every mechanism that moves bytes. */
  readonly work = new ByteWork();

  constructor(frameCount: number) {
    if (!Number.isInteger(frameCount) || frameCount <= 0) throw new RangeError(`frame count ${frameCount}`);
    this.frameCount = frameCount;
    for (let left = frameCount; left > 0; left -= FRAMES_PER_SLAB) {
      this.slabs.push(new Uint8Array(Math.min(left, FRAMES_PER_SLAB) * PAGE_SIZE));
    }
    this.refcount = new Uint32Array(frameCount);
    this.kind = new Uint8Array(frameCount);
    this.owner = new Int32Array(frameCount).fill(-1);
    this.ownerPage = new Int32Array(frameCount).fill(-1);
    this.freeStack = new Int32Array(frameCount);
    // Lowest frame numbers come out first: pop from the top of a stack filled high to low.
    for (let i = 0; i < frameCount; i++) this.freeStack[i] = frameCount - 1 - i;
    this.freeTop = frameCount;
    this.fresh = frameCount;
    this.kindCount[FrameKind.Free] = frameCount;
  }

  get freeFrames(): number {
    return this.freeTop;
  }

  /** Takes a free frame, zeroes it and gives it a kind; -1 when none is free. */
  alloc(kind: FrameKind): number {
    // Fresh frames are the bottom of the free stack: when the top is fresh, so are all below it.
    const fresh = this.freeTop === this.fresh;
    const frame = this.allocUnzeroed(kind);
    if (frame >= 0 && !fresh) this.zero(frame);
    return frame;
  }

  /**
   * Takes a free frame without clearing it: for a caller that overwrites all of it before anyone reads
   * it (a swap-in, a decompression, a copy) or never lets a guest see it. -1 when none is free.
   */
  allocUnzeroed(kind: FrameKind): number {
    if (this.freeTop === 0) return -1;
    const frame = this.freeStack[--this.freeTop];
    if (this.freeTop < this.fresh) {
      this.fresh = this.freeTop;
      this.work.pages[ByteOp.freshFrame]++;
    }
    this.kind[frame] = kind;
    this.refcount[frame] = 1;
    this.kindCount[FrameKind.Free]--;
    this.kindCount[kind]++;
    return frame;
  }

  /** Returns a frame to the free list, whatever its kind. Its bytes stay until it is handed out again. */
  release(frame: number): void {
    const kind = this.kind[frame];
    if (kind === FrameKind.Free) throw new Error(`frame ${frame} freed twice`);
    this.kindCount[kind]--;
    this.kindCount[FrameKind.Free]++;
    this.kind[frame] = FrameKind.Free;
    this.refcount[frame] = 0;
    this.owner[frame] = -1;
    this.ownerPage[frame] = -1;
    this.freeStack[this.freeTop++] = frame;
  }

  setKind(frame: number, kind: FrameKind): void {
    this.kindCount[this.kind[frame]]--;
    this.kindCount[kind]++;
    this.kind[frame] = kind;
  }

  slabOf(frame: number): Uint8Array {
    return this.slabs[frame >>> SLAB_SHIFT];
  }

  /** A view of the frame's 4 KiB (no copy). */
  bytes(frame: number): Uint8Array {
    const o = offsetOf(frame);
    return this.slabOf(frame).subarray(o, o + PAGE_SIZE);
  }

  // The byte work on frames: each counted, and each its own function so a CPU profile tells it apart
  // from bookkeeping. None makes a view of the frame.

  /** Clears a frame to zeros. */
  zero(frame: number): void {
    const o = offsetOf(frame);
    this.slabs[frame >>> SLAB_SHIFT].fill(0, o, o + PAGE_SIZE);
    this.work.pages[ByteOp.zero]++;
  }

  copyFrame(from: number, to: number): void {
    const src = this.slabs[from >>> SLAB_SHIFT];
    const dst = this.slabs[to >>> SLAB_SHIFT];
    const o = offsetOf(from);
    if (src === dst) dst.copyWithin(offsetOf(to), o, o + PAGE_SIZE);
    else dst.set(src.subarray(o, o + PAGE_SIZE), offsetOf(to));
    this.work.pages[ByteOp.copy]++;
  }

  /** Writes `data` into a frame at `offset` (counted as the fraction of a page it covers). */
  write(frame: number, offset: number, data: Uint8Array): void {
    this.slabs[frame >>> SLAB_SHIFT].set(data, offsetOf(frame) + offset);
    this.work.pages[ByteOp.copy] += data.length / PAGE_SIZE;
  }

  /** Fills a frame with generated content (content.ts): a program's data, a file's blocks. */
  fill(frame: number, kind: ContentKind, seed: number, index: number): void {
    fillAt(this.slabs[frame >>> SLAB_SHIFT], offsetOf(frame), kind, seed, index);
    this.work.pages[ByteOp.copy]++;
  }

  /** Copies a frame's 4 KiB into `into`. */
  read(frame: number, into: Uint8Array): void {
    const o = offsetOf(frame);
    into.set(this.slabs[frame >>> SLAB_SHIFT].subarray(o, o + PAGE_SIZE));
    this.work.pages[ByteOp.copy]++;
  }

  /** Counts frames by kind from the kind array itself: the check behind the kept counters. */
  recount(): Float64Array {
    const counts = new Float64Array(FRAME_KINDS);
    for (let f = 0; f < this.frameCount; f++) counts[this.kind[f]]++;
    return counts;
  }
}

/** Byte offset of a frame inside its slab. */
export const offsetOf = (frame: number): number => (frame & SLAB_MASK) << PAGE_SHIFT;
