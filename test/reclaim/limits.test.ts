import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/engine/apply-command.ts';
import type { WorkloadType } from '../../src/engine/config.ts';
import { kernelPagesFor } from '../../src/engine/guestos.ts';
import type { Host } from '../../src/engine/host.ts';
import { consumedPages } from '../../src/engine/reclaim/reclaimer.ts';
import { workloadSpec } from '../../src/engine/workloads/defaults.ts';
import { checkConservation, guestConfig, machineOf, makeHost, must } from '../engine/helpers.ts';

/** The personalities that have a limit: ESX's limit, KVM's cgroup limit, PSBM's limit, XenServer's dynamic maximum, Hyper-V's maximum. */
const WITH_LIMITS = ['esx', 'kvm', 'psbm', 'xenserver', 'hyperv'] as const;

/** Runs `ticks` ticks, calling `check` after every slice's reclamation (where a limit must hold). */
function runChecking(host: Host, ticks: number, check: () => void): void {
  const r = host.reclaimer;
  const step = r.step.bind(r);
  r.step = (dt: number) => {
    step(dt);
    check();
  };
  try {
    for (let i = 0; i < ticks; i++) host.tick();
  } finally {
    r.step = step;
  }
}

describe('a limit is a cap in every free state', () => {
  it('the balloon at its maximum: what it cannot take the host swaps, though the host has memory to spare', () => {
    // The case: a 64 MB guest rewriting 48 MB, limited to 6 MB on a roomy host. The balloon may
    // take at most 65 % (41.6 MB); the rest over the limit must go to host swap or the compression cache.
    const host = makeHost(65536);
    try {
      must(host, {
        type: 'addGuest',
        guest: guestConfig('train1', 16384, { guestSwapPages: 16384 }),
        workloads: [workloadSpec('memhog', { sizePages: 12288 })],
      });
      for (let i = 0; i < 5; i++) host.tick();
      must(host, { type: 'setLimit', guest: 'train1', pages: 1536 });
      const m = machineOf(host, 'train1');
      for (let i = 0; i < 20; i++) host.tick();
      expect(host.state).toBe('high');
      expect(m.os.balloonPages).toBeGreaterThan(0);
      const out = host.reclaimer.hostSwap.used(m.vm) + host.reclaimer.zip.usage(m.vm).pages;
      expect(out).toBeGreaterThan(0);
      expect(consumedPages(m.vm)).toBeLessThanOrEqual(1536);
      checkConservation(host);
    } finally {
      host.close();
    }
  });

  it.each(WITH_LIMITS)('%s: a guest stays at or under a limit set below what it uses, in high state', (p) => {
    const host = makeHost(65536, 3, undefined, p);
    try {
      must(host, {
        type: 'addGuest',
        guest: guestConfig('g', 16384, { guestSwapPages: 16384 }),
        workloads: [workloadSpec('java-heap', { sizePages: 12000, locality: 0.8, workingSet: 0.5 })],
      });
      for (let i = 0; i < 5; i++) host.tick();
      const m = machineOf(host, 'g');
      const limit = 8192;
      expect(consumedPages(m.vm)).toBeGreaterThan(limit);
      must(host, { type: 'setLimit', guest: 'g', pages: limit });
      for (let i = 0; i < 10; i++) host.tick();
      const over: string[] = [];
      runChecking(host, 10, () => {
        if (consumedPages(m.vm) > limit) over.push(`${host.t}: ${consumedPages(m.vm)} (${host.state})`);
      });
      expect(over, `${p}: consumed over the limit of ${limit} pages`).toEqual([]);
      expect(m.tick.ops, `${p}: the guest still runs`).toBeGreaterThan(0);
    } finally {
      host.close();
    }
  });

  it.each(['esx', 'kvm', 'psbm'])(
    '%s: the limit holds while another guest drives the host through soft, hard and low',
    (p) => {
      const host = makeHost(20480, 5, undefined, p);
      try {
        must(host, {
          type: 'addGuest',
          guest: guestConfig('capped', 12288, { guestSwapPages: 12288, limitPages: 4096 }),
          workloads: [workloadSpec('memhog', { sizePages: 8000, locality: 0.7, workingSet: 0.5 })],
        });
        const m = machineOf(host, 'capped');
        for (let i = 0; i < 10; i++) host.tick();
        // A guest powering on with a reservation that entitles it to most of the host zeroes all its
        // memory at once (as Windows does): free memory falls to nothing.
        must(host, {
          type: 'addGuest',
          guest: guestConfig('win', 16384, {
            os: 'windows',
            guestSwapPages: 16384,
            balloonDriver: false,
            reservationPages: 13500,
          }),
          workloads: [workloadSpec('boot', { sizePages: 0 })],
        });
        const states = new Set<string>();
        const over: string[] = [];
        runChecking(host, 20, () => {
          states.add(host.state);
          if (consumedPages(m.vm) > 4096) over.push(`${host.t}: ${consumedPages(m.vm)} (${host.state})`);
        });
        expect(
          [...states].some((s) => s !== 'high'),
          `${p}: states ${[...states]}`,
        ).toBe(true);
        expect(over, `${p}: consumed over the limit of 4096 pages`).toEqual([]);
        checkConservation(host);
      } finally {
        host.close();
      }
    },
  );

  it('property: random guests, limits and hosts: once reclaim has run, every guest is at or under its limit', () => {
    const TYPES: WorkloadType[] = ['memhog', 'java-heap', 'database', 'kernel-compile', 'idle'];
    const guest = fc.record({
      memsz: fc.integer({ min: 2048, max: 8192 }),
      limit: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
      type: fc.constantFrom(...TYPES),
      size: fc.double({ min: 0.3, max: 0.9, noNaN: true }),
      balloon: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...WITH_LIMITS),
        fc.array(guest, { minLength: 1, maxLength: 3 }),
        fc.double({ min: 0.4, max: 1.6, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        (personality, guests, hostRatio, seed) => {
          const total = guests.reduce((a, g) => a + g.memsz, 0);
          // The host is sized against what the guests could use: from 0.4 of it (deep in low) to 1.6 (roomy).
          const host = makeHost(
            Math.max(6144, Math.round(total * hostRatio) + 4096),
            seed,
            undefined,
            personality,
          );
          try {
            const limits = new Map<string, number>();
            guests.forEach((g, i) => {
              // A balloon-only host cannot take a guest's kernel: the lowest limit it can hold is above it.
              const floor = host.reclaimer.config.hostSwap ? 256 : kernelPagesFor(g.memsz) + 512;
              const limit = g.limit === null ? null : Math.round(floor + g.limit * (g.memsz - floor));
              const name = `g${i}`;
              const r = applyCommand(host, {
                type: 'addGuest',
                guest: guestConfig(name, g.memsz, {
                  limitPages: limit,
                  guestSwapPages: g.memsz,
                  balloonDriver: g.balloon || !host.reclaimer.config.hostSwap,
                }),
                workloads: [workloadSpec(g.type, { sizePages: Math.round(g.size * g.memsz) })],
              });
              if (r.ok && limit !== null) limits.set(name, limit);
            });
            for (let i = 0; i < 8; i++) host.tick();
            runChecking(host, 6, () => {
              for (const [name, limit] of limits) {
                const m = host.machine(name);
                if (!m || m.vm.faulted) continue;
                expect(consumedPages(m.vm), `${personality} ${name} in ${host.state}`).toBeLessThanOrEqual(
                  limit,
                );
              }
            });
          } finally {
            host.close();
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});
