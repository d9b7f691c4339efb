import { allocationTargets } from '../targets.ts';
import { balloonTowardTarget, only, type Personality } from './personality.ts';

/**
 * VMware ESX: shares, reservation and limit with the idle memory tax, working-set sampling,
 * transparent page sharing, the balloon, the compression cache and random-victim host swap, driven by
 * the 6/4/2/1 % free states: balloon in soft, compress and swap in hard, block in low.
 */
export const esx: Personality = {
  name: 'esx',
  product: 'VMware ESX',
  summary: 'TPS, balloon, compression, random host swap; shares, reservation, limit, idle tax',
  screen: 'esxtop',
  uses: ['shareScanTime', 'compressionCache'],
  reclaim: (base) =>
    only(base, { sharing: 'esx', balloon: true, compression: true, hostSwap: true, victim: 'random' }),
  targets: allocationTargets,
  balloonTarget: balloonTowardTarget,
  // Swap in hard and low; before that only a guest the balloon cannot shrink (no driver, or stuck).
  swapNow: (c) =>
    c.state === 'hard' || c.state === 'low' || (!c.ballooning && (c.overLimit || c.state !== 'high')),
  holdsHighThreshold: true,
  unused: () => [],
};
