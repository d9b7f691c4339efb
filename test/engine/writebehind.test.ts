/**
 * Batched writes (src/engine/store/writebehind.ts): whatever the order of writes, reads, discards and
 * flushes, and whatever fails, a read returns the last page written to its slot; a batch goes out sorted,
 * one call per run of consecutive slots; pages a failed batch did not write stay readable.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BYTE_OPS, ByteOp } from '../../src/engine/bytework.ts';
import { MemorySwapStore, StoreError, type SwapStore } from '../../src/engine/store/swapstore.ts';
import { BATCH_PAGES, WriteBehind } from '../../src/engine/store/writebehind.ts';
import { PAGE_SIZE } from '../../src/engine/units.ts';

/** A store in memory that records its calls and fails the writes it is told to. */
class Recorder implements SwapStore {
  readonly inner = new MemorySwapStore();
  readonly runs: [number, number][] = [];
  failing = false;
  write(slot: number, page: Uint8Array): void {
    this.writeRun(slot, [page]);
  }
  writeRun(slot: number, pages: readonly Uint8Array[]): void {
    if (this.failing) throw new StoreError('EIO', `injected at slot ${slot}`);
    this.runs.push([slot, pages.length]);
    for (let k = 0; k < pages.length; k++) this.inner.write(slot + k, pages[k]);
  }
  read(slot: number, into: Uint8Array): void {
    this.inner.read(slot, into);
  }
  close(): void {}
}

const pageOf = (n: number): Uint8Array => new Uint8Array(PAGE_SIZE).fill(n & 0xff).fill(n >> 8, 0, 8);

describe('WriteBehind', () => {
  it('reads back the last page written to each slot through any mix of operations and failures', () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant('write' as const), slot: fc.nat(300) }),
      fc.record({ t: fc.constant('read' as const), slot: fc.nat(300) }),
      fc.record({ t: fc.constant('discard' as const), slot: fc.nat(300) }),
      fc.record({ t: fc.constant('flush' as const) }),
      fc.record({ t: fc.constant('fail' as const), on: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const rec = new Recorder();
        const work = new Float64Array(BYTE_OPS.length);
        const wb = new WriteBehind(rec, work, 'swap');
        const model = new Map<number, number>();
        let n = 0;
        const into = new Uint8Array(PAGE_SIZE);
        for (const o of ops) {
          if (o.t === 'write') {
            try {
              wb.write(o.slot, pageOf(++n));
              model.set(o.slot, n);
            } catch (err) {
              // Only a full buffer that could not be sent refuses a write; the page is not taken.
              expect(err).toBeInstanceOf(StoreError);
              expect(wb.pending).toBe(BATCH_PAGES);
            }
          } else if (o.t === 'read') {
            if (!model.has(o.slot)) continue;
            wb.read(o.slot, into);
            expect(into[100]).toBe(model.get(o.slot)! & 0xff);
            expect(into[0]).toBe(model.get(o.slot)! >> 8);
          } else if (o.t === 'discard') {
            wb.discard(o.slot);
            model.delete(o.slot);
          } else if (o.t === 'flush') {
            try {
              wb.flush();
              expect(wb.pending).toBe(0);
            } catch (err) {
              expect(err).toBeInstanceOf(StoreError);
            }
          } else rec.failing = o.on;
        }
        rec.failing = false;
        wb.flush();
        // Everything still wanted is on the device now, as last written.
        for (const [slot, v] of model) {
          rec.inner.read(slot, into);
          expect(into[100]).toBe(v & 0xff);
        }
        const written = rec.runs.reduce((a, [, len]) => a + len, 0);
        expect(work[ByteOp.swapWrite] + work[ByteOp.freshWrite]).toBe(written);
      }),
      { numRuns: 150 },
    );
  });

  it('sends a batch sorted, one call per run of consecutive slots, when full or flushed', () => {
    const rec = new Recorder();
    const wb = new WriteBehind(rec, new Float64Array(BYTE_OPS.length), 'disk');
    for (const slot of [9, 3, 4, 10, 5, 20, 8]) wb.write(slot, pageOf(slot));
    expect(rec.runs).toEqual([]);
    wb.flush();
    expect(rec.runs).toEqual([
      [3, 3],
      [8, 3],
      [20, 1],
    ]);
    rec.runs.length = 0;
    for (let slot = 0; slot < BATCH_PAGES + 1; slot++) wb.write(1000 + slot, pageOf(slot));
    // The buffer filled: its batch went out as one run, the last page waits for the next.
    expect(rec.runs).toEqual([[1000, BATCH_PAGES]]);
    expect(wb.pending).toBe(1);
  });
});
