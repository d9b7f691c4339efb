import { ByteOp } from '../bytework.ts';
import { COST } from '../costs.ts';
import type { FramePool } from '../framepool.ts';
import { type Guest, PageState } from '../guest.ts';
import { checksumPage } from '../pagehash.ts';
import { SlotAllocator, StoreError, type SwapStore } from '../store/swapstore.ts';
import { WriteBehind } from '../store/writebehind.ts';

interface SwapFile {
  readonly store: WriteBehind;
  readonly slots: SlotAllocator;
  /** A checksum per slot, checked on every read: a swap file never hands back wrong data. */
  readonly sums: Uint32Array;
}

/**
 * Hypervisor swapping: one swap file per guest (as ESX's .vswp), the size of the guest's memory less
 * its reservation. Pages are written and read at slot offsets through a SwapStore, in batches (see
 * WriteBehind: `flush` ends a batch); every slot carries a checksum of what was written, so a flipped
 * bit or a short read is an error, never wrong data.
 */
export class HostSwap {
  private readonly files = new Map<number, SwapFile>();

  constructor(private readonly pool: FramePool) {}

  attach(vm: Guest, store: SwapStore): void {
    const capacity = Math.max(0, vm.config.memszPages - vm.config.reservationPages);
    this.files.set(vm.gid, {
      store: new WriteBehind(store, this.pool.work.pages, 'swap'),
      slots: new SlotAllocator(capacity),
      sums: new Uint32Array(vm.config.memszPages),
    });
  }

  detach(vm: Guest): void {
    this.files.get(vm.gid)?.store.close();
    this.files.delete(vm.gid);
  }

  /** Writes the pages waiting in a guest's batch; throws StoreError when the device fails. */
  flush(vm: Guest): void {
    this.files.get(vm.gid)?.store.flush();
  }

  /** Slots in use in a guest's swap file. */
  used(vm: Guest): number {
    return this.files.get(vm.gid)?.slots.used ?? 0;
  }

  hasRoom(vm: Guest): boolean {
    const f = this.files.get(vm.gid);
    return !!f && f.slots.used < f.slots.capacity;
  }

  /**
   * Writes a private page to the guest's swap file and frees its frame. Returns false when the file is
   * full; throws StoreError when the device fails (the page then stays where it was).
   */
  swapOut(vm: Guest, gpn: number): boolean {
    const frame = vm.pmapLoc[gpn];
    if (!this.store(vm, gpn, this.pool.bytes(frame))) return false;
    this.pool.release(frame);
    return true;
  }

  /** Writes page bytes to a new slot and records `gpn` as swapped there (false: the file is full). */
  store(vm: Guest, gpn: number, bytes: Uint8Array): boolean {
    const slot = this.write(vm, bytes);
    if (slot < 0) return false;
    this.place(vm, gpn, slot);
    return true;
  }

  /**
   * Writes page bytes to a new slot, not yet anyone's: -1 when the file is full; a device error
   * throws with nothing changed. `place` then records the page there.
   */
  write(vm: Guest, bytes: Uint8Array): number {
    const f = this.files.get(vm.gid);
    const slot = f ? f.slots.take() : -1;
    if (!f || slot < 0) return -1;
    try {
      f.store.write(slot, bytes);
    } catch (err) {
      f.slots.give(slot);
      throw err;
    }
    f.sums[slot] = checksumPage(bytes);
    this.pool.work.pages[ByteOp.hash]++;
    return slot;
  }

  place(vm: Guest, gpn: number, slot: number): void {
    vm.setPage(gpn, PageState.Swapped, slot);
    vm.stats.swapOuts++;
  }

  /** The file follows the guest: memsz less reservation, as ESX sizes its swap file. */
  resize(vm: Guest): void {
    const f = this.files.get(vm.gid);
    if (!f) return;
    f.slots.capacity = Math.max(0, vm.config.memszPages - vm.config.reservationPages);
    if (f.sums.length < vm.config.memszPages) {
      const sums = new Uint32Array(vm.config.memszPages);
      sums.set(f.sums);
      this.files.set(vm.gid, { ...f, sums });
    }
  }

  /** Reads a swapped page back into `frame` and maps it privately; throws StoreError on a bad read. */
  swapIn(vm: Guest, gpn: number, frame: number): void {
    const slot = vm.pmapLoc[gpn];
    this.read(vm, slot, this.pool.bytes(frame));
    this.give(vm, slot);
    vm.mapPrivate(gpn, frame);
    vm.stats.swapIns++;
    vm.stall += COST.hostSwapIn;
    if (vm.guestPaging) vm.stats.doublePaging++;
  }

  /** Reads a swapped page without moving it. */
  peek(vm: Guest, gpn: number, into: Uint8Array): void {
    this.read(vm, vm.pmapLoc[gpn], into);
  }

  /** Forgets a swapped page (its guest page is dropped). */
  free(vm: Guest, gpn: number): void {
    this.give(vm, vm.pmapLoc[gpn]);
  }

  /** A slot back to the file's free slots; a write of it still waiting is dropped. */
  private give(vm: Guest, slot: number): void {
    const f = this.files.get(vm.gid);
    if (!f) return;
    f.store.discard(slot);
    f.slots.give(slot);
  }

  private read(vm: Guest, slot: number, into: Uint8Array): void {
    const f = this.files.get(vm.gid)!;
    // Read straight into place: on a failed checksum the caller gets an error, never the bytes.
    f.store.read(slot, into);
    this.pool.work.pages[ByteOp.hash]++;
    if (checksumPage(into) !== f.sums[slot]) {
      throw new StoreError('CHECKSUM', `${vm.name}: host swap slot ${slot} fails its checksum`);
    }
  }
}
