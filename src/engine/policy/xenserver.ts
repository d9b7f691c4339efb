import type { TargetInput } from '../targets.ts';
import { admitWhenBacked, only, type Personality, setIf } from './personality.ts';

/**
 * Citrix XenServer: ballooning only. Each guest has a dynamic minimum (its reservation here) and a
 * dynamic maximum (its limit, or memsz); Dynamic Memory Control gives every guest the same fraction
 * of its dynamic range, the largest that fits the host. No sharing, no compression, no host swap.
 */
export const xenserver: Personality = {
  name: 'xenserver',
  product: 'Citrix XenServer',
  summary: 'balloon only, DMC between dynamic min and max; no sharing, compression or host swap',
  screen: 'xentop',
  uses: [],
  reclaim: (base) => only(base, { balloon: true, balloonMaxFraction: 1 }),
  targets: dmcTargets,
  // The balloon holds whatever is above the guest's DMC target: memsz - target.
  balloonTarget: (c) => {
    const memsz = c.guest.config.memszPages;
    return Math.max(0, Math.min(c.max, memsz - c.guest.targetPages));
  },
  swapNow: () => false,
  admit: admitWhenBacked('dynamic minimum (reservation) and overhead', (g) => g.reservationPages),
  unused: (g) => setIf(g.shares !== 10 * (g.memszPages / 256), 'shares'),
};

/** The same fraction f of every guest's dynamic range: target = min + f (max - min), f as large as fits. */
export function dmcTargets(inputs: readonly TargetInput[], available: number): number[] {
  const lo = inputs.map((g) => Math.min(g.reservation, g.memsz));
  const hi = inputs.map((g) => Math.min(g.limit ?? g.memsz, g.memsz));
  const at = (f: number): number[] => lo.map((l, i) => Math.floor(l + f * (hi[i] - l)));
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  if (sum(at(1)) <= available) return at(1);
  let low = 0;
  let high = 1;
  for (let i = 0; i < 40; i++) {
    const mid = (low + high) / 2;
    if (sum(at(mid)) > available) high = mid;
    else low = mid;
  }
  return at(low);
}
