import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/engine/apply-command.ts';
import type { Command } from '../../src/engine/commands.ts';
import {
  type OsType,
  WORKLOAD_TYPES,
  type WorkloadSpec,
  type WorkloadType,
} from '../../src/engine/config.ts';
import { PageState } from '../../src/engine/guest.ts';
import type { Host } from '../../src/engine/host.ts';
import { DataLossError } from '../../src/engine/process.ts';
import { takeSnapshot } from '../../src/engine/snapshot-build.ts';
import { PAGE_SIZE } from '../../src/engine/units.ts';
import { workloadSpec } from '../../src/engine/workloads/defaults.ts';
import { checkConservation, guestConfig, machineOf, makeHost, must } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'memvisor-props-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A trace that writes a few pages and reads others, for `trace` workloads in random runs. */
const TRACE = join(dir, 'mixed.trace');
writeFileSync(
  TRACE,
  Array.from({ length: 400 }, (_, i) =>
    i % 3 === 0
      ? `R ${(i * 7) % 97}`
      : `W ${(i * 13) % 131} ${(i * 37) % 4000} ${(i % 256).toString(16).padStart(2, '0')}c0ffee`,
  ).join('\n'),
);

// ---- random operations ------------------------------------------------------------------------------

const GUESTS = ['g0', 'g1', 'g2'];
const WORKLOADS = ['w0', 'w1', 'w2'];
const TYPES: WorkloadType[] = [...WORKLOAD_TYPES];

const workloadArb = fc
  .record({
    type: fc.constantFrom(...TYPES),
    name: fc.constantFrom(...WORKLOADS),
    // Size 0 is left out: only boot gives it a meaning (see the size-0 bug in commands.test.ts).
    size: fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 2000, max: 8000 })),
    ws: fc.double({ min: 0, max: 1, noNaN: true }),
    locality: fc.double({ min: 0, max: 1, noNaN: true }),
    write: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(
    (w): WorkloadSpec =>
      workloadSpec(w.type, {
        name: w.name,
        sizePages: w.type === 'boot' ? 0 : w.size,
        workingSet: w.ws,
        locality: w.locality,
        writeFraction: w.write,
        ...(w.type === 'trace' ? { file: TRACE } : {}),
      }),
  );

type Op = { t: 'tick'; n: number } | { t: 'cmd'; cmd: Command };

const guest = fc.constantFrom(...GUESTS);
const pages = fc.integer({ min: 1, max: 9000 });

const addArb = fc
  .record({
    name: guest,
    memsz: fc.integer({ min: 3000, max: 9000 }),
    reservation: fc.integer({ min: 0, max: 2000 }),
    limit: fc.option(fc.integer({ min: 2000, max: 9000 }), { freq: 3 }),
    swap: fc.integer({ min: 0, max: 6000 }),
    vcpus: fc.integer({ min: 1, max: 2 }),
    os: fc.constantFrom<OsType>('linux', 'windows'),
    balloon: fc.boolean(),
    workloads: fc.uniqueArray(workloadArb, { minLength: 1, maxLength: 2, selector: (w) => w.name }),
  })
  .map(
    (g): Command => ({
      type: 'addGuest',
      guest: guestConfig(g.name, g.memsz, {
        reservationPages: Math.min(g.reservation, g.memsz),
        limitPages: g.limit,
        guestSwapPages: g.swap,
        vcpus: g.vcpus,
        os: g.os,
        balloonDriver: g.balloon,
      }),
      workloads: g.workloads,
    }),
  );

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }).map((n): Op => ({ t: 'tick', n })) },
  { weight: 4, arbitrary: addArb.map((cmd): Op => ({ t: 'cmd', cmd })) },
  {
    weight: 2,
    arbitrary: fc
      .record({ g: guest, w: workloadArb })
      .map((r): Op => ({ t: 'cmd', cmd: { type: 'startWorkload', guest: r.g, workload: r.w } })),
  },
  {
    weight: 5,
    arbitrary: fc
      .oneof(
        guest.map((g): Command => ({ type: 'removeGuest', guest: g })),
        fc.record({ g: guest, p: pages }).map((r): Command => ({ type: 'setMemsz', guest: r.g, pages: r.p })),
        fc
          .record({ g: guest, p: fc.option(pages) })
          .map((r): Command => ({ type: 'setLimit', guest: r.g, pages: r.p })),
        fc
          .record({ g: guest, p: fc.integer({ min: 0, max: 4000 }) })
          .map((r): Command => ({ type: 'setReservation', guest: r.g, pages: r.p })),
        fc
          .record({ g: guest, s: fc.integer({ min: 1, max: 5000 }) })
          .map((r): Command => ({ type: 'setShares', guest: r.g, shares: r.s })),
        fc
          .record({ g: guest, w: fc.constantFrom(...WORKLOADS) })
          .map((r): Command => ({ type: 'stopWorkload', guest: r.g, workload: r.w })),
        fc
          .record({ g: guest, w: fc.constantFrom(...WORKLOADS), p: fc.integer({ min: 1, max: 6000 }) })
          .map((r): Command => ({ type: 'resizeWorkload', guest: r.g, workload: r.w, pages: r.p })),
      )
      .map((cmd): Op => ({ t: 'cmd', cmd })),
  },
);

