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
 * per-frame metadata in typed arrays (no object per page). A frame is zeroed before it is handed out.
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
  /**
   * Frames from this one up have never been handed out: they are as the OS gave them, all zero, and
   * need no clearing (a host's first touch of its memory is most of a boot storm's cost otherwise).
   * The free stack hands them out lowest first, after any frame given back, so every frame below it
   * has been used.
   */
  private untouched = 0;

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
    this.kindCount[FrameKind.Free] = frameCount;
  }

  get freeFrames(): number {
    return this.freeTop;
  }

  /** Takes a free frame, zeroes it and gives it a kind; -1 when none is free. */
  alloc(kind: FrameKind): number {
    if (this.freeTop === 0) return -1;
    const frame = this.freeStack[--this.freeTop];
    if (frame < this.untouched) this.slabOf(frame).fill(0, offsetOf(frame), offsetOf(frame) + PAGE_SIZE);
    else this.untouched = frame + 1;
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

  copyFrame(from: number, to: number): void {
    const o = offsetOf(from);
    this.slabOf(to).set(this.slabOf(from).subarray(o, o + PAGE_SIZE), offsetOf(to));
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
