/**
 * Fault injection through the host swap file (`-vswp`): ENOSPC and EIO on write, EIO on read, short reads
 * (reported, and silent so only the checksum can tell) and a flipped bit in stored data. Each must stop
 * the guest that met it (an 'error' event naming it, snapshot state 'faulted' with the reason), never hand
 * back wrong data, leave every other guest's data readable (peek and dumps), and let the host run on.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageState } from '../../src/engine/guest.ts';
import type { Host } from '../../src/engine/host.ts';
import type { Machine } from '../../src/engine/machine.ts';
import { takeSnapshot } from '../../src/engine/snapshot-build.ts';
import { StoreError } from '../../src/engine/store/swapstore.ts';
import { PAGE_SIZE } from '../../src/engine/units.ts';
import { dumpAddressSpaces } from '../../src/output/dump.ts';
import {
  addGuest,
  checkConservation,
  checkDump,
  checkNoDataLoss,
  errorEvents,
  type FaultyStore,
  FaultyStores,
  guestConfig,
  MiB,
  makeHost,
  must,
  same,
  tickUntil,
  wl,
} from './helpers.ts';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'memvisor-faults-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Mode {
  name: string;
  kind: 'write' | 'read' | 'corrupt';
  inject: (s: FaultyStore) => void;
  /** What the guest's fault message must say. */
  reason: RegExp;
}

const MODES: Mode[] = [
  { name: 'ENOSPC on write', kind: 'write', inject: (s) => (s.failWrite = 'ENOSPC'), reason: /ENOSPC/ },
  { name: 'EIO on write', kind: 'write', inject: (s) => (s.failWrite = 'EIO'), reason: /EIO/ },
  { name: 'EIO on read', kind: 'read', inject: (s) => (s.failRead = 'EIO'), reason: /EIO/ },
  {
    name: 'a short read the store reports',
    kind: 'read',
    inject: (s) => (s.failRead = 'SHORT_READ'),
    reason: /SHORT_READ/,
  },
  {
    name: 'a silent short read',
    kind: 'read',
    inject: (s) => (s.failRead = 'SILENT_SHORT'),
    reason: /checksum/,
  },
  {
    name: 'a flipped bit in stored data',
    kind: 'corrupt',
    inject: (s) => s.corruptAll(s.written),
    reason: /checksum/,
  },
];

interface Scenario {
  host: Host;
  stores: FaultyStores;
  victim: Machine;
  others: Machine[];
  /** Operations per other guest in the ticks after the fault. */
  opsAfter: Map<string, number>;
}

/**
 * A 64 MiB host with three guests (1.5x overcommitted). `victim` has no balloon driver and runs a memhog,
 * so its pages go to its swap file and come back; the others run with balloon drivers. The fault is
 * injected once the victim has pages in its swap file; for write faults a limit then makes the host swap
 * more of it. Ticks until the victim is stopped, then five more.
 */
function scenario(mode: Mode, seed = 11): Scenario {
  const stores = new FaultyStores();
  const host = makeHost({ pages: 64 * MiB, seed, storeFactory: stores.factory });
  const victim = addGuest(host, guestConfig('victim', 8192, { balloonDriver: false, guestSwapPages: 8192 }), [
    wl('memhog', 5500, { locality: 0.5, workingSet: 0.5 }),
  ]);
  const others = [
    addGuest(host, guestConfig('o1', 8192), [wl('java-heap', 4500, { locality: 0.7 })]),
    addGuest(host, guestConfig('o2', 8192, { os: 'windows' }), [
      wl('database', 4000, { locality: 0.7 }),
      wl('os-image', 1024, { name: 'img' }),
    ]),
  ];
  tickUntil(host, () => host.reclaimer.hostSwap.used(victim.vm) > 300, 40);
  mode.inject(stores.vswp('victim'));
  if (mode.kind === 'write') {
    const consumed = victim.vm.stateCount[PageState.Private];
    must(host, { type: 'setLimit', guest: 'victim', pages: Math.max(1, consumed - 1500) });
  }
  tickUntil(host, () => victim.vm.faulted !== null, 30);
  const opsAfter = new Map<string, number>();
  for (let i = 0; i < 5; i++) {
    host.tick();
    for (const g of takeSnapshot(host).guests) opsAfter.set(g.name, (opsAfter.get(g.name) ?? 0) + g.THRU);
  }
  return { host, stores, victim, others, opsAfter };
}

