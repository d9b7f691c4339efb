import { allocationTargets } from '../targets.ts';
import { holds, type MomRule } from './mom.ts';
import { only, type Personality, setIf } from './personality.ts';

/** MOM evaluates its rules every 10 seconds. */
const MOM_INTERVAL = 10;

/**
 * KVM: KSM merges identical pages across and within guests (pages_to_scan every sleep_millisecs), a
 * MOM-style rule policy sets the balloons, and the host swaps by LRU when it runs short (hard or low)
 * or a guest is over its cgroup limit. No compression cache; shares and reservations do not exist.
 */
export function kvm(rules: readonly MomRule[]): Personality {
  // When the rules last ran for each guest (by GID: GIDs are never reused).
  const lastRun = new Map<number, number>();
  return {
    name: 'kvm',
    product: 'KVM with KSM and MOM',
    summary: 'KSM, MOM rule-driven balloon, host swap by LRU; no compression, shares or reservations',
    screen: 'esxtop',
    uses: ['ksmPagesToScan', 'ksmSleep', 'eviction', 'mom'],
    reclaim: (base) =>
      only(base, {
        sharing: 'ksm',
        balloon: true,
        hostSwap: true,
        victim: base.victim === 'random' ? 'lru' : base.victim,
      }),
    targets: (inputs, available) => allocationTargets(inputs, available, 0),
    balloonTarget: (c) => {
      const last = lastRun.get(c.guest.gid);
      if (last !== undefined && c.t - last < MOM_INTERVAL) return c.current;
      const memsz = c.guest.config.memszPages;
      const vars = { hostFree: c.hostFreePercent, guestFree: (100 * c.guest.freePages) / memsz };
      const rule = rules.find((r) => holds(r, vars));
      if (!rule) return c.current;
      lastRun.set(c.guest.gid, c.t);
      return Math.max(0, Math.min(c.max, Math.round(c.current + rule.step * memsz)));
    },
    swapNow: (c) => c.state === 'hard' || c.state === 'low' || c.overLimit,
    unused: (g) => [
      ...setIf(g.shares !== 10 * (g.memszPages / 256), 'shares'),
      ...setIf(g.reservationPages > 0, 'reservation'),
    ],
  };
}
