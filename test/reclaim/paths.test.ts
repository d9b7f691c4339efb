/**
 * Each reclamation mechanism on its own, with a precise assertion about what it did to the pages:
 * sharing, COW, zero pages, balloon, host swap for guests without a balloon driver, compression,
 * victim policies, tmem pools, self-ballooning, and double paging.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VICTIM_POLICIES, type VictimPolicy } from '../../src/engine/config.ts';
import { FrameKind, FramePool } from '../../src/engine/framepool.ts';
import { type FaultHandler, Guest, PageState } from '../../src/engine/guest.ts';
import { GpnUse } from '../../src/engine/guestos.ts';
import type { Host } from '../../src/engine/host.ts';
import { OP_FRAMES } from '../../src/engine/host.ts';
import type { Machine } from '../../src/engine/machine.ts';
import type { Process } from '../../src/engine/process.ts';
import { consumedPages } from '../../src/engine/reclaim/reclaimer.ts';
import { PageSharing } from '../../src/engine/reclaim/sharing.ts';
import { Tmem } from '../../src/engine/reclaim/tmem.ts';
import { VictimPicker } from '../../src/engine/reclaim/victims.ts';
import { compressPage, ZIP_SLOT, ZipCache } from '../../src/engine/reclaim/zipcache.ts';
import { Rng } from '../../src/engine/rng.ts';
import { takeSnapshot } from '../../src/engine/snapshot-build.ts';
import { PAGE_SIZE, round2 } from '../../src/engine/units.ts';
import {
  ALL_MECHANISMS,
  addGuest,
  checkConservation,
  checkNoDataLoss,
  guestConfig,
  MiB,
  must,
  PathProbe,
  pageOf,
  placesOf,
  same,
  tickUntil,
  withHost,
  wl,
} from './helpers.ts';

const OS_IMAGE_LINUX = 0x1000; // the os-image content seed for linux guests (workloads/index.ts)
/** A process page read as the process reads it, and its bytes. */
const readOf = (m: Machine, p: Process, v: number): Uint8Array => {
  const into = new Uint8Array(PAGE_SIZE);
  m.os.read(p, v, into);
  return into;
};

const noFaults: FaultHandler = {
  fault: () => {
    throw new Error('no faults in this test');
  },
  peek: (_vm, _gpn, into) => into.fill(0),
};

/** Records the host state and anything else at every reclaim step (10 a tick). */
function everyStep(host: Host, record: (state: string) => void): void {
  const r = host.reclaimer;
  const step = r.step.bind(r);
  r.step = (dt: number) => {
    const state = host.state;
    step(dt);
    record(state);
  };
}

const processOf = (m: Machine, name: string) => {
  const w = m.workloads.find((x) => x.spec.name === name);
  if (!w) throw new Error(`${m.name} has no workload ${name}`);
  return w.process;
};

// ---- sharing ------------------------------------------------------------------------------------------

describe('page sharing', () => {
  it.each(['esx', 'ksm'] as const)(
    '%s: two guests with identical os-image pages end up on the same frames, PSHARE saving > 0',
    (sharing) => {
      withHost({ pages: 128 * MiB, reclaim: { sharing } }, (host) => {
        const image = wl('os-image', 1024, { writeFraction: 0 });
        const a = addGuest(host, guestConfig('a', 4096), [{ ...image }]);
        const b = addGuest(host, guestConfig('b', 4096), [{ ...image }]);
        for (let i = 0; i < 20; i++) host.tick();
        checkConservation(host);
        const pa = processOf(a, 'os-image');
        const pb = processOf(b, 'os-image');
        let sameFrame = 0;
        for (let v = 0; v < 1024; v++) {
          const ga = pa.pte[v];
          const gb = pb.pte[v];
          if (
            a.vm.pmapState[ga] === PageState.Shared &&
            b.vm.pmapState[gb] === PageState.Shared &&
            a.vm.pmapLoc[ga] === b.vm.pmapLoc[gb]
          ) {
            sameFrame++;
            // The one frame holds exactly the image page both loaded.
            if (v % 97 === 0)
              expect(same(host.pool.bytes(a.vm.pmapLoc[ga]), pageOf('os', OS_IMAGE_LINUX, v))).toBe(true);
          }
        }
        expect(sameFrame).toBeGreaterThan(900);
        const s = takeSnapshot(host);
        expect(s.host.pshare.saving).toBeGreaterThan(3); // at least the 4 MB image, less what is unscanned
        expect(s.host.pshare.common).toBeLessThan(s.host.pshare.shared);
        for (const g of s.guests) {
          expect(g.SHRD).toBeGreaterThan(4);
          expect(g.SHRDSVD).toBeGreaterThan(0);
        }
        // Every shared frame is read-only content both can read back (verified reads).
        checkNoDataLoss(host);
      });
    },
    30_000,
  );

  it('a write to a shared page breaks COW: COWH counts it, the writer sees its bytes, the other guest its old ones', () => {
    withHost({ pages: 128 * MiB, reclaim: { sharing: 'ksm' } }, (host) => {
      const image = wl('os-image', 512, { writeFraction: 0 });
      const a = addGuest(host, guestConfig('a', 4096), [{ ...image }]);
      const b = addGuest(host, guestConfig('b', 4096), [{ ...image }]);
      for (let i = 0; i < 10; i++) host.tick();
      const pa = processOf(a, 'os-image');
      const pb = processOf(b, 'os-image');
      const v = [...Array(512).keys()].find(
        (x) =>
          a.vm.pmapState[pa.pte[x]] === PageState.Shared &&
          a.vm.pmapLoc[pa.pte[x]] === b.vm.pmapLoc[pb.pte[x]] &&
          host.pool.refcount[a.vm.pmapLoc[pa.pte[x]]] === 2,
      );
      if (v === undefined) throw new Error('no image page shared by exactly the two guests');
      const gpnA = pa.pte[v];
      const frame = a.vm.pmapLoc[gpnA];
      const cow0 = a.vm.stats.cowBreaks;
      const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
      a.os.write(pa, v, 100, bytes);

      expect(a.vm.stats.cowBreaks).toBe(cow0 + 1);
      expect(takeSnapshot(host).guests[0].COWH).toBe(round2(a.vm.stats.cowBreaks / 256));
      expect(a.vm.pmapState[gpnA]).toBe(PageState.Private);
      expect(a.vm.pmapLoc[gpnA]).not.toBe(frame);
      expect(b.vm.pmapState[pb.pte[v]]).toBe(PageState.Shared);
      expect(b.vm.pmapLoc[pb.pte[v]]).toBe(frame);
      expect(host.pool.refcount[frame]).toBe(1);
      const original = pageOf('os', OS_IMAGE_LINUX, v);
      const mine = original.slice();
      mine.set(bytes, 100);
      expect(same(readOf(a, pa, v), mine)).toBe(true);
      expect(same(readOf(b, pb, v), original)).toBe(true);
      expect(same(host.pool.bytes(frame), original)).toBe(true);
      checkConservation(host);
    });
  });

  it('zero pages map onto one zero frame; writing one gives a zeroed private copy and leaves the frame zero', () => {
    withHost({ pages: 128 * MiB, reclaim: { sharing: 'ksm' } }, (host) => {
      const m = addGuest(host, guestConfig('z', 6144, { os: 'windows' }), [wl('boot', 0)]);
      tickUntil(host, () => m.workloads[0].state === 'done', 30);
      for (let i = 0; i < 5; i++) host.tick();
      const zero = host.reclaimer.sharing.zeroFrame;
      expect(zero).toBeGreaterThanOrEqual(0);
      expect(host.pool.kind[zero]).toBe(FrameKind.Shared);
      let zeroPages = 0;
      const frames = new Set<number>();
      const page = new Uint8Array(PAGE_SIZE);
      for (let gpn = 0; gpn < 6144; gpn++) {
        if (m.os.use[gpn] !== GpnUse.Free) continue;
        m.vm.peek(gpn, page);
        if (!page.every((x) => x === 0)) continue;
        zeroPages++;
        if (m.vm.pmapState[gpn] === PageState.Shared) frames.add(m.vm.pmapLoc[gpn]);
      }
      expect(zeroPages).toBeGreaterThan(3000);
      expect([...frames]).toEqual([zero]);
      expect(host.pool.refcount[zero]).toBeGreaterThan(3000);
      expect(takeSnapshot(host).guests[0].ZERO).toBeGreaterThan(11);

      // A program's first write lands on a zero-shared free page: a zeroed private copy.
      const probe = new PathProbe(host);
      const p = m.os.spawn('w', 16);
      for (let v = 0; v < 16; v++) m.os.write(p, v, 8 * v, new Uint8Array([0xaa, v]));
      expect(probe.counts.zeroCow).toBe(16);
      for (let v = 0; v < 16; v++) {
        const want = new Uint8Array(PAGE_SIZE);
        want.set([0xaa, v], 8 * v);
        expect(same(readOf(m, p, v), want)).toBe(true);
        expect(m.vm.pmapState[p.pte[v]]).toBe(PageState.Private);
      }
      expect(host.pool.bytes(zero).every((x) => x === 0)).toBe(true);
      checkConservation(host);
    });
  });

  it('keeps its hints in a table of fixed size, however many distinct pages it scans', () => {
    // A guest rewrites all its pages with new contents eight times over, each version scanned: 8 x 3000
    // distinct pages for a 4096-frame host. Hints for pages that changed must not pile up.
    const pool = new FramePool(4096);
    const vm = new Guest(1, guestConfig('churn', 3000), pool, noFaults);
    const sharing = new PageSharing(pool, () => vm);
    for (let gpn = 0; gpn < 3000; gpn++) vm.mapPrivate(gpn, pool.alloc(FrameKind.Private));
    const capacity = sharing.hintCapacity;
    expect(capacity).toBeLessThanOrEqual(2 * pool.frameCount);
    for (let round = 0; round < 8; round++) {
      for (let gpn = 0; gpn < 3000; gpn++) {
        pool.write(vm.pmapLoc[gpn], 0, pageOf('random', round, gpn));
        expect(sharing.scan(vm, gpn)).toBe('hinted');
      }
      expect(sharing.hints).toBeLessThanOrEqual(capacity);
      expect(sharing.hintCapacity).toBe(capacity);
    }
    // A stale hint costs a failed compare, never a wrong share: the pages still hold their own bytes.
    const into = new Uint8Array(PAGE_SIZE);
    for (let gpn = 0; gpn < 3000; gpn += 97) {
      pool.read(vm.pmapLoc[gpn], into);
      expect(same(into, pageOf('random', 7, gpn))).toBe(true);
    }
  });
});

