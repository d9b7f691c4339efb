import { allocationTargets } from '../targets.ts';
import { only, type Personality } from './personality.ts';

/**
 * Parallels Server Bare Metal / Virtuozzo: containers and VMs with a guarantee (the reservation here),
 * a limit and a priority (shares), under a node limit. No balloon: the host reclaims from guests above
 * their guaranteed share by compression and swap, with a selectable eviction algorithm (LRU by
 * default; FIFO, Clock, Aging, NRU or random). No idle tax.
 */
export const psbm: Personality = {
  name: 'psbm',
  product: 'Parallels Server Bare Metal (Virtuozzo)',
  summary: 'guarantee, limit, priority, node limit; compression and swap with a chosen eviction; no balloon',
  screen: 'esxtop',
  uses: ['eviction', 'compressionCache', 'nodeLimit'],
  reclaim: (base) =>
    only(base, { compression: true, hostSwap: true, victim: base.victim === 'random' ? 'lru' : base.victim }),
  targets: (inputs, available) => allocationTargets(inputs, available, 0),
  balloonTarget: () => 0,
  swapNow: (c) => c.state !== 'high' || c.overLimit,
  unused: () => [],
};
