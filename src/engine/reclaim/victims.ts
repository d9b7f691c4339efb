import type { VictimPolicy } from '../config.ts';
import { type Guest, PageState, type PrivateWatcher, resized } from '../guest.ts';
import type { Rng } from '../rng.ts';

/** Pages a class policy looks at for each page it is asked for (and at least WINDOW_MIN). */
export const WINDOW_PER_PAGE = 16;
export const WINDOW_MIN = 64;

/**
 * Choosing which private pages of a guest the hypervisor swaps. `random` is ESX's choice: the
 * hypervisor cannot know which pages matter, and random choice avoids the worst interactions with
 * the guest's own paging. The others use what the hypervisor can observe (referenced and written
 * bits from its page tables, mapping order) as other products do.
 *
 * Every pick costs a bounded number of steps per page picked, whatever the guest's size: `random`
 * draws at most 8 pages per page asked for; `fifo` keeps its pages in mapping order in a linked list
 * and takes them from the head; the class policies (NRU, Clock, aging, LRU) sweep a hand over a dense
 * list of the private pages, looking at most WINDOW_PER_PAGE pages per page asked for, and take the
 * lowest classes they saw (as Linux scans a bounded batch, not the whole list). A policy keeps the
 * per-page arrays it needs itself, made only when it is the one in use.
 */
export class VictimPicker implements PrivateWatcher {
  /** Pages looked at by the last pick (the bound the tests check). */
  examined = 0;
  /** Aging's counters and LRU's last-use ticks, per guest page (null unless the policy uses them). */
  ages: Uint8Array | null;
  lastUse: Uint32Array | null;
  private readonly index: MapOrder | PrivateList | null;

  constructor(
    readonly policy: VictimPolicy,
    private readonly rng: Rng,
    vm: Guest,
  ) {
    const n = vm.pmapState.length;
    this.ages = policy === 'aging' ? new Uint8Array(n) : null;
    this.lastUse = policy === 'lru' ? new Uint32Array(n) : null;
    this.index = policy === 'random' ? null : policy === 'fifo' ? new MapOrder(vm) : new PrivateList(vm);
    if (this.index) vm.watcher = this;
  }

  mapped(gpn: number): void {
    this.index!.mapped(gpn);
  }

  unmapped(gpn: number): void {
    this.index!.unmapped(gpn);
  }

  resized(n: number): void {
    this.index!.resized(n);
    if (this.ages) this.ages = resized(this.ages, n);
    if (this.lastUse) this.lastUse = resized(this.lastUse, n);
  }

  /** Bytes of per-page arrays this policy keeps. */
  get bytes(): number {
    return (this.ages?.byteLength ?? 0) + (this.lastUse?.byteLength ?? 0) + (this.index?.bytes ?? 0);
  }

  /** Up to `n` private pages to swap, by the policy. */
  pick(vm: Guest, n: number, tick: number): number[] {
    this.examined = 0;
    if (this.index instanceof MapOrder) return this.oldestMapped(this.index, n);
    if (this.index instanceof PrivateList) return this.byClass(vm, this.index, n, tick);
    return this.random(vm, n);
  }

  /** Once a tick: fold the referenced bits of private pages into ages and last-use times, then clear them. */
  age(vm: Guest, tick: number): void {
    const list = this.index;
    if (!(list instanceof PrivateList) || this.policy === 'clock') return;
    const { accessed } = vm;
    const { ages, lastUse } = this;
    for (let i = 0; i < list.count; i++) {
      const gpn = list.pages[i];
      const ref = accessed[gpn] & 1;
      if (ages) ages[gpn] = (ages[gpn] >>> 1) | (ref << 7);
      if (lastUse && ref) lastUse[gpn] = tick;
      accessed[gpn] &= 2;
    }
  }

  private random(vm: Guest, n: number): number[] {
    const size = vm.pmapState.length;
    const out = new Set<number>();
    for (let tries = 0; tries < 8 * n + 64 && out.size < n; tries++) {
      const gpn = this.rng.int(size);
      this.examined++;
      if (vm.pmapState[gpn] === PageState.Private) out.add(gpn);
    }
    return [...out];
  }

  /** FIFO: the pages mapped longest ago, from the head of the mapping order. */
  private oldestMapped(order: MapOrder, n: number): number[] {
    const out: number[] = [];
    for (let gpn = order.head; gpn >= 0 && out.length < n; gpn = order.next[gpn]) {
      this.examined++;
      out.push(gpn);
    }
    return out;
  }

