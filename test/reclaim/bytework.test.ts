/**
 * The byte-work counters (src/engine/bytework.ts) count what the mechanisms do: swap writes and reads of
 * host swap files and guest swap devices, every compression, and no frame cleared for a page the guest
 * writes whole.
 */
import { describe, expect, it } from 'vitest';
import { ByteOp } from '../../src/engine/bytework.ts';
import { FrameKind } from '../../src/engine/framepool.ts';
import { addGuest, checkNoDataLoss, guestConfig, MiB, withHost, wl } from './helpers.ts';

describe('byte work', () => {
  it('counts swap writes and reads, host and guest, and every compression', () => {
    withHost({ pages: 40 * MiB, seed: 3 }, (host) => {
      addGuest(host, guestConfig('hog', 4096, { balloonDriver: false }), [
        wl('memhog', 3000, { locality: 0.6 }),
      ]);
      addGuest(host, guestConfig('db', 4096), [wl('database', 3000, { locality: 0.6 })]);
      for (let i = 0; i < 12; i++) host.tick();
      const work = host.pool.work.pages;
      let writes = 0;
      let reads = 0;
      let zips = 0;
      for (const m of host.machines) {
        writes += m.vm.stats.swapOuts + m.os.stats.swapOuts;
        reads += m.vm.stats.swapIns + m.os.stats.swapIns;
        zips += m.vm.stats.zips;
      }
      expect(writes).toBeGreaterThan(100);
      expect(reads).toBeGreaterThan(10);
      // Pages go out in batches: a page read back (or dropped) before its batch went is never written,
      // and its read is a copy from the batch. Writes that grew a swap file are counted apart.
      const written = work[ByteOp.swapWrite] + work[ByteOp.freshWrite];
      expect(work[ByteOp.freshWrite]).toBeGreaterThan(0);
      expect(written).toBeLessThanOrEqual(writes);
      expect(written).toBeGreaterThan(writes / 2);
      expect(work[ByteOp.swapRead]).toBeLessThanOrEqual(reads);
      expect(work[ByteOp.swapRead]).toBeGreaterThan(0);
      // Every page stored was compressed; incompressible ones were compressed too, then swapped.
      expect(work[ByteOp.compress]).toBeGreaterThanOrEqual(zips);
      expect(work[ByteOp.access]).toBeGreaterThan(work[ByteOp.swapRead]);
      checkNoDataLoss(host);
    });
  });

  it('clears no frame for pages written whole: a program filling its memory on first touch', () => {
    withHost({ pages: 32 * MiB, seed: 4 }, (host) => {
      // Use every free frame once, so none is fresh (fresh memory is zero and never needs clearing).
      const used: number[] = [];
      for (let f = host.pool.alloc(FrameKind.Private); f >= 0; f = host.pool.alloc(FrameKind.Private))
        used.push(f);
      for (const f of used) host.pool.release(f);
      const work = host.pool.work.pages;
      const [cleared, fresh] = [work[ByteOp.zero], work[ByteOp.freshFrame]];
      expect(fresh).toBe(host.pool.frameCount);
      addGuest(host, guestConfig('idle', 2048), [wl('idle', 1500)]);
      for (let i = 0; i < 3; i++) host.tick();
      // The kernel and 1500 program pages were written whole: no frame was cleared for them.
      expect(work[ByteOp.copy]).toBeGreaterThan(1500);
      expect(work[ByteOp.freshFrame]).toBe(fresh);
      expect(work[ByteOp.zero] - cleared).toBe(0);
      checkNoDataLoss(host);
    });
  });
});
