/**
 * The --dump-dir round trip under an overcommitted host with every mechanism active: random W/R traces
 * (seeded, written to temp files) replay in several guests next to programs that press on memory, on a
 * host far too small for them. Once every trace is done, and after the host has had time to move their
 * pages (shared, compressed, host-swapped, guest-swapped, frontswapped), `dumpAddressSpaces` must give
 * images equal to a plain buffer with the same writes applied (page numbers folded: page % size).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WorkloadSpec } from '../../src/engine/config.ts';
import { verification } from '../../src/engine/process.ts';
import { takeSnapshot } from '../../src/engine/snapshot-build.ts';
import { dumpAddressSpaces } from '../../src/output/dump.ts';
import {
  ALL_MECHANISMS,
  addGuest,
  checkConservation,
  checkDump,
  emptyPlaces,
  guestConfig,
  MiB,
  makeHost,
  makeTrace,
  must,
  PathProbe,
  type PlaceCounts,
  placesOf,
  type TraceOpSpec,
  type TraceParams,
  traceImage,
  traceText,
  wl,
} from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface TraceRun {
  guest: string;
  workload: string;
  sizePages: number;
  ops: TraceOpSpec[];
}

describe('--dump-dir round trip', () => {
  it.each([
    { tmem: false, seed: 21 },
    { tmem: true, seed: 22 },
  ])(
    'tmem $tmem: every trace image equals its writes applied to a plain buffer',
    ({ tmem, seed }) => {
      const dir = mkdtempSync(join(tmpdir(), 'memvisor-dump-'));
      dirs.push(dir);
      const params: TraceParams[] = [
        { seed: seed * 1000 + 1, ops: 6000, pageSpan: 2048, writeFraction: 0.5, maxBytes: 64 },
        { seed: seed * 1000 + 2, ops: 5000, pageSpan: 1500, writeFraction: 0.7, maxBytes: 512 },
        { seed: seed * 1000 + 3, ops: 5000, pageSpan: 1024, writeFraction: 0.4, maxBytes: 16 },
        { seed: seed * 1000 + 4, ops: 4000, pageSpan: 512, writeFraction: 0.6, maxBytes: 256 },
      ];
      const ops = params.map(makeTrace);
      const files = ops.map((o, i) => {
        const f = join(dir, `t${i}.trace`);
        writeFileSync(f, traceText(o));
        return f;
      });
      const traces: TraceRun[] = [];
      const trace = (guest: string, name: string, t: number, sizePages: number): WorkloadSpec => {
        traces.push({ guest, workload: name, sizePages, ops: ops[t] });
        return wl('trace', sizePages, { name, file: files[t] });
      };

      const host = makeHost({ pages: 64 * MiB, seed, reclaim: { ...ALL_MECHANISMS, tmem } });
      try {
        // ~1.9x the host: two ballooning guests running the same trace t0 (identical pages to share),
        // one guest without a balloon driver (host swap), one small guest whose programs overflow it.
        addGuest(host, guestConfig('g0', 9000, { guestSwapPages: 9000 }), [
          wl('boot', 0),
          trace('g0', 'ta', 0, 1024),
          trace('g0', 'tb', 1, 512),
          wl('database', 4000, { locality: 0.6 }),
        ]);
        addGuest(host, guestConfig('g1', 9000, { guestSwapPages: 9000 }), [
          trace('g1', 'ta', 0, 1024),
          wl('os-image', 1024),
          wl('java-heap', 4000, { locality: 0.6 }),
        ]);
        addGuest(host, guestConfig('g2', 8000, { balloonDriver: false, guestSwapPages: 8000 }), [
          trace('g2', 'tc', 2, 768),
          wl('memhog', 4500, { locality: 0.5 }),
        ]);
        addGuest(host, guestConfig('g3', 3584, { balloonDriver: false, guestSwapPages: 8192 }), [
          trace('g3', 'td', 3, 300),
          wl('file-copy', 1536),
          wl('database', 1500, { workingSet: 0.6, locality: 0.5 }),
        ]);
        const probe = new PathProbe(host);
        const max = {
          SHRD: 0,
          ZERO: 0,
          zipped: 0,
          SWCUR: 0,
          MCTLSZ: 0,
          guestSwap: 0,
          ephGets: 0,
          persGets: 0,
        };
        const seen = emptyPlaces();
        const reads0 = verification.reads;
        const traceWorkloads = () =>
          host.machines.flatMap((m) =>
            m.workloads.filter((w) => w.spec.type === 'trace').map((w) => ({ m, w })),
          );
        const observe = (): void => {
          probe.sync();
          checkConservation(host);
          for (const g of takeSnapshot(host).guests) {
            max.SHRD = Math.max(max.SHRD, g.SHRD ?? 0);
            max.ZERO = Math.max(max.ZERO, g.ZERO ?? 0);
            max.zipped = Math.max(max.zipped, g.zippedMB ?? 0);
            max.SWCUR = Math.max(max.SWCUR, g.SWCUR ?? 0);
            max.MCTLSZ = Math.max(max.MCTLSZ, g.MCTLSZ ?? 0);
            max.guestSwap = Math.max(max.guestSwap, g.guestOs.swapUsedMB);
            max.ephGets = Math.max(max.ephGets, g['Succ eph gets'] ?? 0);
            max.persGets = Math.max(max.persGets, g['Succ pers gets'] ?? 0);
          }
          for (const { m, w } of traceWorkloads()) {
            const here = placesOf(host, m, w.process.pid);
            for (const k of Object.keys(seen) as (keyof PlaceCounts)[]) seen[k] = Math.max(seen[k], here[k]);
          }
        };
        let ticks = 0;
        while (traceWorkloads().some(({ w }) => w.state === 'running')) {
          if (++ticks > 100) throw new Error('the traces did not finish in 100 ticks');
          host.tick();
          observe();
        }
        for (const { w } of traceWorkloads()) expect(w.state, w.spec.name).toBe('done');
        // The traces are done; their pages sit idle while the other programs press on memory.
        for (let i = 0; i < 8; i++) {
          host.tick();
          observe();
        }
        // Pages really went through every mechanism while the traces ran and sat idle.
        expect(max.SHRD).toBeGreaterThan(0);
        expect(max.ZERO).toBeGreaterThan(0);
        expect(max.zipped).toBeGreaterThan(0);
        expect(max.SWCUR).toBeGreaterThan(0);
        expect(max.MCTLSZ).toBeGreaterThan(0);
        expect(max.guestSwap).toBeGreaterThan(0);
        // ... and trace pages themselves were shared, compressed or swapped, and guest-swapped.
        expect(seen.shared, JSON.stringify(seen)).toBeGreaterThan(0);
        expect(seen.compressed + seen.swapped, JSON.stringify(seen)).toBeGreaterThan(0);
        expect(seen.guestSwap + seen.frontswap, JSON.stringify(seen)).toBeGreaterThan(0);
        // The traces' own reads were verified on the way (a DataLossError would have failed a tick).
        expect(verification.reads - reads0).toBeGreaterThan(10000);

        const images = new Map(
          traces.map((t) => [`${t.guest}.${t.workload}`, traceImage(t.ops, t.sizePages)]),
        );
        /** Dumps the host and checks every image; returns where the trace pages were when dumped. */
        const roundTrip = (name: string): PlaceCounts => {
          const at = emptyPlaces();
          for (const { m, w } of traceWorkloads()) placesOf(host, m, w.process.pid, at);
          const out = join(dir, name);
          const written = dumpAddressSpaces(host, out);
          const live = host.machines.reduce(
            (a, m) => a + m.workloads.filter((w) => m.os.processes.has(w.process.pid)).length,
            0,
          );
          expect(written.written.length).toBe(live);
          expect(written.failed).toEqual([]);
          // Traces against their writes applied to a plain buffer, every other program against its shadow.
          expect(checkDump(host, out, new Set(), (g, w) => images.get(`${g}.${w}`))).toBe(live);
          return at;
        };
        const first = roundTrip('dump1');
        // The dump read trace pages from more than plain private frames.
        expect(
          first.shared + first.compressed + first.swapped + first.guestSwap + first.frontswap,
        ).toBeGreaterThan(0);

        // Then the pressure goes (g2 is powered off): fallow memory for tmem, the balloons deflate and the
        // guests take their pages back; a second dump must still match.
        probe.sync();
        must(host, { type: 'removeGuest', guest: 'g2' });
        for (let i = 0; i < 6; i++) {
          host.tick();
          observe();
        }
        if (tmem) {
          expect(max.ephGets).toBeGreaterThan(0);
          expect(max.persGets).toBeGreaterThan(0);
        }
        expect(probe.counts.deflated).toBeGreaterThan(0);
        roundTrip('dump2');
      } finally {
        host.close();
      }
    },
    120_000,
  );
});