// ---- balloon ---------------------------------------------------------------------------------------------

describe('balloon', () => {
  it('the guest gives the balloon its free pages first, then clean page cache, then anonymous pages (to its swap)', () => {
    withHost({ pages: 128 * MiB }, (host) => {
      const m = addGuest(host, guestConfig('g', 8192, { guestSwapPages: 8192 }));
      const os = m.os;
      const p = os.spawn('anon', 2000);
      for (let v = 0; v < 2000; v++) os.fill(p, v, 'heap', 7);
      const file = os.openFile('f', 2000, 'text', 9);
      for (let i = 0; i < 2000; i++) os.readFile(file, i, true);
      const balloon = (n: number): number[] => {
        const got: number[] = [];
        // As the reclaimer does: the host takes the frame behind each page the driver pins.
        os.inflate(n, (gpn) => {
          host.reclaimer.dropPage(m.vm, gpn);
          m.vm.setPage(gpn, PageState.Ballooned, -1);
          got.push(gpn);
        });
        return got;
      };
      const view = () => ({
        free: os.useCount[GpnUse.Free],
        cache: os.useCount[GpnUse.CacheClean] + os.useCount[GpnUse.CacheDirty],
        anon: os.useCount[GpnUse.Anon],
        swap: os.swapSlots.used,
      });
      const v0 = view();
      expect(v0.free).toBe(8192 - os.kernelPages - 4000);

      // 1. Free memory covers it: only free pages go.
      expect(balloon(1000)).toHaveLength(1000);
      const v1 = view();
      expect(v1).toEqual({ ...v0, free: v0.free - 1000 });
      // 2. Past free memory: clean page cache is dropped next, anonymous memory is untouched.
      expect(balloon(v1.free + 1000)).toHaveLength(v1.free + 1000);
      const v2 = view();
      expect(v2.free).toBe(0);
      expect(v2.cache).toBe(v1.cache - 1000);
      expect(v2.anon).toBe(v1.anon);
      expect(v2.swap).toBe(0);
      // 3. Past the cache: anonymous pages go to the guest's swap.
      expect(balloon(v2.cache + 500)).toHaveLength(v2.cache + 500);
      const v3 = view();
      expect(v3.cache).toBe(0);
      expect(v3.anon).toBe(v2.anon - 500);
      expect(v3.swap).toBe(500);
      expect(os.balloonPages).toBe(1000 + v1.free + 1000 + v2.cache + 500);
      checkConservation(host);
      // Every anonymous page still reads back (the 500 from guest swap, each pushing another one out).
      for (let v = 0; v < 2000; v++) os.read(p, v);
      expect(os.stats.swapIns).toBeGreaterThanOrEqual(500);
    });
  });

  it('as free memory runs short it balloons a guest with a driver, swaps one without, never swaps the first', () => {
    withHost({ pages: 80 * MiB, seed: 1 }, (host) => {
      const a = addGuest(host, guestConfig('a', 12288, { guestSwapPages: 12288, shares: 200 }), [
        wl('java-heap', 9000, { locality: 0.3, workingSet: 0.5 }),
      ]);
      // Shares as low as a's: both end above their targets, and the host must take from both.
      const b = addGuest(
        host,
        guestConfig('b', 12288, { balloonDriver: false, guestSwapPages: 12288, shares: 200 }),
        [wl('memhog', 8000, { locality: 0.3, workingSet: 0.5 })],
      );
      const out = (m: Machine) => host.reclaimer.hostSwap.used(m.vm) + host.reclaimer.zip.usage(m.vm).pages;
      // Short: in soft, or in high with free memory under the high threshold, where ESX starts to
      // balloon so that free memory stays above the soft threshold (seed 002, 3.5).
      const short = () => host.state !== 'high' || host.pool.freeFrames < host.highFrames;
      let aInflated = 0;
      let bSwapped = 0;
      let aSwapped = 0;
      const states = new Set<string>();
      // From one slice's reclamation to the next: the guests' runs (where a guest above its target
      // makes room for its own faults) and the reclamation itself, the host short all along.
      let before = { ab: 0, aOut: 0, bOut: 0, short: short() };
      const r = host.reclaimer;
      const step = r.step.bind(r);
      r.step = (dt: number) => {
        step(dt);
        states.add(host.state);
        expect(b.os.balloonPages).toBe(0);
        expect(host.state === 'hard' || host.state === 'low', `state ${host.state}`).toBe(false);
        if (before.short && short()) {
          if (a.os.balloonPages > before.ab) aInflated++;
          if (out(b) > before.bOut) bSwapped++;
          if (out(a) > before.aOut) aSwapped++;
        }
        before = { ab: a.os.balloonPages, aOut: out(a), bOut: out(b), short: short() };
      };
      for (let i = 0; i < 40; i++) {
        host.tick();
        checkConservation(host);
      }
      const s = takeSnapshot(host);
      expect(aInflated).toBeGreaterThan(0);
      expect(bSwapped).toBeGreaterThan(0);
      // Short of hard, ESX balloons a guest that has a driver; it does not swap it.
      expect(aSwapped).toBe(0);
      expect(s.guests[1].MCTLSZ).toBe(0);
      expect(s.guests[1]['MCTL?']).toBe(false);
      expect((s.guests[1].SWCUR ?? 0) + (s.guests[1].zippedMB ?? 0)).toBeGreaterThan(0);
      expect(s.guests[0].MCTLSZ).toBeGreaterThan(0);
      checkNoDataLoss(host);
    });
  });

  it('ballooned pages have no frame behind them; after deflation they come back zeroed and hold new data', () => {
    withHost({ pages: 64 * MiB }, (host) => {
      const m = addGuest(host, guestConfig('g', 8192, { guestSwapPages: 8192 }), [
        wl('java-heap', 3000, { locality: 0.6 }),
      ]);
      for (let i = 0; i < 3; i++) host.tick();
      const probe = new PathProbe(host);
      // A limit well under what it consumes: the balloon inflates even in high state.
      must(host, { type: 'setLimit', guest: 'g', pages: 4096 });
      tickUntil(host, () => m.os.balloonPages > 1000, 10);
      const ballooned = [...Array(8192).keys()].filter((gpn) => m.os.use[gpn] === GpnUse.Balloon);
      expect(ballooned.length).toBe(m.os.balloonPages);
      for (const gpn of ballooned) expect(m.vm.pmapState[gpn]).toBe(PageState.Ballooned);
      checkConservation(host);
      // Lift the limit and bring back pressure-free memory: the balloon deflates and a new program
      // gets the returned pages.
      must(host, { type: 'setLimit', guest: 'g', pages: null });
      tickUntil(host, () => m.os.balloonPages === 0, 20);
      must(host, { type: 'startWorkload', guest: 'g', workload: wl('memhog', 3000, { locality: 0 }) });
      for (let i = 0; i < 3; i++) {
        host.tick();
        probe.sync();
      }
      expect(probe.counts.balloonReturned).toBeGreaterThan(500);
      const returned = ballooned.filter((gpn) => m.vm.pmapState[gpn] === PageState.Private);
      expect(returned.length).toBeGreaterThan(500);
      checkConservation(host);
      checkNoDataLoss(host);
    });
  });
});