  /**
   * A hand sweeps the private pages, at most a window of them, taking pages of class 0 (least worth
   * keeping) as it meets them and noting the others by class; what is still wanted at the end comes
   * from the lowest classes seen, in the order seen: NRU's four classes of referenced and written
   * bits, Clock's second chance (a referenced page passed over loses its bit, so it is class 0 the
   * next time round), aging's counter and LRU's time since last use.
   */
  private byClass(vm: Guest, list: PrivateList, n: number, tick: number): number[] {
    const out: number[] = [];
    const count = list.count;
    if (count === 0 || n <= 0) return out;
    const window = Math.min(count, Math.max(WINDOW_MIN, WINDOW_PER_PAGE * n));
    const seen: number[][] = [[], [], [], []];
    if (list.hand >= count) list.hand = 0;
    for (let step = 0; step < window && out.length < n; step++) {
      const gpn = list.pages[list.hand];
      list.hand = list.hand + 1 >= count ? 0 : list.hand + 1;
      this.examined++;
      const c = this.classOf(vm, gpn, tick);
      if (c === 0) out.push(gpn);
      else {
        if (seen[c].length < n) seen[c].push(gpn);
        if (this.policy === 'clock') vm.accessed[gpn] &= 2; // second chance used up
      }
    }
    for (let c = 1; c < 4 && out.length < n; c++) {
      for (const gpn of seen[c]) {
        if (out.length >= n) break;
        out.push(gpn);
      }
    }
    return out;
  }

  private classOf(vm: Guest, gpn: number, tick: number): number {
    const bits = vm.accessed[gpn];
    switch (this.policy) {
      case 'nru':
        return ((bits & 1) << 1) | ((bits >>> 1) & 1);
      case 'clock':
        return bits & 1 ? 3 : 0;
      case 'aging': {
        const a = this.ages![gpn];
        return a === 0 ? 0 : a < 32 ? 1 : a < 128 ? 2 : 3;
      }
      default: {
        const idle = tick - this.lastUse![gpn];
        return idle >= 8 ? 0 : idle >= 3 ? 1 : idle >= 1 ? 2 : 3;
      }
    }
  }
}

const NONE = -1;
/** `next` of a page not in the list. */
const OUT = -2;

/** A guest's private pages in the order they were mapped: a doubly linked list over page numbers. */
class MapOrder {
  next: Int32Array;
  prev: Int32Array;
  head = NONE;
  tail = NONE;

  constructor(vm: Guest) {
    const n = vm.pmapState.length;
    this.next = new Int32Array(n).fill(OUT);
    this.prev = new Int32Array(n).fill(NONE);
    // Pages already private (the guest's kernel, mapped at power-on) join in page order.
    for (let gpn = 0; gpn < n; gpn++) if (vm.pmapState[gpn] === PageState.Private) this.mapped(gpn);
  }

  get bytes(): number {
    return this.next.byteLength + this.prev.byteLength;
  }

  mapped(gpn: number): void {
    if (this.next[gpn] !== OUT) this.unmapped(gpn);
    this.prev[gpn] = this.tail;
    this.next[gpn] = NONE;
    if (this.tail !== NONE) this.next[this.tail] = gpn;
    else this.head = gpn;
    this.tail = gpn;
  }

  unmapped(gpn: number): void {
    const next = this.next[gpn];
    if (next === OUT) return;
    const prev = this.prev[gpn];
    if (prev !== NONE) this.next[prev] = next;
    else this.head = next;
    if (next !== NONE) this.prev[next] = prev;
    else this.tail = prev;
    this.next[gpn] = OUT;
    this.prev[gpn] = NONE;
  }

  resized(n: number): void {
    const old = this.next.length;
    this.next = resized(this.next, n);
    this.prev = resized(this.prev, n);
    if (n > old) {
      this.next.fill(OUT, old);
      this.prev.fill(NONE, old);
    }
  }
}

/** A guest's private pages as a dense list (with each page's position), and the hand sweeping it. */
class PrivateList {
  pages: Int32Array;
  pos: Int32Array;
  count = 0;
  hand = 0;

  constructor(vm: Guest) {
    const n = vm.pmapState.length;
    this.pages = new Int32Array(n);
    this.pos = new Int32Array(n).fill(NONE);
    for (let gpn = 0; gpn < n; gpn++) if (vm.pmapState[gpn] === PageState.Private) this.mapped(gpn);
  }

  get bytes(): number {
    return this.pages.byteLength + this.pos.byteLength;
  }

  mapped(gpn: number): void {
    if (this.pos[gpn] !== NONE) return;
    this.pos[gpn] = this.count;
    this.pages[this.count++] = gpn;
  }

  /** The last page moves into the hole. */
  unmapped(gpn: number): void {
    const i = this.pos[gpn];
    if (i === NONE) return;
    const last = this.pages[--this.count];
    this.pages[i] = last;
    this.pos[last] = i;
    this.pos[gpn] = NONE;
  }

  resized(n: number): void {
    const old = this.pos.length;
    this.pages = resized(this.pages, n);
    this.pos = resized(this.pos, n);
    if (n > old) this.pos.fill(NONE, old);
  }
}
