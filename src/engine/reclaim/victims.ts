import type { VictimPolicy } from '../config.ts';
import { type Guest, PageState } from '../guest.ts';
import type { Rng } from '../rng.ts';

/**
 * Choosing which private pages of a guest the hypervisor swaps. `random` is ESX's choice: the
 * hypervisor cannot know which pages matter, and random choice avoids the worst interactions with
 * the guest's own paging. The others use what the hypervisor can observe (referenced and written
 * bits from its page tables, mapping order) as other products do.
 */
export class VictimPicker {
  private hand = 0;

  constructor(
    readonly policy: VictimPolicy,
    private readonly rng: Rng,
  ) {}

  /** Up to `n` private pages to swap, by the policy. */
  pick(vm: Guest, n: number, tick: number): number[] {
    if (this.policy === 'random') return this.random(vm, n);
    if (this.policy === 'fifo') return this.oldestMapped(vm, n);
    return this.byClass(vm, n, tick);
  }

  /** Once a tick: fold the referenced bits into ages and last-use times, then clear them. */
  age(vm: Guest, tick: number): void {
    if (this.policy === 'random' || this.policy === 'fifo') return;
    const { accessed, age, lastUse } = vm;
    for (let gpn = 0; gpn < accessed.length; gpn++) {
      const ref = accessed[gpn] & 1;
      age[gpn] = (age[gpn] >>> 1) | (ref << 7);
      if (ref) lastUse[gpn] = tick;
      if (this.policy !== 'clock') accessed[gpn] &= 2;
    }
  }

  private random(vm: Guest, n: number): number[] {
    const size = vm.pmapState.length;
    const out = new Set<number>();
    for (let tries = 0; tries < 8 * n + 64 && out.size < n; tries++) {
      const gpn = this.rng.int(size);
      if (vm.pmapState[gpn] === PageState.Private) out.add(gpn);
    }
    return [...out];
  }

  /** FIFO: the pages mapped longest ago. */
  private oldestMapped(vm: Guest, n: number): number[] {
    const candidates: number[] = [];
    for (let gpn = 0; gpn < vm.pmapState.length; gpn++) {
      if (vm.pmapState[gpn] === PageState.Private) candidates.push(gpn);
    }
    candidates.sort((a, b) => vm.mappedAt[a] - vm.mappedAt[b]);
    return candidates.slice(0, n);
  }

  /**
   * A hand sweeps the pmap taking pages of the lowest class first (class 0 = least worth keeping),
   * accepting the next class after a full turn finds too few: NRU's four classes of referenced and
   * written bits, Clock's second chance, aging's counter and LRU's time since last use.
   */
  private byClass(vm: Guest, n: number, tick: number): number[] {
    const size = vm.pmapState.length;
    const taken = new Set<number>();
    for (let accept = 0; accept < 4 && taken.size < n; accept++) {
      for (let steps = 0; steps < size && taken.size < n; steps++) {
        const gpn = this.hand;
        this.hand = this.hand + 1 >= size ? 0 : this.hand + 1;
        if (vm.pmapState[gpn] !== PageState.Private || taken.has(gpn)) continue;
        if (this.classOf(vm, gpn, tick) <= accept) taken.add(gpn);
        else if (this.policy === 'clock') vm.accessed[gpn] &= 2; // second chance used up
      }
    }
    return [...taken];
  }

  private classOf(vm: Guest, gpn: number, tick: number): number {
    const bits = vm.accessed[gpn];
    switch (this.policy) {
      case 'nru':
        return ((bits & 1) << 1) | ((bits >>> 1) & 1);
      case 'clock':
        return bits & 1 ? 3 : 0;
      case 'aging': {
        const a = vm.age[gpn];
        return a === 0 ? 0 : a < 32 ? 1 : a < 128 ? 2 : 3;
      }
      default: {
        const idle = tick - vm.lastUse[gpn];
        return idle >= 8 ? 0 : idle >= 3 ? 1 : idle >= 1 ? 2 : 3;
      }
    }
  }
}