// ---- liveness ---------------------------------------------------------------------------------------------

describe('liveness', () => {
  it('the host does not settle in low state with every guest blocked and nothing reclaimed', () => {
    // Two guests at (or within the dead band of) their targets; the compression cache holds frames that
    // no guest's consumption counts. Free memory must still come back above the low threshold.
    withHost({ pages: 64 * MiB, seed: 3 }, (host) => {
      const a = addGuest(host, guestConfig('a', 12288, { guestSwapPages: 12288 }), [
        wl('database', 7000, { locality: 0.5, workingSet: 0.5 }),
      ]);
      const b = addGuest(host, guestConfig('b', 12288, { balloonDriver: false, guestSwapPages: 12288 }), [
        wl('java-heap', 9000, { locality: 0.5, workingSet: 0.5 }),
      ]);
      let lowTicks = 0;
      let ops = 0;
      for (let i = 0; i < 40; i++) {
        host.tick();
        if (i < 20) continue;
        if (host.state === 'low') lowTicks++;
        ops += a.tick.ops + b.tick.ops;
      }
      const k = host.pool.kindCount;
      const why =
        `free ${k[FrameKind.Free]}, compression cache ${k[FrameKind.Compressed]} frames, ` +
        `a ${a.vm.targetPages} target / ${Math.round(a.vm.stateCount[PageState.Private] + a.vm.sharedCharge)} consumed, ` +
        `b ${b.vm.targetPages} / ${Math.round(b.vm.stateCount[PageState.Private] + b.vm.sharedCharge)}`;
      expect(lowTicks, `ticks 20-39 in low state (${why})`).toBeLessThan(20);
      expect(ops, `operations in ticks 20-39 (${why})`).toBeGreaterThan(0);
    });
  });
});

// ---- compression and host swap --------------------------------------------------------------------------

