import { allocationTargets } from '../targets.ts';
import { admitWhenBacked, only, type Personality, setIf } from './personality.ts';

/** Hot-add in steps of 64 MB, as Hyper-V adds memory in blocks. */
const HOT_ADD_STEP = 16384;

/**
 * Hyper-V Dynamic Memory. memsz is the startup memory, the reservation the minimum, the limit the
 * maximum (none: four times startup), shares the memory weight, and the buffer (20 % by default)
 * the spare memory each guest should see above its demand (Committed_AS). A guest whose demand plus
 * buffer exceeds its memory gets memory hot-added, up to its maximum, while the host has it free;
 * under pressure the balloon takes back what is above demand plus buffer (less buffer for lighter
 * weights). A guest starts only if its startup memory is free: no overcommit beyond that.
 */
export function hyperv(buffer: number): Personality {
  const wanted = (demand: number, weightShare: number): number =>
    Math.ceil(demand * (1 + buffer * weightShare));
  return {
    name: 'hyperv',
    product: 'Microsoft Hyper-V Dynamic Memory',
    summary: 'startup/minimum/maximum, buffer and weight, hot-add up, balloon down; no sharing or host swap',
    screen: 'esxtop',
    uses: ['hypervBuffer'],
    reclaim: (base) => only(base, { balloon: true, balloonMaxFraction: 1 }),
    targets: allocationTargets,
    balloonTarget: (c) => {
      const cfg = c.guest.config;
      // A maximum lowered under the memory a guest has is reached by the balloon, in every state.
      const overMaximum = cfg.limitPages === null ? 0 : cfg.memszPages - cfg.limitPages;
      const weightShare = Math.min(1, cfg.shares / (10 * (cfg.memszPages / 256)));
      const keep = Math.max(cfg.reservationPages, wanted(c.guest.committedPages, weightShare));
      const pressure = c.state === 'high' ? 0 : cfg.memszPages - keep;
      return Math.max(0, Math.min(c.max, Math.max(overMaximum, pressure)));
    },
    swapNow: () => false,
    admit: admitWhenBacked('startup memory and overhead', (g) => g.memszPages),
    resize: (g, hostFreePages) => {
      const cfg = g.config;
      const maximum = cfg.limitPages ?? 4 * g.startupPages;
      const want = wanted(g.committedPages, 1);
      if (want <= cfg.memszPages || cfg.memszPages >= maximum) return null;
      const step = Math.min(HOT_ADD_STEP, maximum - cfg.memszPages);
      return hostFreePages > 2 * step ? cfg.memszPages + step : null;
    },
    unused: (g) => setIf(!g.balloonDriver, 'balloon: false (Dynamic Memory needs its integration services)'),
  };
}
