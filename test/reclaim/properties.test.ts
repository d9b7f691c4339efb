/**
 * The proofs: fast-check runs random mixes of guests, programs (random W/R traces among them), limit and
 * memory changes, workloads started, stopped and resized, and host pressure arriving and leaving, on small
 * hosts overcommitted 1.5 to 3 times with every mechanism on. Every program read is checked against the
 * process's own copy of what it wrote (DataLossError otherwise), every page-cache read and write against
 * the probe's copy of the file, conservation after every tick and command, and at the end every page of
 * every program is peeked wherever it is. Across the runs each page path must have been taken.
 *
 * Runs are reproducible: RECLAIM_SEED (default below) seeds fast-check; a failure prints seed and path.
 * A few runs each here; the bulk run that must take every path (10^6 reads) is one of the slower checks
 * .ci/run adds (test/ci/properties.ci.ts), and `npm run soak` runs the same mixes until 10^7 reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { VICTIM_POLICIES } from '../../src/engine/config.ts';
import { FrameKind } from '../../src/engine/framepool.ts';
import { PageState } from '../../src/engine/guest.ts';
import { DataLossError, verification } from '../../src/engine/process.ts';
import { StoreError } from '../../src/engine/store/swapstore.ts';
import { PAGE_SIZE } from '../../src/engine/units.ts';
import {
  addGuest,
  addPaths,
  ConservationError,
  checkConservation,
  checkNoDataLoss,
  emptyPaths,
  guestConfig,
  MiB,
  must,
  PathProbe,
  planArb,
  runPlan,
  tickUntil,
  withHost,
  wl,
} from './helpers.ts';

const SEED = Number(process.env.RECLAIM_SEED ?? 20261123);
const dir = mkdtempSync(join(tmpdir(), 'memvisor-props-'));
const startReads = verification.reads;
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(`properties: ${verification.reads - startReads} verified reads (fast-check seed ${SEED})`);
});

describe('every read returns the last write', () => {
  it('random mixes under every victim policy the hypervisor can be given', () => {
    const paths = emptyPaths();
    VICTIM_POLICIES.filter((v) => v !== 'random').forEach((victim, i) => {
      fc.assert(
        fc.property(planArb({ victims: [victim], maxSteps: 8 }), (plan) => {
          addPaths(paths, runPlan(plan, { dir }).paths);
        }),
        { numRuns: 1, seed: SEED + 10 + i, endOnFailure: true },
      );
    });
    expect(paths.zip + paths.hostSwapOut).toBeGreaterThan(0);
  });
});

describe('conservation', () => {
  it('holds after every tick and command with every mechanism active, tmem included', () => {
    fc.assert(
      fc.property(planArb({ tmem: true, victims: ['random'], maxSteps: 16 }), (plan) => {
        // runPlan checks conservation after every tick and every command, then once more at the end.
        runPlan(plan, { dir, tailTicks: 2 });
      }),
      { numRuns: 3, seed: SEED + 2, endOnFailure: true },
    );
  });
});

describe('the checks are live', () => {
  /** A guest under pressure with pages in frames, the compression cache and host swap. */
  function pressured<T>(fn: (host: Parameters<Parameters<typeof withHost>[1]>[0]) => T): T {
    return withHost({ pages: 64 * MiB, seed: 9 }, (host) => {
      const m = addGuest(host, guestConfig('g', 8192, { balloonDriver: false }), [wl('database', 5000)]);
      tickUntil(host, () => m.workloads[0].process.resident > 4000, 20);
      must(host, { type: 'setLimit', guest: 'g', pages: 3000 });
      tickUntil(
        host,
        () => m.vm.stateCount[PageState.Compressed] > 100 && m.vm.stateCount[PageState.Swapped] > 100,
        20,
      );
      return fn(host);
    });
  }

  it('a flipped byte in a frame behind a program page fails its next read', () => {
    pressured((host) => {
      const m = host.machines[0];
      const p = m.workloads[0].process;
      const v = [...Array(p.sizePages).keys()].find(
        (x) => p.pte[x] >= 0 && m.vm.pmapState[p.pte[x]] === PageState.Private,
      )!;
      host.pool.bytes(m.vm.pmapLoc[p.pte[v]])[100] ^= 1;
      expect(() => m.os.read(p, v)).toThrow(DataLossError);
      expect(() => checkNoDataLoss(host)).toThrow(DataLossError);
    });
  });

  it('a flipped byte in a compressed page is seen by the whole-space check', () => {
    pressured((host) => {
      const m = host.machines[0];
      const r = host.reclaimer;
      const gpn = [...Array(m.vm.pmapState.length).keys()].find(
        (x) => m.vm.pmapState[x] === PageState.Compressed && m.os.use[x] === 2,
      )!;
      // Corrupt the cache frame holding it: the half-page slot's first bytes.
      const slot = m.vm.pmapLoc[gpn];
      const frames = (r.zip as unknown as { caches: Map<number, { frames: number[] }> }).caches.get(
        m.vm.gid,
      )!.frames;
      host.pool.bytes(frames[slot >> 1])[(slot & 1) * (PAGE_SIZE / 2) + 40] ^= 0x10;
      expect(() => checkNoDataLoss(host)).toThrow();
    });
  });

  it('a broken reference count, frame count, owner or pmap count fails conservation', () => {
    withHost({ pages: 64 * MiB, reclaim: { sharing: 'ksm' } }, (host) => {
      const image = wl('os-image', 512, { writeFraction: 0 });
      addGuest(host, guestConfig('a', 4096), [{ ...image }, wl('idle', 64)]);
      addGuest(host, guestConfig('b', 4096), [{ ...image }]);
      for (let i = 0; i < 5; i++) host.tick();
      checkConservation(host);
      const vm = host.machines[0].vm;
      expect(vm.stateCount[PageState.Shared]).toBeGreaterThan(0);
      expect(vm.stateCount[PageState.Private]).toBeGreaterThan(0);
      const shared = vm.pmapLoc[vm.pmapState.indexOf(PageState.Shared)];
      const priv = vm.pmapLoc[vm.pmapState.indexOf(PageState.Private)];
      const breakages: [string, () => void, () => void][] = [
        ['refcount', () => host.pool.refcount[shared]++, () => host.pool.refcount[shared]--],
        [
          'kindCount',
          () => host.pool.kindCount[FrameKind.Tmem]++,
          () => host.pool.kindCount[FrameKind.Tmem]--,
        ],
        ['owner', () => host.pool.ownerPage[priv]++, () => host.pool.ownerPage[priv]--],
        ['stateCount', () => vm.stateCount[PageState.Swapped]++, () => vm.stateCount[PageState.Swapped]--],
      ];
      for (const [what, breakIt, fix] of breakages) {
        breakIt();
        expect(() => checkConservation(host), what).toThrow(ConservationError);
        fix();
        checkConservation(host);
      }
    });
  });

  it('a host swap slot with a flipped bit is refused by its checksum, never read back wrong', () => {
    pressured((host) => {
      const m = host.machines[0];
      const gpn = m.vm.pmapState.indexOf(PageState.Swapped);
      const into = new Uint8Array(PAGE_SIZE);
      m.vm.peek(gpn, into);
      // Through the store behind the swap file: corrupt what the checksum protects.
      const files = (host.reclaimer.hostSwap as unknown as { files: Map<number, { sums: Uint32Array }> })
        .files;
      files.get(m.vm.gid)!.sums[m.vm.pmapLoc[gpn]] ^= 1;
      expect(() => m.vm.peek(gpn, into)).toThrow(StoreError);
    });
  });

  it('a page-cache page that changes behind the guest fails the probe', () => {
    withHost({ pages: 64 * MiB }, (host) => {
      const m = addGuest(host, guestConfig('f', 8192), [wl('kernel-compile', 3000)]);
      const probe = new PathProbe(host);
      host.tick();
      expect(probe.counts.fileChecks).toBeGreaterThan(100);
      const file = [...m.os.files.values()][0];
      const fpage = file.pages.findIndex((g) => g >= 0);
      host.pool.bytes(m.vm.touch(file.pages[fpage], true))[7] ^= 1;
      expect(() => m.os.readFile(file, fpage, false)).toThrow(DataLossError);
    });
  });
});