describe('compression', () => {
  it('stores compressible pages in 2 KiB halves, two to a frame, refuses incompressible ones, and decompresses exactly', () => {
    const pool = new FramePool(256);
    const vm = new Guest(1, guestConfig('z', 128), pool, noFaults);
    const zip = new ZipCache(pool, 0.5); // 64 cache frames
    zip.attach(vm);
    const kinds = ['db', 'heap', 'text', 'random'] as const;
    const originals: Uint8Array[] = [];
    for (let gpn = 0; gpn < 96; gpn++) {
      const f = pool.alloc(FrameKind.Private);
      vm.mapPrivate(gpn, f);
      const page = pageOf(kinds[gpn % 4], 5, gpn);
      pool.bytes(f).set(page);
      originals.push(page);
    }
    let stored = 0;
    for (let gpn = 0; gpn < 96; gpn++) {
      const kind = kinds[gpn % 4];
      const packed = compressPage(originals[gpn]).length;
      const result = zip.store(vm, gpn);
      if (kind === 'random') {
        expect(packed).toBeGreaterThan(ZIP_SLOT);
        expect(result).toBe('incompressible');
        expect(vm.pmapState[gpn]).toBe(PageState.Private);
      } else {
        expect(packed).toBeLessThanOrEqual(ZIP_SLOT);
        expect(result).toBe('stored');
        expect(vm.pmapState[gpn]).toBe(PageState.Compressed);
        stored++;
      }
    }
    expect(stored).toBe(72);
    expect(zip.usage(vm).pages).toBe(72);
    expect(pool.kindCount[FrameKind.Compressed]).toBe(36); // two to a frame
    expect(pool.kindCount[FrameKind.Private]).toBe(24); // only the random pages keep frames
    const into = new Uint8Array(PAGE_SIZE);
    for (let gpn = 0; gpn < 96; gpn++) {
      if (vm.pmapState[gpn] !== PageState.Compressed) continue;
      zip.peek(vm, gpn, into);
      expect(same(into, originals[gpn])).toBe(true);
    }
    for (let gpn = 0; gpn < 96; gpn++) {
      if (vm.pmapState[gpn] !== PageState.Compressed) continue;
      const f = pool.alloc(FrameKind.Private);
      zip.load(vm, gpn, f);
      expect(vm.pmapState[gpn]).toBe(PageState.Private);
      expect(same(pool.bytes(f), originals[gpn])).toBe(true);
    }
    expect(zip.usage(vm).pages).toBe(0);
    expect(pool.kindCount[FrameKind.Compressed]).toBe(0); // emptied cache frames go back
  });

  it('keeps its pages oldest first through any mix of stores and frees, with no more frames than it needs', () => {
    const op = fc.record({ store: fc.boolean(), pick: fc.nat() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const pool = new FramePool(160);
        const vm = new Guest(1, guestConfig('z', 64), pool, noFaults);
        const zip = new ZipCache(pool, 0.25); // 16 cache frames, 32 slots
        zip.attach(vm);
        for (let gpn = 0; gpn < 64; gpn++) {
          const f = pool.alloc(FrameKind.Private);
          vm.mapPrivate(gpn, f);
          pool.write(f, 0, pageOf('text', 2, gpn));
        }
        const order = new Map<number, true>(); // the model: insertion order is oldest first
        for (const o of ops) {
          if (o.store) {
            const gpn = o.pick % 64;
            if (vm.pmapState[gpn] !== PageState.Private) continue;
            const room = zip.hasRoom(vm);
            const r = zip.store(vm, gpn);
            expect(r).toBe(room ? 'stored' : 'full');
            if (r === 'stored') order.set(gpn, true);
          } else if (order.size > 0) {
            const gpn = [...order.keys()][o.pick % order.size];
            order.delete(gpn);
            zip.load(vm, gpn, pool.alloc(FrameKind.Private));
          }
          expect(zip.oldest(vm)).toBe(order.size > 0 ? [...order.keys()][0] : -1);
          expect(zip.usage(vm).pages).toBe(order.size);
          const frames = pool.kindCount[FrameKind.Compressed];
          expect(frames).toBe(vm.cacheFrames);
          expect(frames).toBeLessThanOrEqual(16);
          expect(frames).toBeGreaterThanOrEqual(Math.ceil(order.size / 2));
        }
        const into = new Uint8Array(PAGE_SIZE);
        for (const gpn of order.keys()) {
          zip.peek(vm, gpn, into);
          expect(same(into, pageOf('text', 2, gpn))).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a full cache refuses, and the oldest page is the first stored', () => {
    const pool = new FramePool(64);
    const vm = new Guest(1, guestConfig('z', 40), pool, noFaults);
    const zip = new ZipCache(pool, 0.1); // 4 frames: 8 slots
    zip.attach(vm);
    for (let gpn = 0; gpn < 10; gpn++) {
      const f = pool.alloc(FrameKind.Private);
      vm.mapPrivate(gpn, f);
      pool.bytes(f).set(pageOf('db', 1, gpn));
    }
    for (let gpn = 0; gpn < 8; gpn++) expect(zip.store(vm, gpn)).toBe('stored');
    expect(zip.hasRoom(vm)).toBe(false);
    expect(zip.store(vm, 8)).toBe('full');
    expect(vm.pmapState[8]).toBe(PageState.Private);
    expect(zip.oldest(vm)).toBe(0);
  });

  it('a fault on a compressed page that making room spills to the swap file reads it from there', () => {
    // A guest at its limit makes room for a fault by compressing its own pages; with its cache full
    // that spills the oldest compressed page to swap, and the oldest is the very page being faulted.
    withHost({ pages: 64 * MiB, seed: 2, tweak: (c) => (c.reclaim.zipCacheFraction = 0.01) }, (host) => {
      const m = addGuest(host, guestConfig('g', 6144, { balloonDriver: false }), [wl('database', 3000)]);
      tickUntil(host, () => m.workloads[0].process.resident > 2500, 30);
      must(host, { type: 'setLimit', guest: 'g', pages: 4000 });
      const r = host.reclaimer;
      tickUntil(host, () => r.zip.usage(m.vm).pages >= 70 && r.hostSwap.used(m.vm) > 0, 30);
      const gpn = r.zip.oldest(m.vm);
      const want = new Uint8Array(PAGE_SIZE);
      m.vm.peek(gpn, want);
      must(host, { type: 'setLimit', guest: 'g', pages: Math.floor(consumedPages(m.vm)) });
      const frame = m.vm.touch(gpn, false);
      expect(r.hostSwap.used(m.vm)).toBeGreaterThan(0);
      expect(Buffer.from(host.pool.bytes(frame)).equals(Buffer.from(want))).toBe(true);
      checkConservation(host);
      checkNoDataLoss(host);
    });
  });

  it('under host pressure compressible pages are zipped and every one reads back exactly', () => {
    withHost({ pages: 64 * MiB, seed: 5 }, (host) => {
      addGuest(host, guestConfig('a', 10240, { balloonDriver: false }), [
        wl('database', 7500, { locality: 0.6 }),
      ]);
      addGuest(host, guestConfig('b', 10240, { balloonDriver: false }), [
        wl('java-heap', 7500, { locality: 0.6 }),
      ]);
      const probe = new PathProbe(host);
      let maxZipped = 0;
      // Up to 30 ticks; it stops once pages have gone both ways (the checks below hold from then on).
      for (let i = 0; i < 30 && !(maxZipped > 0 && probe.counts.zip > 100 && probe.counts.unzip > 10); i++) {
        host.tick();
        probe.sync();
        const s = takeSnapshot(host);
        for (const g of s.guests) {
          maxZipped = Math.max(maxZipped, g.zippedMB ?? 0);
          expect(g.CACHEUSD ?? 0).toBeLessThanOrEqual(g.CACHESZ ?? 0);
        }
      }
      expect(maxZipped).toBeGreaterThan(0);
      expect(probe.counts.zip).toBeGreaterThan(100);
      expect(probe.counts.unzip).toBeGreaterThan(10);
      checkConservation(host);
      checkNoDataLoss(host);
    });
  });
});

describe('host swap', () => {
  it('swaps incompressible pages to the swap file and reads them back exactly', () => {
    withHost({ pages: 64 * MiB, seed: 2 }, (host) => {
      addGuest(host, guestConfig('a', 10240, { balloonDriver: false }), [
        wl('memhog', 7000, { locality: 0.5 }),
      ]);
      addGuest(host, guestConfig('b', 10240, { balloonDriver: false }), [
        wl('memhog', 7000, { locality: 0.5 }),
      ]);
      const probe = new PathProbe(host);
      let swapped = 0;
      // Up to 25 ticks; it stops once pages have gone out and come back.
      const enough = () => swapped > 500 && probe.counts.hostSwapOut > 500 && probe.counts.hostSwapIn > 50;
      for (let i = 0; i < 25 && !enough(); i++) {
        host.tick();
        probe.sync();
        for (const m of host.machines) swapped = Math.max(swapped, host.reclaimer.hostSwap.used(m.vm));
      }
      expect(swapped).toBeGreaterThan(500);
      expect(probe.counts.hostSwapOut).toBeGreaterThan(500);
      expect(probe.counts.hostSwapIn).toBeGreaterThan(50);
      expect(probe.counts.zip).toBe(0); // memhog pages never fit in 2 KiB
      checkConservation(host);
      checkNoDataLoss(host);
    });
  });
});

// ---- victims ----------------------------------------------------------------------------------------------

describe('victim policies', () => {
  /** A pmap with pages in every state, random referenced/written bits, ages and last uses (plain data). */
  const pmapArb = fc.record({
    states: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 8, maxLength: 200 }),
    bits: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 200, maxLength: 200 }),
    ages: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 200, maxLength: 200 }),
    lastUse: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 200, maxLength: 200 }),
    n: fc.integer({ min: 1, max: 250 }),
    tick: fc.integer({ min: 0, max: 30 }),
    seed: fc.integer(),
  });
  type PmapSpec = typeof pmapArb extends fc.Arbitrary<infer T> ? T : never;
  /** The guest, and its picker for `policy` with the spec's ages and last uses. */
  const guestOf = (r: PmapSpec, policy: VictimPolicy): { vm: Guest; picker: VictimPicker } => {
    const pool = new FramePool(512);
    const vm = new Guest(1, guestConfig('v', r.states.length), pool, noFaults);
    r.states.forEach((s, gpn) => {
      if (s === PageState.Private) vm.mapPrivate(gpn, pool.alloc(FrameKind.Private));
      else if (s !== PageState.Untouched) vm.setPage(gpn, s as PageState, gpn);
      vm.accessed[gpn] = r.bits[gpn];
    });
    const picker = new VictimPicker(policy, new Rng(r.seed), vm);
    r.states.forEach((_, gpn) => {
      if (picker.ages) picker.ages[gpn] = r.ages[gpn];
      if (picker.lastUse) picker.lastUse[gpn] = Math.min(r.lastUse[gpn], r.tick);
    });
    return { vm, picker };
  };

  it.each(VICTIM_POLICIES)(
    '%s picks only private pages, no page twice, as many as asked while there are any',
    (policy) => {
      fc.assert(
        fc.property(pmapArb, (spec) => {
          const { n, tick } = spec;
          const { vm, picker } = guestOf(spec, policy);
          picker.age(vm, tick);
          const privateCount = vm.stateCount[PageState.Private];
          const picked = picker.pick(vm, n, tick);
          for (const gpn of picked) expect(vm.pmapState[gpn], `gpn ${gpn}`).toBe(PageState.Private);
          expect(new Set(picked).size, `duplicates in ${picked.join(',')}`).toBe(picked.length);
          expect(picked.length).toBeLessThanOrEqual(n);
          // Every policy but random keeps an index of the private pages: it finds min(n, private) pages.
          if (policy !== 'random') expect(picked.length).toBe(Math.min(n, privateCount));
        }),
        { numRuns: 150 },
      );
    },
  );

  it.each(VICTIM_POLICIES)(
    '%s looks at a bounded number of pages per page picked, however large the guest and however few its victims',
    (policy) => {
      // 65,536 pages, one in 16 private and every private page recently used and written: the worst case
      // for a policy that sweeps the pmap for pages it has not seen used.
      const size = 65536;
      const pool = new FramePool(size / 16 + 8);
      const vm = new Guest(1, guestConfig('big', size), pool, noFaults);
      for (let gpn = 0; gpn < size; gpn++) {
        if (gpn % 16 === 0) vm.mapPrivate(gpn, pool.alloc(FrameKind.Private));
        else vm.setPage(gpn, PageState.Swapped, gpn);
      }
      const picker = new VictimPicker(policy, new Rng(3), vm);
      for (let tick = 1; tick <= 20; tick++) {
        for (let gpn = 0; gpn < size; gpn += 16) vm.accessed[gpn] = 3;
        picker.age(vm, tick);
        for (let gpn = 0; gpn < size; gpn += 16) vm.accessed[gpn] = 3;
        const n = 1 + (tick % 8);
        const picked = picker.pick(vm, n, tick);
        if (policy !== 'random') expect(picked).toHaveLength(n);
        const bound = policy === 'random' ? 8 * n + 64 : Math.max(64, 16 * n);
        expect(picker.examined, `pick(${n}) at tick ${tick}`).toBeLessThanOrEqual(bound);
      }
    },
  );

  it('keeps per-page arrays only for the policy in use: none for random, none in the guest', () => {
    const bytesPerPage = (o: object, pages: number): number =>
      Object.values(o).reduce((a, v) => a + (ArrayBuffer.isView(v) ? v.byteLength : 0), 0) / pages;
    const kept: Record<string, number> = {};
    for (const policy of VICTIM_POLICIES) {
      const vm = new Guest(1, guestConfig('v', 4096), new FramePool(64), noFaults);
      // The pmap's state and location, the sampler's marks and the accessed bits: 7 bytes a page (and
      // a few counters).
      expect(bytesPerPage(vm, 4096)).toBeLessThan(7.1);
      kept[policy] = new VictimPicker(policy, new Rng(1), vm).bytes / 4096;
    }
    expect(kept).toEqual({ random: 0, fifo: 8, lru: 12, clock: 8, aging: 9, nru: 8 });
  });

  it('follows the guest: pages mapped, unmapped and hot-added after the picker was made', () => {
    for (const policy of VICTIM_POLICIES.filter((p) => p !== 'random')) {
      const pool = new FramePool(64);
      const vm = new Guest(1, guestConfig('v', 16), pool, noFaults);
      const picker = new VictimPicker(policy, new Rng(1), vm);
      for (const gpn of [4, 2, 9]) vm.mapPrivate(gpn, pool.alloc(FrameKind.Private));
      vm.setPage(2, PageState.Swapped, 0);
      vm.grow(32);
      vm.mapPrivate(30, pool.alloc(FrameKind.Private));
      expect(
        picker.pick(vm, 8, 0).sort((a, b) => a - b),
        policy,
      ).toEqual([4, 9, 30]);
    }
  });

  /** A guest of `n` private pages with the given accessed bits. */
  function privateGuest(bits: number[]): Guest {
    const pool = new FramePool(bits.length + 8);
    const vm = new Guest(1, guestConfig('v', bits.length), pool, noFaults);
    bits.forEach((b, gpn) => {
      vm.mapPrivate(gpn, pool.alloc(FrameKind.Private));
      vm.accessed[gpn] = b;
    });
    return vm;
  }

  it('fifo picks the pages mapped longest ago', () => {
    const pool = new FramePool(32);
    const vm = new Guest(1, guestConfig('v', 16), pool, noFaults);
    const picker = new VictimPicker('fifo', new Rng(1), vm);
    for (const gpn of [5, 3, 9, 1, 0, 7]) vm.mapPrivate(gpn, pool.alloc(FrameKind.Private));
    expect(picker.pick(vm, 3, 0)).toEqual([5, 3, 9]);
    // A page that leaves and is mapped again goes to the back.
    vm.setPage(5, PageState.Swapped, 0);
    vm.mapPrivate(5, pool.alloc(FrameKind.Private));
    expect(picker.pick(vm, 3, 0)).toEqual([3, 9, 1]);
  });

  it('nru takes not-referenced clean pages first, then not-referenced dirty, then referenced', () => {
    // bit 0 referenced, bit 1 written: classes 0 (00), 1 (10 = written only), 2 (01), 3 (11).
    const vm = privateGuest([3, 1, 2, 0, 3, 0, 2, 1]);
    expect(new VictimPicker('nru', new Rng(1), vm).pick(vm, 2, 0).sort()).toEqual([3, 5]);
    expect(new VictimPicker('nru', new Rng(1), vm).pick(vm, 4, 0).sort()).toEqual([2, 3, 5, 6]);
  });

  it('lru takes the pages idle longest; aging takes the lowest age counters', () => {
    const vm = privateGuest([0, 0, 0, 0, 0, 0]);
    const lru = new VictimPicker('lru', new Rng(1), vm);
    [10, 0, 9, 2, 10, 1].forEach((t, gpn) => {
      lru.lastUse![gpn] = t;
    });
    expect(lru.pick(vm, 3, 10).sort()).toEqual([1, 3, 5]);
    const aged = privateGuest([0, 0, 0, 0, 0, 0]);
    const aging = new VictimPicker('aging', new Rng(1), aged);
    [200, 0, 100, 3, 250, 20].forEach((a, gpn) => {
      aging.ages![gpn] = a;
    });
    expect(aging.pick(aged, 2, 0).sort()).toEqual([1, 3]);
  });

  it('clock gives referenced pages a second chance: their bit is cleared and they are passed over first', () => {
    const vm = privateGuest([1, 1, 0, 1, 0]);
    const picker = new VictimPicker('clock', new Rng(1), vm);
    expect(picker.pick(vm, 2, 0).sort()).toEqual([2, 4]);
    // The hand cleared the referenced bits of the pages it passed.
    expect([vm.accessed[0] & 1, vm.accessed[1] & 1, vm.accessed[3] & 1]).toEqual([0, 0, 0]);
  });
});