/** Two guests to start with, then anything: so most ticks have guests to run. */
const opsArb = (maxLength: number): fc.Arbitrary<Op[]> =>
  fc
    .tuple(addArb, addArb, fc.array(opArb, { maxLength }))
    .map(([a, b, rest]): Op[] => [{ t: 'cmd', cmd: a }, { t: 'cmd', cmd: b }, ...rest]);

/** Host sizes: 64 or 80 MiB, so two or three guests of up to 35 MiB overcommit it. */
const hostPages = fc.constantFrom(16384, 20480);

/**
 * Runs `ops` on a fresh host, calling `after` after every command and every tick (with whether it was a
 * tick). The host is closed afterwards.
 */
function run(size: number, seed: number, ops: Op[], after: (host: Host, tick: boolean) => void): void {
  const host = makeHost(size, seed);
  try {
    after(host, false);
    for (const op of ops) {
      if (op.t === 'cmd') {
        applyCommand(host, op.cmd);
        after(host, false);
      } else {
        for (let i = 0; i < op.n; i++) {
          host.tick();
          after(host, true);
        }
      }
    }
  } finally {
    host.close();
  }
}

/** Every page every live process has touched, as peek shows it, equals what the process last wrote. */
function checkNoDataLoss(host: Host): void {
  const into = new Uint8Array(PAGE_SIZE);
  for (const m of host.machines) {
    for (const w of m.workloads) {
      const p = w.process;
      if (!p.shadow || !m.os.processes.has(p.pid)) continue;
      for (let v = 0; v < p.sizePages; v++) {
        m.os.peek(p, v, into);
        const want = p.shadow.subarray(v * PAGE_SIZE, (v + 1) * PAGE_SIZE);
        if (!Buffer.from(into).equals(Buffer.from(want))) {
          let at = 0;
          while (into[at] === want[at]) at++;
          throw new DataLossError(
            `${m.name} ${w.spec.name} page ${v} (pte ${p.pte[v]}): byte ${at} is ${into[at]}, last written ${want[at]}`,
          );
        }
      }
    }
  }
}

// ---- the properties ---------------------------------------------------------------------------------