// Each mode's scenario is built once and read by its tests, in order: three more ticks must add no second
// error event, the pages test heals a read fault's device, and under EIO on read the guest is then removed.
describe.each(MODES)('host swap file: $name', (mode) => {
  let shared: Scenario;
  beforeAll(() => {
    shared = scenario(mode);
  });
  afterAll(() => shared.host.close());

  it('stops only that guest, with an error event naming it; the others keep their state and data', () => {
    const { host, victim, others } = shared;
    const events = errorEvents(host, 'victim');
    expect(events.length).toBeGreaterThanOrEqual(1);
    for (const e of events) expect(e.message).toContain('victim');
    const s = takeSnapshot(host);
    const v = s.guests.find((g) => g.name === 'victim')!;
    expect(v.state).toBe('faulted');
    expect(v.fault).toMatch(mode.reason);
    expect(v.THRU).toBe(0);
    expect(victim.vm.faulted).toMatch(mode.reason);
    for (const o of others) {
      const g = s.guests.find((x) => x.name === o.name)!;
      expect(g.state, o.name).not.toBe('faulted');
      expect(g.fault).toBeNull();
      expect(errorEvents(host, o.name)).toHaveLength(0);
    }
    checkConservation(host);
    // Every other guest's every page still reads back as written.
    expect(checkNoDataLoss(host, new Set(['victim']))).toBeGreaterThan(8000);
  });

  it('the host keeps ticking and the other guests keep running (THRU > 0 after the fault)', () => {
    const { host, others, opsAfter } = shared;
    const s = takeSnapshot(host);
    const why = `host ${s.host.state}, free ${s.host.freeMB} MB; ${s.guests
      .map((g) => `${g.name} ${g.state} CNSM ${g.CNSM} SZTGT ${g.SZTGT}`)
      .join(', ')}`;
    for (const o of others)
      expect(opsAfter.get(o.name), `${o.name} THRU after the fault (${why})`).toBeGreaterThan(0);
  });

  it('dumpAddressSpaces writes every other guest correctly while the device is still failing', () => {
    const { host } = shared;
    const dir = tempDir();
    expect(() => dumpAddressSpaces(host, dir)).not.toThrow();
    expect(checkDump(host, dir, new Set(['victim']))).toBe(3);
    // An image of the stopped guest, if there is one, holds no wrong data.
    const file = join(dir, 'victim.memhog.img');
    if (existsSync(file)) {
      const p = host.machine('victim')!.workloads[0].process;
      expect(same(readFileSync(file), p.shadow!)).toBe(true);
    }
  });

  if (mode.kind !== 'corrupt')
    it('is reported once: three more ticks add no error event', () => {
      const { host } = shared;
      for (let i = 0; i < 3; i++) host.tick();
      expect(errorEvents(host, 'victim').map((e) => e.message)).toHaveLength(1);
    });

  it("the stopped guest's pages are where they were: readable when the device reads, refused (never wrong) when not", () => {
    const { host, stores, victim } = shared;
    const p = victim.workloads[0].process;
    const into = new Uint8Array(PAGE_SIZE);
    let refused = 0;
    for (let v = 0; v < p.sizePages; v++) {
      try {
        victim.os.peek(p, v, into);
      } catch (err) {
        expect(err).toBeInstanceOf(StoreError);
        if (mode.kind === 'corrupt') expect((err as StoreError).code).toBe('CHECKSUM');
        refused++;
        continue;
      }
      if (!same(into, p.shadow!.subarray(v * PAGE_SIZE, (v + 1) * PAGE_SIZE)))
        throw new Error(`victim page ${v} (pte ${p.pte[v]}) reads wrong data`);
    }
    if (mode.kind === 'write') expect(refused).toBe(0);
    else expect(refused).toBeGreaterThan(0);
    if (mode.kind === 'read') {
      stores.vswp('victim').heal();
      expect(checkNoDataLoss(host)).toBeGreaterThan(13000);
    }
    checkConservation(host);
  });

  if (mode === MODES[2])
    it('the stopped guest can be removed and every frame it held comes back', () => {
      const { host, victim } = shared;
      const before = host.pool.freeFrames;
      const held = victim.vm.stateCount[PageState.Private] + victim.vm.overheadFrames.length;
      must(host, { type: 'removeGuest', guest: 'victim' });
      expect(host.pool.freeFrames).toBeGreaterThanOrEqual(before + held);
      checkConservation(host);
      host.tick();
      checkConservation(host);
      checkNoDataLoss(host);
    });
});

