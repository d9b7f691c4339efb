import type { HostSnapshot } from '../engine/snapshot.ts';

/**
 * The host's mechanism counters as the batch outputs write them: null (JSON) or an empty cell (CSV)
 * for a mechanism the personality lacks, as the screens show n/a, never a 0 that reads as measured.
 * The frames by use (privateMB ... tmemMB) stay numbers: they add up to totalMB whatever the product.
 */
export function hostCounters(s: HostSnapshot) {
  const h = s.host;
  const m = s.mechanisms;
  return {
    ...h,
    pshare: m.sharing ? h.pshare : null,
    swap: m.swap ? h.swap : null,
    zip: m.zip ? h.zip : null,
    memctl: m.balloon ? h.memctl : null,
  };
}