describe('engine properties', () => {
  it('(a) conserves frames, pages and MB after every command and every tick', () => {
    fc.assert(
      fc.property(hostPages, fc.integer({ min: 0, max: 1000 }), opsArb(24), (size, seed, ops) => {
        run(size, seed, ops, (host) => checkConservation(host));
      }),
      { numRuns: 5, endOnFailure: true },
    );
  });

  it('(b) is deterministic: the same seed and commands give the same snapshots', () => {
    fc.assert(
      fc.property(hostPages, fc.integer({ min: 0, max: 1000 }), opsArb(16), (size, seed, ops) => {
        const runOnce = (): string[] => {
          const out: string[] = [];
          run(size, seed, ops, (host) => out.push(JSON.stringify(takeSnapshot(host))));
          return out;
        };
        const first = runOnce();
        const second = runOnce();
        expect(second.length).toBe(first.length);
        for (let i = 0; i < first.length; i++) expect(second[i], `snapshot ${i}`).toBe(first[i]);
      }),
      { numRuns: 3, endOnFailure: true },
    );
  });

  it('(b) a snapshot only reads: taking one changes nothing the simulation uses', () => {
    // Two guests of one OS and size load identical kernels; a fast scan shares them. Removing one changes
    // what the other's shared pages cost it; takeSnapshot used to recount that (sharedCharge) as it read.
    const host = makeHost(16384, 3, (c) => {
      c.reclaim.shareScanTime = 1;
    });
    try {
      must(host, { type: 'addGuest', guest: guestConfig('a', 3000) });
      must(host, { type: 'addGuest', guest: guestConfig('b', 3000) });
      for (let i = 0; i < 3; i++) host.tick();
      const b = machineOf(host, 'b');
      expect(b.vm.stateCount[PageState.Shared]).toBeGreaterThan(1000);
      // Removing `a` leaves b alone on frames they shared: b's share of them changes.
      must(host, { type: 'removeGuest', guest: 'a' });
      const internals = (): string =>
        JSON.stringify(host.machines.map((m) => ({ charge: m.vm.sharedCharge, target: m.vm.targetPages })));
      const before = internals();
      takeSnapshot(host);
      expect(internals()).toBe(before);
    } finally {
      host.close();
    }
  });

  it('(c) keeps GRANT <= MEMSZ, CNSM <= MEMSZ + OVHD and AMIN <= SZTGT <= min(AMAX, MEMSZ) after each tick', () => {
    fc.assert(
      fc.property(hostPages, fc.integer({ min: 0, max: 1000 }), opsArb(24), (size, seed, ops) => {
        run(size, seed, ops, (host, tick) => {
          for (const g of takeSnapshot(host).guests) {
            expect(g.GRANT, g.name).toBeLessThanOrEqual(g.MEMSZ);
            expect(g.CNSM, g.name).toBeLessThanOrEqual(g.MEMSZ + g.OVHD);
            expect(g.CNSM, g.name).toBeGreaterThanOrEqual(0);
            if (!tick) continue; // targets are set by the tick
            const max = Math.min(g.AMAX < 0 ? g.MEMSZ : g.AMAX, g.MEMSZ);
            expect(g.SZTGT, g.name).toBeGreaterThanOrEqual(g.AMIN);
            expect(g.SZTGT, g.name).toBeLessThanOrEqual(max);
          }
        });
      }),
      { numRuns: 3, endOnFailure: true },
    );
  });

  it('(d) hands a new guest zeroed frames after a removed guest dirtied them', () => {
    const trace = join(dir, 'reads.trace');
    writeFileSync(trace, Array.from({ length: 600 }, (_, v) => `R ${v}`).join('\n'));
    fc.assert(
      fc.property(
        fc.constantFrom<WorkloadType>('memhog', 'java-heap', 'idle'),
        fc.integer({ min: 1500, max: 3000 }),
        fc.integer({ min: 2, max: 4 }),
        (type, size, ticks) => {
          const host = makeHost(16384, size);
          try {
            must(host, {
              type: 'addGuest',
              guest: guestConfig('dirty', 5200, { guestSwapPages: 4000 }),
              workloads: [workloadSpec(type, { sizePages: size })],
            });
            for (let i = 0; i < ticks; i++) host.tick();
            const old = machineOf(host, 'dirty');
            const dirtied = new Set<number>();
            for (let gpn = 0; gpn < old.vm.pmapState.length; gpn++) {
              if (old.vm.pmapState[gpn] !== PageState.Private) continue;
              const f = old.vm.pmapLoc[gpn];
              if (host.pool.bytes(f).some((b) => b !== 0)) dirtied.add(f);
            }
            expect(dirtied.size).toBeGreaterThan(0);
            must(host, { type: 'removeGuest', guest: 'dirty' });

            // A guest that only reads: every page it sees must be zeros (verify throws otherwise).
            must(host, {
              type: 'addGuest',
              guest: guestConfig('fresh', 8000, { guestSwapPages: 0 }),
              workloads: [workloadSpec('trace', { sizePages: 600, file: trace })],
            });
            const fresh = machineOf(host, 'fresh');
            for (let i = 0; i < 3 && fresh.workloads[0].state === 'running'; i++) host.tick();
            expect(fresh.workloads[0].state).toBe('done');
            const into = new Uint8Array(PAGE_SIZE);
            for (let v = 0; v < 600; v++) {
              fresh.os.peek(fresh.workloads[0].process, v, into);
              expect(into.every((b) => b === 0)).toBe(true);
            }
            // Straight from the hypervisor: untouched guest pages, faulted in, get zeroed frames, and
            // some of those frames are ones the removed guest had dirtied.
            let reused = 0;
            for (let gpn = 0; gpn < 8000; gpn++) {
              if (fresh.vm.pmapState[gpn] !== PageState.Untouched) continue;
              const frame = fresh.vm.touch(gpn, false);
              if (dirtied.has(frame)) reused++;
              if (!host.pool.bytes(frame).every((b) => b === 0)) {
                throw new Error(`gpn ${gpn} was given frame ${frame} with stale bytes`);
              }
            }
            expect(reused).toBeGreaterThan(0);
            checkConservation(host);
          } finally {
            host.close();
          }
        },
      ),
      { numRuns: 3, endOnFailure: true },
    );
  });

  it('(e) loses no data when guests page to their own swap and the host reclaims', () => {
    const spec = fc.record({
      type: fc.constantFrom<WorkloadType>(
        'database',
        'java-heap',
        'memhog',
        'os-image',
        'kernel-compile',
        'file-copy',
      ),
      size: fc.integer({ min: 1600, max: 3500 }),
      ws: fc.double({ min: 0.2, max: 1, noNaN: true }),
      locality: fc.double({ min: 0, max: 0.5, noNaN: true }),
      write: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    let paged = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        // Two or three guests, each with room for only part of its programs: 2048 kernel + 300..1500.
        fc.array(
          fc.record({
            extra: fc.integer({ min: 300, max: 1500 }),
            workloads: fc.array(spec, { minLength: 1, maxLength: 2 }),
          }),
          {
            minLength: 2,
            maxLength: 3,
          },
        ),
        fc.integer({ min: 6, max: 12 }),
        (seed, guests, ticks) => {
          const host = makeHost(16384, seed);
          try {
            guests.forEach((g, i) => {
              must(host, {
                type: 'addGuest',
                guest: guestConfig(`g${i}`, 2048 + g.extra, { guestSwapPages: 8000 }),
                workloads: g.workloads.map((w, j) =>
                  workloadSpec(w.type, {
                    name: `w${j}`,
                    sizePages: w.size,
                    workingSet: w.ws,
                    locality: w.locality,
                    writeFraction: w.write,
                  }),
                ),
              });
            });
            for (let i = 0; i < ticks; i++) {
              host.tick(); // a DataLossError from a verified read fails the property here
              checkConservation(host);
            }
            checkNoDataLoss(host);
            paged += host.machines.reduce((a, m) => a + m.os.stats.swapOuts + m.os.stats.swapIns, 0);
          } finally {
            host.close();
          }
        },
      ),
      { numRuns: 3, endOnFailure: true },
    );
    // The runs did page: guest swap-outs and swap-ins happened.
    expect(paged).toBeGreaterThan(1000);
  });

  it('(e) loses no data under host overcommit: ballooning, sharing, compression and host swap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.array(
          fc.record({
            memsz: fc.integer({ min: 5000, max: 9000 }),
            type: fc.constantFrom<WorkloadType>('database', 'java-heap', 'memhog', 'os-image', 'idle'),
            fill: fc.double({ min: 0.5, max: 0.95, noNaN: true }),
            balloon: fc.boolean(),
          }),
          { minLength: 2, maxLength: 3 },
        ),
        (seed, guests) => {
          // 64 MiB host, 20-35 MiB guests: together well over what the host has.
          const host = makeHost(16384, seed);
          try {
            guests.forEach((g, i) => {
              must(host, {
                type: 'addGuest',
                guest: guestConfig(`g${i}`, g.memsz, { guestSwapPages: 4000, balloonDriver: g.balloon }),
                workloads: [
                  workloadSpec(g.type, { name: 'w', sizePages: Math.floor((g.memsz - 2048) * g.fill) }),
                ],
              });
            });
            for (let i = 0; i < 12; i++) {
              host.tick();
              checkConservation(host);
            }
            checkNoDataLoss(host);
          } finally {
            host.close();
          }
        },
      ),
      { numRuns: 3, endOnFailure: true },
    );
  });

  /** Three guests without balloon drivers on a 64 MiB host: the host must compress and swap them. */
  function noBalloonHost(): Host {
    const host = makeHost(16384, 5);
    const guests = [
      [8000, 'database'],
      [7000, 'java-heap'],
      [6000, 'os-image'],
    ] as const;
    guests.forEach(([memsz, type], i) => {
      must(host, {
        type: 'addGuest',
        guest: guestConfig(`g${i}`, memsz, { guestSwapPages: 4000, balloonDriver: false }),
        workloads: [workloadSpec(type, { name: 'w', sizePages: Math.floor((memsz - 2048) * 0.9) })],
      });
    });
    return host;
  }

  it('(e) loses no data through host compression and host swap, out and back in', () => {
    const host = noBalloonHost();
    try {
      for (let i = 0; i < 4; i++) {
        host.tick();
        checkConservation(host);
      }
      const total = (k: 'zips' | 'unzips' | 'swapOuts' | 'swapIns'): number =>
        host.machines.reduce((a, m) => a + m.vm.stats[k], 0);
      expect(total('zips')).toBeGreaterThan(100);
      expect(total('unzips')).toBeGreaterThan(100);
      expect(total('swapOuts')).toBeGreaterThan(100);
      expect(total('swapIns')).toBeGreaterThan(100);
      checkNoDataLoss(host);
    } finally {
      host.close();
    }
  });

  it('(e) loses no data through the balloon and page sharing', () => {
    const host = makeHost(16384, 5);
    const guests = [
      [8000, 'database'],
      [7000, 'java-heap'],
      [6000, 'os-image'],
    ] as const;
    try {
      guests.forEach(([memsz, type], i) => {
        must(host, {
          type: 'addGuest',
          guest: guestConfig(`g${i}`, memsz, { guestSwapPages: 4000 }),
          workloads: [
            workloadSpec('boot', { name: 'boot', sizePages: 0 }),
            workloadSpec(type, { name: 'w', sizePages: Math.floor((memsz - 2048) * 0.9) }),
          ],
        });
      });
      for (let i = 0; i < 8; i++) {
        host.tick();
        checkConservation(host);
      }
      const sum = (f: (m: (typeof host.machines)[number]) => number): number =>
        host.machines.reduce((a, m) => a + f(m), 0);
      // The balloons took memory, the guests paged to their own swap for it, and pages were shared.
      expect(sum((m) => m.os.balloonPages)).toBeGreaterThan(1000);
      expect(sum((m) => m.os.stats.swapOuts)).toBeGreaterThan(1000);
      expect(sum((m) => m.os.stats.swapIns)).toBeGreaterThan(100);
      expect(sum((m) => m.vm.stateCount[PageState.Shared])).toBeGreaterThan(0);
      checkNoDataLoss(host);
    } finally {
      host.close();
    }
  });

  it('(g) survives running out of frames: a fault the host cannot back does not escape the tick', () => {
    // Four guests without balloon drivers, each running more than fits in it: the guests page to their
    // own swap while the host compresses and swaps them. Free frames fall below OP_FRAMES within an
    // operation (a guest's reclaim can double-page up to 32 pages), and then the end-of-tick flusher
    // writes back a dirty page-cache page the host had swapped out: Reclaimer.fault finds no frame and
    // throws "host out of frames backing g3 page ..." out of Host.tick.
    const host = makeHost(16384, 913995);
    const guests = [
      { memsz: 6953, type: 'java-heap', size: 9878, swap: 5303, res: 1312, locality: 0 },
      { memsz: 8212, type: 'database', size: 9836, swap: 3118, res: 812, locality: 0.0007 },
      { memsz: 4657, type: 'os-image', size: 6017, swap: 2834, res: 1418, locality: 0 },
      { memsz: 3022, type: 'file-copy', size: 7237, swap: 5271, res: 777, locality: 0 },
    ] as const;
    try {
      guests.forEach((g, i) => {
        must(host, {
          type: 'addGuest',
          guest: guestConfig(`g${i}`, g.memsz, {
            guestSwapPages: g.swap,
            balloonDriver: false,
            reservationPages: g.res,
          }),
          workloads: [workloadSpec(g.type, { name: 'w', sizePages: g.size, locality: g.locality })],
        });
      });
      for (let i = 0; i < 6; i++) {
        expect(() => host.tick(), `tick ${i}`).not.toThrow();
        checkConservation(host);
      }
      checkNoDataLoss(host);
    } finally {
      host.close();
    }
  });

  it('(f) does not leave every guest stopped in the low state while none is reclaimed', () => {
    // In `low` a guest above its target may not allocate (Reclaimer.makeRoom), and the reclaimer ignores
    // a guest within its dead band (max(256, 1 % of memsz) pages) of its target. If the two disagree, a
    // guest in between is stopped for good, and when every guest is, free memory never rises again
    // (this scenario did that).
    const host = noBalloonHost();
    try {
      for (let i = 0; i < 10; i++) host.tick();
      let ops = 0;
      const states = new Set<string>();
      for (let i = 0; i < 10; i++) {
        host.tick();
        states.add(host.state);
        ops += host.machines.reduce((a, m) => a + m.tick.ops, 0);
      }
      const where = host.machines
        .map(
          (m) =>
            `${m.name}: consumed ${m.vm.stateCount[PageState.Private] + m.vm.sharedCharge}, target ${m.vm.targetPages}`,
        )
        .join('; ');
      expect(ops, `no guest ran in 10 ticks (state ${[...states].join('/')}; ${where})`).toBeGreaterThan(0);
    } finally {
      host.close();
    }
  });
});