describe('host swap faults met outside the guest program', () => {
  it('a read failure met by the page-cache flusher (writeback) stops that guest, not the host', () => {
    const stores = new FaultyStores();
    const host = makeHost({ pages: 64 * MiB, seed: 4, storeFactory: stores.factory });
    try {
      const v = addGuest(host, guestConfig('v', 8192, { balloonDriver: false }), [wl('file-copy', 6000)]);
      const o = addGuest(host, guestConfig('o', 6144), [wl('database', 3000)]);
      for (let i = 0; i < 3; i++) host.tick();
      // Dirty page cache goes to the host swap file.
      must(host, { type: 'setLimit', guest: 'v', pages: 2500 });
      tickUntil(host, () => host.reclaimer.hostSwap.used(v.vm) > 500, 20);
      stores.vswp('v').failRead = 'EIO';
      let ops = 0;
      for (let i = 0; i < 5; i++) {
        host.tick();
        ops += o.tick.ops;
      }
      expect(v.vm.faulted).toMatch(/EIO/);
      expect(errorEvents(host, 'v').length).toBeGreaterThan(0);
      expect(ops).toBeGreaterThan(0);
      checkConservation(host);
      checkNoDataLoss(host, new Set(['v']));
    } finally {
      host.close();
    }
  });

  it('a read failure met by the balloon driver paging out host-swapped memory stops that guest, not the host', () => {
    const stores = new FaultyStores();
    const host = makeHost({ pages: 64 * MiB, seed: 4, storeFactory: stores.factory });
    try {
      // The guest's memory is host-swapped before its balloon driver loads (as after a boot without tools).
      const v = addGuest(host, guestConfig('v', 6144, { balloonDriver: false, guestSwapPages: 8192 }), [
        wl('idle', 6144 - 2048 + 64),
      ]);
      const o = addGuest(host, guestConfig('o', 6144), [wl('database', 3000)]);
      tickUntil(host, () => !v.workloads[0].runnable, 10);
      must(host, { type: 'setLimit', guest: 'v', pages: 2500 });
      tickUntil(host, () => host.reclaimer.hostSwap.used(v.vm) > 2000, 20);
      stores.vswp('v').failRead = 'EIO';
      v.vm.config = { ...v.vm.config, balloonDriver: true };
      // A lower limit: the balloon must take memory, and the guest pages out host-swapped pages for it.
      must(host, { type: 'setLimit', guest: 'v', pages: 300 });
      let ops = 0;
      for (let i = 0; i < 5; i++) {
        host.tick();
        ops += o.tick.ops;
      }
      expect(v.vm.faulted).toMatch(/EIO/);
      expect(errorEvents(host, 'v').length).toBeGreaterThan(0);
      expect(ops).toBeGreaterThan(0);
      checkConservation(host);
      checkNoDataLoss(host, new Set(['v']));
    } finally {
      host.close();
    }
  });

  it('a page on its way from the full compression cache to a failing swap file keeps its place', () => {
    const stores = new FaultyStores();
    const host = makeHost({ pages: 64 * MiB, seed: 4, storeFactory: stores.factory });
    try {
      const v = addGuest(host, guestConfig('v', 8192, { balloonDriver: false, guestSwapPages: 8192 }), [
        wl('idle', 5000),
      ]);
      tickUntil(host, () => !v.workloads[0].runnable, 20);
      const r = host.reclaimer;
      must(host, { type: 'setLimit', guest: 'v', pages: 4000 });
      // The compression cache fills (idle pages compress) and the rest goes to the swap file.
      tickUntil(host, () => r.zip.usage(v.vm).pages > 1600 && r.hostSwap.used(v.vm) > 100, 20);
      stores.vswp('v').failWrite = 'ENOSPC';
      // More to reclaim: the cache is full, so its oldest page must move on to the (failing) swap file.
      must(host, { type: 'setLimit', guest: 'v', pages: 3000 });
      tickUntil(host, () => v.vm.faulted !== null, 20);
      expect(v.vm.faulted).toMatch(/ENOSPC/);
      checkConservation(host);
      expect(checkNoDataLoss(host)).toBe(5000);
    } finally {
      host.close();
    }
  });
});
