/** One guest's inputs to the allocation policy, in pages (active as a fraction of memsz). */
export interface TargetInput {
  readonly memsz: number;
  readonly reservation: number;
  readonly limit: number | null;
  readonly shares: number;
  readonly active: number;
  readonly consumed: number;
}

/**
 * ESX's allocation targets. A guest's shares-per-page ratio is rho = S / (P (f + k (1 - f))), with f
 * its active fraction and k = 1 / (1 - idleTax): idle pages cost k times as much, so a guest hoarding
 * idle memory loses it first. Targets are the allocations at which every guest's rho is equal
 * (reclaiming from the lowest rho until the rest fit), bounded below by the reservation and above by
 * min(limit, memsz) and by what the guest wants now (its consumption plus some room to grow).
 * When everything wanted fits in `available`, every guest's target is what it wants.
 */
export function allocationTargets(
  guests: readonly TargetInput[],
  available: number,
  idleTax: number,
): number[] {
  const k = 1 / (1 - Math.min(idleTax, 0.99));
  const lo = guests.map((g) => Math.min(g.reservation, g.memsz));
  const hi = guests.map((g, i) => {
    const max = Math.min(g.limit ?? g.memsz, g.memsz);
    const wants = Math.max(g.consumed, g.active * g.memsz) + Math.max(4096, g.memsz * 0.05);
    return Math.max(lo[i], Math.min(max, Math.ceil(wants)));
  });
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  if (sum(hi) <= available) return hi;
  if (sum(lo) >= available) return lo;
  const weight = guests.map((g) => g.shares / (g.active + k * (1 - g.active)));
  const at = (level: number): number[] =>
    guests.map((_, i) => Math.min(hi[i], Math.max(lo[i], Math.floor(weight[i] * level))));
  // Pages per unit of weight: find the level at which the targets add up to what is available.
  let low = 0;
  let high = Math.max(...hi.map((h, i) => h / Math.max(weight[i], 1e-12)));
  for (let iter = 0; iter < 64; iter++) {
    const mid = (low + high) / 2;
    if (sum(at(mid)) > available) high = mid;
    else low = mid;
  }
  return at(low);
}