// ---- tmem ---------------------------------------------------------------------------------------------------

describe('tmem', () => {
  const setup = (reserve = 0) => {
    const pool = new FramePool(64);
    const vm = new Guest(7, guestConfig('t', 64), pool, noFaults);
    return { pool, vm, tmem: new Tmem(pool, () => reserve) };
  };
  const priv = { kind: 'private', gid: 7 } as const;

  it('an ephemeral get after a put returns the bytes, once (gets are exclusive)', () => {
    const { pool, vm, tmem } = setup();
    const page = pageOf('text', 3, 1);
    expect(tmem.putEphemeral(vm, priv, 42, page)).toBe(true);
    expect(pool.kindCount[FrameKind.Tmem]).toBe(1);
    const into = new Uint8Array(PAGE_SIZE);
    expect(tmem.getEphemeral(vm, priv, 42, into)).toBe(true);
    expect(same(into, page)).toBe(true);
    expect(tmem.getEphemeral(vm, priv, 42, into)).toBe(false);
    expect(pool.kindCount[FrameKind.Tmem]).toBe(0);
    const s = tmem.statsOf(7);
    expect([s.ephPuts, s.succEphGets, s.failedEphGets, s.ephPages]).toEqual([1, 1, 1, 0]);
  });

  it('a put copies: later changes to the source do not reach the pool', () => {
    const { vm, tmem } = setup();
    const page = pageOf('db', 1, 1);
    const keep = page.slice();
    tmem.putEphemeral(vm, priv, 1, page);
    tmem.putPersistent(vm, 2, page);
    page.fill(0x55);
    const into = new Uint8Array(PAGE_SIZE);
    expect(tmem.getEphemeral(vm, priv, 1, into) && same(into, keep)).toBe(true);
    expect(tmem.getPersistent(vm, 2, into) && same(into, keep)).toBe(true);
  });

  it('a dropped ephemeral page misses and its frame goes back to the host; oldest go first', () => {
    const { pool, vm, tmem } = setup();
    for (let k = 0; k < 5; k++) tmem.putEphemeral(vm, priv, k, pageOf('text', 1, k));
    expect(tmem.dropEphemeral(2)).toBe(2);
    expect(pool.kindCount[FrameKind.Tmem]).toBe(3);
    const into = new Uint8Array(PAGE_SIZE);
    expect(tmem.getEphemeral(vm, priv, 0, into)).toBe(false);
    expect(tmem.getEphemeral(vm, priv, 1, into)).toBe(false);
    expect(tmem.getEphemeral(vm, priv, 2, into)).toBe(true);
    expect(same(into, pageOf('text', 1, 2))).toBe(true);
    expect(tmem.statsOf(7).ephPages).toBe(2);
  });

  it('a persistent get always succeeds after a put, whatever ephemeral pages are dropped', () => {
    const { vm, tmem } = setup();
    for (let k = 0; k < 10; k++) expect(tmem.putPersistent(vm, k, pageOf('heap', 2, k))).toBe(true);
    for (let k = 0; k < 10; k++) tmem.putEphemeral(vm, priv, k, pageOf('text', 2, k));
    tmem.dropEphemeral(1000);
    const into = new Uint8Array(PAGE_SIZE);
    for (let k = 9; k >= 0; k--) {
      expect(tmem.getPersistent(vm, k, into)).toBe(true);
      expect(same(into, pageOf('heap', 2, k))).toBe(true);
    }
    expect(tmem.statsOf(7).succPersGets).toBe(10);
    expect(tmem.statsOf(7).persPages).toBe(0);
  });

  it('flush removes a page from either pool; a put over a key replaces it', () => {
    const { pool, vm, tmem } = setup();
    tmem.putEphemeral(vm, priv, 1, pageOf('text', 1, 1));
    tmem.putPersistent(vm, 1, pageOf('heap', 1, 1));
    tmem.flush(vm, priv, 1, false);
    tmem.flush(vm, priv, 1, true);
    const into = new Uint8Array(PAGE_SIZE);
    expect(tmem.getEphemeral(vm, priv, 1, into)).toBe(false);
    expect(tmem.getPersistent(vm, 1, into)).toBe(false);
    expect(tmem.statsOf(7).flushes).toBe(2);
    expect(pool.kindCount[FrameKind.Tmem]).toBe(0);
    tmem.putPersistent(vm, 3, pageOf('heap', 1, 3));
    tmem.putPersistent(vm, 3, pageOf('heap', 1, 4));
    expect(pool.kindCount[FrameKind.Tmem]).toBe(1);
    expect(tmem.getPersistent(vm, 3, into) && same(into, pageOf('heap', 1, 4))).toBe(true);
  });

  it('uses only fallow memory: puts fail once free frames reach the reserve', () => {
    const { pool, vm, tmem } = setup(60);
    let ok = 0;
    for (let k = 0; k < 10; k++) if (tmem.putPersistent(vm, k, pageOf('heap', 1, k))) ok++;
    expect(ok).toBe(4);
    expect(pool.freeFrames).toBe(60);
    expect(tmem.putEphemeral(vm, priv, 1, pageOf('text', 1, 1))).toBe(false);
    expect(tmem.statsOf(7).failedPersPuts).toBe(6);
    expect(tmem.statsOf(7).failedEphPuts).toBe(1);
  });

  it('a put into full tmem evicts the oldest ephemeral pages, never a persistent one', () => {
    const { pool, vm, tmem } = setup(54); // room for 10 pages
    for (let k = 0; k < 4; k++) expect(tmem.putPersistent(vm, 100 + k, pageOf('heap', 3, k))).toBe(true);
    for (let k = 0; k < 6; k++) expect(tmem.putEphemeral(vm, priv, k, pageOf('text', 3, k))).toBe(true);
    expect(pool.freeFrames).toBe(54);
    // A frontswap put and a cleancache put each take the oldest cleancache page's frame.
    expect(tmem.putPersistent(vm, 104, pageOf('heap', 3, 4))).toBe(true);
    expect(tmem.putEphemeral(vm, priv, 6, pageOf('text', 3, 6))).toBe(true);
    expect(pool.kindCount[FrameKind.Tmem]).toBe(10);
    const into = new Uint8Array(PAGE_SIZE);
    expect(tmem.getEphemeral(vm, priv, 0, into)).toBe(false);
    expect(tmem.getEphemeral(vm, priv, 1, into)).toBe(false);
    for (let k = 2; k <= 6; k++)
      expect(tmem.getEphemeral(vm, priv, k, into) && same(into, pageOf('text', 3, k))).toBe(true);
    for (let k = 0; k <= 4; k++)
      expect(tmem.getPersistent(vm, 100 + k, into) && same(into, pageOf('heap', 3, k))).toBe(true);
    const s = tmem.statsOf(7);
    expect([s.succPersPuts, s.failedPersPuts, s.failedEphPuts]).toEqual([5, 0, 0]);
  });

  it('a put into tmem full of persistent pages is refused, and nothing is evicted', () => {
    const { vm, tmem } = setup(62); // room for 2 pages
    expect(tmem.putPersistent(vm, 1, pageOf('heap', 4, 1))).toBe(true);
    expect(tmem.putPersistent(vm, 2, pageOf('heap', 4, 2))).toBe(true);
    expect(tmem.putPersistent(vm, 3, pageOf('heap', 4, 3))).toBe(false);
    expect(tmem.putEphemeral(vm, priv, 1, pageOf('text', 4, 1))).toBe(false);
    const into = new Uint8Array(PAGE_SIZE);
    expect(tmem.getPersistent(vm, 1, into) && same(into, pageOf('heap', 4, 1))).toBe(true);
    expect(tmem.getPersistent(vm, 2, into) && same(into, pageOf('heap', 4, 2))).toBe(true);
  });

  it('agrees with a plain model through any mix of puts, gets, flushes and drops, over every kind of pool', () => {
    type Ref = { kind: 'private'; gid: number } | { kind: 'shared'; fs: number };
    const pools: { ref: Ref; persistent: boolean }[] = [
      { ref: priv, persistent: false },
      { ref: priv, persistent: true },
      { ref: { kind: 'shared', fs: 0x6b65726e }, persistent: false },
      { ref: { kind: 'shared', fs: 99 }, persistent: false },
    ];
    const op = fc.record({
      act: fc.constantFrom('put', 'put', 'put', 'put', 'get', 'get', 'flush', 'drop'),
      pool: fc.integer({ min: 0, max: 3 }),
      // Keys as the guest OS makes them: small, or a file id times 2^32 plus a page.
      key: fc.oneof(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 3 }).map((f) => f * 2 ** 32 + 5),
      ),
      n: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      // Room for 64 pages (the lookup table half full, runs of collisions) or for 8 (puts often find tmem full).
      fc.property(
        fc.constantFrom(0, 56),
        fc.array(op, { maxLength: 300, size: 'medium' }),
        (reserve, ops) => {
          const { pool, vm, tmem } = setup(reserve);
          const room = 64 - reserve;
          const model = new Map<string, { pool: number; key: number; page: Uint8Array }>(); // insertion order
          const id = (p: number, key: number) => `${p}:${key}`;
          let seq = 0;
          const into = new Uint8Array(PAGE_SIZE);
          for (const o of ops) {
            const p = pools[o.pool];
            const k = id(o.pool, o.key);
            if (o.act === 'put') {
              const page = pageOf('text', 9, seq++);
              model.delete(k);
              const ok = p.persistent
                ? tmem.putPersistent(vm, o.key, page)
                : tmem.putEphemeral(vm, p.ref, o.key, page);
              // Full: the oldest ephemeral page makes room, or the put is refused.
              const oldestEph = [...model].find(([, v]) => !pools[v.pool].persistent);
              expect(ok).toBe(model.size < room || oldestEph !== undefined);
              if (ok && model.size >= room) model.delete(oldestEph![0]);
              if (ok) model.set(k, { pool: o.pool, key: o.key, page });
            } else if (o.act === 'get') {
              const ok = p.persistent
                ? tmem.getPersistent(vm, o.key, into)
                : tmem.getEphemeral(vm, p.ref, o.key, into);
              expect(ok).toBe(model.has(k));
              if (ok) expect(same(into, model.get(k)!.page)).toBe(true);
              model.delete(k);
            } else if (o.act === 'flush') {
              tmem.flush(vm, p.ref, o.key, p.persistent);
              model.delete(k);
            } else {
              const eph = [...model].filter(([, v]) => !pools[v.pool].persistent);
              expect(tmem.dropEphemeral(o.n)).toBe(Math.min(o.n, eph.length));
              for (const [key] of eph.slice(0, o.n)) model.delete(key);
            }
            expect(pool.kindCount[FrameKind.Tmem]).toBe(model.size);
            const s = tmem.statsOf(7);
            const count = (pi: number) => [...model.values()].filter((v) => v.pool === pi).length;
            expect([s.ephPages, s.persPages]).toEqual([count(0), count(1)]);
          }
          for (const [, v] of model) {
            const p = pools[v.pool];
            if (p.persistent) expect(tmem.peekPersistent(vm, v.key, into) && same(into, v.page)).toBe(true);
          }
          tmem.destroyGuest(7);
          const shared = [...model.values()].filter((v) => v.pool >= 2).length;
          expect(pool.kindCount[FrameKind.Tmem]).toBe(shared);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('in a guest: cleancache and frontswap gets hand back exactly what was put', () => {
    withHost({ pages: 96 * MiB, reclaim: { ...ALL_MECHANISMS } }, (host) => {
      const m = addGuest(
        host,
        guestConfig('t', 2048 + 1536, { balloonDriver: false, guestSwapPages: 8192 }),
        [wl('file-copy', 3072), wl('database', 2048, { workingSet: 0.6, locality: 0.5 })],
      );
      const probe = new PathProbe(host);
      for (let i = 0; i < 8; i++) {
        host.tick();
        probe.sync();
        checkConservation(host);
      }
      const g = takeSnapshot(host).guests[0];
      expect(g['Succ eph gets']).toBeGreaterThan(100);
      expect(g['Succ pers gets']).toBeGreaterThan(10);
      expect(probe.counts.fileChecks).toBeGreaterThan(1000);
      expect(placesOf(host, m, processOf(m, 'database').pid).frontswap).toBeGreaterThan(0);
      checkNoDataLoss(host);
    });
  });
});

// ---- self-ballooning --------------------------------------------------------------------------------------

describe('self-balloon', () => {
  it('moves the balloon target a quarter of the way to memsz - Committed_AS - reserve each step', () => {
    withHost({ pages: 128 * MiB, personality: 'xen-tmem' }, (host) => {
      const m = addGuest(host, guestConfig('x', 16384, { guestSwapPages: 8192 }), [wl('idle', 512)]);
      const memsz = 16384;
      const max = Math.floor(memsz * host.reclaimer.config.balloonMaxFraction);
      const want = () =>
        Math.max(0, Math.min(max, memsz - m.os.committedPages - Math.max(4096, memsz * 0.05)));
      let steps = 0;
      let prev = 0;
      everyStep(host, () => {
        const target = host.reclaimer.plan(m.vm).balloonTarget;
        expect(target).toBe(Math.round(prev + (want() - prev) / 4));
        prev = target;
        steps++;
      });
      for (let i = 0; i < 4; i++) host.tick();
      expect(steps).toBe(40);
      expect(Math.abs(prev - want())).toBeLessThanOrEqual(2);
      expect(want()).toBe(memsz - (m.os.kernelPages + 512) - 4096);
      const s = takeSnapshot(host).guests[0];
      expect(s.MCTLTGT).toBeCloseTo(prev / 256, 1);
      expect(s.MCTLSZ).toBeCloseTo(prev / 256, 0);
      // Committed_AS rises by 6000 pages: the target follows it down.
      const before = want();
      must(host, { type: 'startWorkload', guest: 'x', workload: wl('idle', 6000, { name: 'more' }) });
      expect(want()).toBe(before - 6000);
      for (let i = 0; i < 4; i++) host.tick();
      expect(Math.abs(prev - want())).toBeLessThanOrEqual(2);
      checkConservation(host);
      checkNoDataLoss(host);
    });
  });
});

// ---- guest swap of host-reclaimed pages -------------------------------------------------------------------

describe('double paging', () => {
  it('a guest paging out pages the host has swapped or compressed reads them back first: counted, data intact', () => {
    withHost({ pages: 64 * MiB, seed: 4 }, (host) => {
      const m = addGuest(host, guestConfig('d', 6144, { balloonDriver: false, guestSwapPages: 8192 }), [
        wl('idle', 3900),
      ]);
      tickUntil(host, () => !m.workloads[0].runnable, 10);
      must(host, { type: 'setLimit', guest: 'd', pages: 2600 });
      tickUntil(
        host,
        () => host.reclaimer.hostSwap.used(m.vm) + host.reclaimer.zip.usage(m.vm).pages > 2000,
        10,
      );
      must(host, { type: 'setLimit', guest: 'd', pages: null });
      // A second program needs the guest's memory: the guest pages the idle program out.
      must(host, {
        type: 'startWorkload',
        guest: 'd',
        workload: wl('java-heap', 1500, { name: 'new', locality: 0 }),
      });
      for (let i = 0; i < 5; i++) host.tick();
      expect(m.vm.stats.doublePaging).toBeGreaterThan(100);
      expect(m.os.stats.swapOuts).toBeGreaterThan(100);
      checkConservation(host);
      checkNoDataLoss(host);
    });
  });

  it('an operation the host admits with OP_FRAMES free frames never runs the host out of frames', () => {
    // The guest's anonymous pages are all host-swapped or compressed; its free list is empty; the host
    // has just what Host.mayRun asks of it. The guest's next allocation makes it reclaim 32 pages, and
    // each must be read back from host swap into a frame before it can go to guest swap.
    withHost({ pages: 64 * MiB, seed: 4 }, (host) => {
      // An idle program a little larger than the guest: the guest has already paged some of it out and
      // has no free page left.
      const m = addGuest(host, guestConfig('d', 6144, { balloonDriver: false, guestSwapPages: 8192 }), [
        wl('idle', 6144 - 2048 + 64),
      ]);
      tickUntil(host, () => !m.workloads[0].runnable, 10);
      must(host, { type: 'setLimit', guest: 'd', pages: 300 });
      const out = () => host.reclaimer.hostSwap.used(m.vm) + host.reclaimer.zip.usage(m.vm).pages;
      tickUntil(host, () => out() > 5500, 20);
      expect(m.os.freePages).toBe(0);
      // Something else takes the host's memory down to what one operation is promised.
      const taken: number[] = [];
      while (host.pool.freeFrames > OP_FRAMES) taken.push(host.pool.alloc(FrameKind.Overhead));
      must(host, { type: 'startWorkload', guest: 'd', workload: wl('memhog', 64, { name: 'new' }) });
      expect(() => host.tick()).not.toThrow();
      for (const f of taken) host.pool.release(f);
      host.tick();
      checkNoDataLoss(host);
    });
  });

  it('inflating a balloon over host-swapped memory never runs the host out of frames', () => {
    // The guest's memory went to host swap before its balloon driver loaded. Now the balloon must take
    // memory and the guest finds it by paging out anonymous pages, each read back from host swap first.
    withHost({ pages: 64 * MiB, seed: 4 }, (host) => {
      const m = addGuest(host, guestConfig('d', 6144, { balloonDriver: false, guestSwapPages: 8192 }), [
        wl('idle', 6144 - 2048 + 64),
      ]);
      tickUntil(host, () => !m.workloads[0].runnable, 10);
      must(host, { type: 'setLimit', guest: 'd', pages: 2500 });
      tickUntil(host, () => host.reclaimer.hostSwap.used(m.vm) > 2000, 20);
      m.vm.config = { ...m.vm.config, balloonDriver: true };
      must(host, { type: 'setLimit', guest: 'd', pages: 300 });
      // Other guests hold most of the host: 200 frames are left, far more than one operation needs.
      const taken: number[] = [];
      while (host.pool.freeFrames > 200) taken.push(host.pool.alloc(FrameKind.Overhead));
      expect(() => host.tick()).not.toThrow();
      for (const f of taken) host.pool.release(f);
      host.tick();
      checkNoDataLoss(host);
    });
  });
});
