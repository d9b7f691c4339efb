import { allocationTargets } from '../targets.ts';
import { admitWhenBacked, only, type Personality, setIf } from './personality.ts';

/**
 * Xen with transcendent memory: every guest balloons itself toward its Committed_AS (self-ballooning)
 * and hands what it evicts to tmem: clean page cache to ephemeral pools (cleancache), swapped pages to
 * persistent pools (frontswap). A guest without swap cannot frontswap. No host swap, no sharing.
 */
export const xenTmem: Personality = {
  name: 'xen-tmem',
  product: 'Xen 4 with tmem',
  summary: 'self-ballooning from Committed_AS, tmem cleancache and frontswap; no host swap',
  screen: 'xentop',
  uses: [],
  reclaim: (base) => only(base, { balloon: true, tmem: true, selfBalloon: true }),
  targets: allocationTargets,
  balloonTarget: (c) =>
    selfBalloonTarget(c.guest.config.memszPages, c.guest.committedPages, c.max, c.current),
  swapNow: () => false,
  admit: admitWhenBacked("Xen backs all of a domain's memory at creation:", (g) => g.memszPages),
  unused: (g) => [
    ...setIf(g.shares !== 10 * (g.memszPages / 256), 'shares'),
    ...setIf(g.reservationPages > 0, 'reservation'),
  ],
};

/**
 * Linux's selfballoon driver: keep Committed_AS plus a reserve (5 %, at least 16 MB), give the rest to
 * the hypervisor, and move a quarter of the way there each time (hysteresis against noise).
 */
export function selfBalloonTarget(memsz: number, committed: number, max: number, current: number): number {
  const reserve = Math.max(4096, Math.ceil(memsz * 0.05));
  const want = Math.max(0, Math.min(max, memsz - committed - reserve));
  return Math.round(current + (want - current) / 4);
}
