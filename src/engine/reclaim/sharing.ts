import { ByteOp } from '../bytework.ts';
import { COST } from '../costs.ts';
import { FrameKind, type FramePool } from '../framepool.ts';
import { type Guest, PageState, type ShareCount } from '../guest.ts';
import { hashPage, isZeroPage, pagesEqual, ZERO_HASH } from '../pagehash.ts';

/** What one scanned page came to. */
export type ScanResult = 'zero' | 'shared' | 'hinted' | 'skipped';

/**
 * Transparent page sharing. A scanned page is hashed; a hit in the table of shared frames is compared
 * in full (never shared on a hash alone) and the page remapped onto that frame, copy-on-write, its own
 * frame freed. A page with no match is remembered as a hint; when a later page matches the hint and
 * the hinted page still holds the same bytes, both become one shared frame. Zero pages map onto one
 * shared zero frame. A write to a shared page copies it first (a COW break).
 *
 * Hints live in a fixed table indexed by the hash, as ESX keeps them: a new hint overwrites whatever
 * held its slot, and a stale hint (its page changed or went) costs one failed compare. So the memory
 * for hints is fixed by the host's size, however many distinct pages are scanned.
 */
export class PageSharing {
  /** Shared frames by content hash, and back. */
  private readonly byHash = new Map<bigint, number>();
  private readonly hashOf = new Map<number, bigint>();
  /** The hint table: per slot, the high half of the page's hash, its guest (-1: empty) and page. */
  private readonly hintCheck: Uint32Array;
  private readonly hintGid: Int32Array;
  private readonly hintGpn: Int32Array;
  private readonly hintMask: number;
  zeroFrame = -1;
  /** Pages looked at since start, shared or not (KSM's pages_scanned). */
  scanned = 0;

  constructor(
    private readonly pool: FramePool,
    private readonly guestById: (gid: number) => Guest | undefined,
  ) {
    // A slot per host frame (a power of two): more distinct pages than that cannot be resident at once.
    let slots = 1024;
    while (slots < pool.frameCount) slots *= 2;
    this.hintCheck = new Uint32Array(slots);
    this.hintGid = new Int32Array(slots).fill(-1);
    this.hintGpn = new Int32Array(slots);
    this.hintMask = slots - 1;
  }

  /** Hints held now (at most the table's size). */
  get hints(): number {
    let n = 0;
    for (let i = 0; i < this.hintGid.length; i++) if (this.hintGid[i] >= 0) n++;
    return n;
  }

  /** Slots in the hint table: fixed when the host is made. */
  get hintCapacity(): number {
    return this.hintGid.length;
  }

  /** Scans one guest page: shares it if its contents are already in a shared frame or match a hint. */
  scan(vm: Guest, gpn: number): ScanResult {
    this.scanned++;
    if (vm.pmapState[gpn] !== PageState.Private) return 'skipped';
    const frame = vm.pmapLoc[gpn];
    const bytes = this.pool.bytes(frame);
    const work = this.pool.work.pages;
    const h = hashPage(bytes);
    work[ByteOp.hash]++;
    if (h === ZERO_HASH) work[ByteOp.compare]++;
    if (h === ZERO_HASH && isZeroPage(bytes)) {
      if (this.zeroFrame < 0) {
        // The page's own frame becomes the zero frame.
        this.promote(vm, gpn, frame, h);
        this.zeroFrame = frame;
        return 'zero';
      }
      this.mapShared(vm, gpn, this.zeroFrame);
      return 'zero';
    }
    const shared = this.byHash.get(h);
    if (shared !== undefined) {
      work[ByteOp.compare]++;
      if (pagesEqual(this.pool.bytes(shared), bytes)) {
        this.mapShared(vm, gpn, shared);
        return 'shared';
      }
    }
    const slot = Number(BigInt.asUintN(32, h)) & this.hintMask;
    const check = Number(h >> 32n);
    const hintGid = this.hintGid[slot];
    if (hintGid >= 0 && this.hintCheck[slot] === check && shared === undefined) {
      const other = this.guestById(hintGid);
      const otherGpn = this.hintGpn[slot];
      if (
        other &&
        !(other === vm && otherGpn === gpn) &&
        otherGpn < other.pmapState.length &&
        other.pmapState[otherGpn] === PageState.Private
      ) {
        work[ByteOp.compare]++;
        if (pagesEqual(this.pool.bytes(other.pmapLoc[otherGpn]), bytes)) {
          this.hintGid[slot] = -1;
          this.promote(other, otherGpn, other.pmapLoc[otherGpn], h);
          this.mapShared(vm, gpn, other.pmapLoc[otherGpn]);
          return 'shared';
        }
      }
    }
    this.hintCheck[slot] = check;
    this.hintGid[slot] = vm.gid;
    this.hintGpn[slot] = gpn;
    return 'hinted';
  }

  /**
   * Counts what a guest's shared pages cost it: each shared frame split evenly between the pages
   * mapping it. Also returns the zero pages and the saving (pages mapped minus frames charged).
   */
  charge(vm: Guest): ShareCount {
    let charge = 0;
    let zero = 0;
    const { pmapState, pmapLoc } = vm;
    const refcount = this.pool.refcount;
    if (vm.stateCount[PageState.Shared] > 0) {
      for (let gpn = 0; gpn < pmapState.length; gpn++) {
        if (pmapState[gpn] !== PageState.Shared) continue;
        charge += 1 / refcount[pmapLoc[gpn]];
        if (pmapLoc[gpn] === this.zeroFrame) zero++;
      }
    }
    return { charge, zero, saved: vm.stateCount[PageState.Shared] - charge };
  }

  /**
   * A write to a shared page: give the guest a private copy (or a fresh zero frame). With `whole` the
   * write covers the page, so there is nothing to copy.
   */
  breakCow(vm: Guest, gpn: number, newFrame: number, whole: boolean): void {
    const old = vm.pmapLoc[gpn];
    if (old !== this.zeroFrame && !whole) this.pool.copyFrame(old, newFrame);
    this.unref(old);
    vm.mapPrivate(gpn, newFrame);
    vm.stats.cowBreaks++;
    vm.stall += COST.cowBreak;
  }

  /** The guest page stops using its shared frame (ballooned, swapped, removed). */
  unref(frame: number): void {
    const n = --this.pool.refcount[frame];
    if (n > 0) return;
    const h = this.hashOf.get(frame);
    if (h !== undefined) {
      this.hashOf.delete(frame);
      if (this.byHash.get(h) === frame) this.byHash.delete(h);
    }
    if (frame === this.zeroFrame) this.zeroFrame = -1;
    this.pool.release(frame);
  }

  /** Turns a private frame into a shared one mapped by its page, with refcount 1. */
  private promote(vm: Guest, gpn: number, frame: number, h: bigint): void {
    this.pool.setKind(frame, FrameKind.Shared);
    this.pool.owner[frame] = -1;
    this.pool.ownerPage[frame] = -1;
    this.pool.refcount[frame] = 1;
    vm.setPage(gpn, PageState.Shared, frame);
    if (frame !== this.zeroFrame && h !== ZERO_HASH) {
      this.byHash.set(h, frame);
      this.hashOf.set(frame, h);
    }
  }

  private mapShared(vm: Guest, gpn: number, shared: number): void {
    this.pool.release(vm.pmapLoc[gpn]);
    this.pool.refcount[shared]++;
    vm.setPage(gpn, PageState.Shared, shared);
  }
}
