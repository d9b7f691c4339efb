import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocationTargets, type TargetInput } from '../../src/engine/targets.ts';

const TAX = 0.75;
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

const g = (over: Partial<TargetInput> = {}): TargetInput => ({
  memsz: 100_000,
  reservation: 0,
  limit: null,
  shares: 1000,
  active: 0.5,
  consumed: 50_000,
  ...over,
});

/** What a guest wants, by the documented rule: consumption (or active memory) plus room to grow. */
const wants = (x: TargetInput): number =>
  Math.max(
    Math.min(x.reservation, x.memsz),
    Math.min(
      Math.min(x.limit ?? x.memsz, x.memsz),
      Math.ceil(Math.max(x.consumed, x.active * x.memsz) + Math.max(4096, x.memsz * 0.05)),
    ),
  );

describe('allocationTargets', () => {
  it('gives every guest what it wants when everything fits', () => {
    const guests = [
      g({ consumed: 20_000, active: 0.1 }), // wants 20000 + 5000
      g({ consumed: 10_000, active: 0.6 }), // active 60000 > consumed: 60000 + 5000
      g({ memsz: 20_000, consumed: 1_000, active: 0 }), // 1000 + 4096 (at least 16 MiB of room)
      g({ memsz: 20_000, consumed: 19_000, active: 1 }), // capped by memsz
      g({ consumed: 90_000, active: 1, limit: 40_000 }), // capped by the limit
      g({ consumed: 0, active: 0, reservation: 30_000 }), // raised to the reservation
    ];
    const t = allocationTargets(guests, 10_000_000, TAX);
    expect(t).toEqual([25_000, 65_000, 5_096, 20_000, 40_000, 30_000]);
    expect(t).toEqual(guests.map(wants));
  });

  it('gives exactly what is wanted when that is exactly what is available', () => {
    const guests = [g({ consumed: 10_000, active: 0 }), g({ consumed: 20_000, active: 0 })];
    const want = sum(guests.map(wants));
    expect(allocationTargets(guests, want, TAX)).toEqual(guests.map(wants));
  });

  it('shares out exactly what is available when overcommitted', () => {
    const guests = [
      g({ shares: 1000, active: 0.3 }),
      g({ shares: 1700, active: 0.8 }),
      g({ shares: 2300, active: 0.55 }),
    ];
    const t = allocationTargets(guests, 100_000, TAX);
    expect(sum(t)).toBe(100_000);
    t.forEach((x, i) => {
      expect(x).toBeLessThanOrEqual(wants(guests[i]));
    });
  });

  it('honours reservations even when that leaves the others little', () => {
    const guests = [
      g({ reservation: 60_000, shares: 10, active: 0 }),
      g({ shares: 100_000, active: 1 }),
      g({ shares: 100_000, active: 1 }),
    ];
    const t = allocationTargets(guests, 100_000, TAX);
    expect(t[0]).toBeGreaterThanOrEqual(60_000);
    expect(sum(t)).toBeLessThanOrEqual(100_000);
  });

  it('gives reservations alone when they take all that is available', () => {
    const guests = [g({ reservation: 40_000 }), g({ reservation: 70_000 }), g()];
    expect(allocationTargets(guests, 100_000, TAX)).toEqual([40_000, 70_000, 0]);
  });

  it('honours limits, giving the rest to the others', () => {
    const guests = [g({ limit: 10_000, shares: 100_000, active: 1 }), g({ shares: 1000, active: 0.5 })];
    const t = allocationTargets(guests, 60_000, TAX);
    expect(t[0]).toBeLessThanOrEqual(10_000);
    expect(t[0]).toBe(10_000);
    expect(t[1]).toBe(50_000);
  });

  it('gives more memory to the guest with more shares', () => {
    const guests = [g({ shares: 1000 }), g({ shares: 2000 }), g({ shares: 4000 })];
    const t = allocationTargets(guests, 90_000, TAX);
    expect(t[0]).toBeLessThan(t[1]);
    expect(t[1]).toBeLessThan(t[2]);
    // Same activity: targets proportional to shares.
    expect(t[1] / t[0]).toBeCloseTo(2, 2);
    expect(t[2] / t[0]).toBeCloseTo(4, 2);
  });

  it('taxes idle memory: with equal shares the idle guest gets less than the active one', () => {
    const idle = g({ active: 0.05, consumed: 60_000 });
    const busy = g({ active: 0.6, consumed: 60_000 });
    const [ti, tb] = allocationTargets([idle, busy], 80_000, TAX);
    expect(ti).toBeLessThan(tb);
    expect(ti + tb).toBe(80_000);
    // rho = S / (P (f + k (1 - f))) is equal for both: P proportional to 1 / (f + k (1 - f)), k = 4.
    const cost = (f: number): number => f + 4 * (1 - f);
    expect(ti / tb).toBeCloseTo(cost(0.6) / cost(0.05), 2);
  });

  it('without an idle tax, activity makes no difference', () => {
    const [a, b] = allocationTargets(
      [g({ active: 0.05, consumed: 60_000 }), g({ active: 0.6, consumed: 60_000 })],
      80_000,
      0,
    );
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1);
  });

  it('a higher idle tax takes more from the idle guest', () => {
    const guests = [g({ active: 0.05, consumed: 60_000 }), g({ active: 0.6, consumed: 60_000 })];
    const low = allocationTargets(guests, 80_000, 0.25)[0];
    const high = allocationTargets(guests, 80_000, 0.9)[0];
    expect(high).toBeLessThan(low);
  });

  const input = fc
    .record({
      memsz: fc.integer({ min: 1, max: 300_000 }),
      reservationFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      limitFraction: fc.option(fc.double({ min: 0, max: 1.5, noNaN: true })),
      shares: fc.integer({ min: 1, max: 100_000 }),
      active: fc.double({ min: 0, max: 1, noNaN: true }),
      consumedFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map((r): TargetInput => {
      const reservation = Math.floor(r.memsz * r.reservationFraction * 0.5);
      const limit =
        r.limitFraction === null ? null : Math.max(reservation, Math.floor(r.memsz * r.limitFraction));
      return {
        memsz: r.memsz,
        reservation,
        limit,
        shares: r.shares,
        active: r.active,
        consumed: Math.floor(r.memsz * r.consumedFraction),
      };
    });

  it('keeps every target within [reservation, min(limit, memsz)] and the sum within what is available', () => {
    fc.assert(
      fc.property(
        fc.array(input, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        (guests, available, tax) => {
          const t = allocationTargets(guests, available, tax);
          expect(t).toHaveLength(guests.length);
          const lo = guests.map((x) => Math.min(x.reservation, x.memsz));
          t.forEach((x, i) => {
            expect(Number.isInteger(x)).toBe(true);
            expect(x).toBeGreaterThanOrEqual(lo[i]);
            expect(x).toBeLessThanOrEqual(
              Math.max(lo[i], Math.min(guests[i].limit ?? Infinity, guests[i].memsz)),
            );
            expect(x).toBeLessThanOrEqual(wants(guests[i]));
          });
          const wanted = sum(guests.map(wants));
          if (wanted <= available) expect(t).toEqual(guests.map(wants));
          else if (sum(lo) >= available) expect(t).toEqual(lo);
          else {
            // All of what is available is given out, but for pages lost to rounding when several
            // guests' targets step up together (at most one per guest).
            expect(sum(t)).toBeLessThanOrEqual(available);
            expect(sum(t)).toBeGreaterThan(available - guests.length);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never gives a guest less for having more shares, all else equal', () => {
    fc.assert(
      fc.property(
        fc.array(input, { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.integer({ min: 2, max: 10 }),
        (guests, available, factor) => {
          const before = allocationTargets(guests, available, TAX)[0];
          const more = [{ ...guests[0], shares: guests[0].shares * factor }, ...guests.slice(1)];
          const after = allocationTargets(more, available, TAX)[0];
          expect(after).toBeGreaterThanOrEqual(before);
        },
      ),
      { numRuns: 300 },
    );
  });
});
