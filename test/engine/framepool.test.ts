import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteOp } from '../../src/engine/bytework.ts';
import { FRAME_KINDS, FRAMES_PER_SLAB, FrameKind, FramePool, offsetOf } from '../../src/engine/framepool.ts';
import { PAGE_SIZE } from '../../src/engine/units.ts';

const counts = (pool: FramePool): number[] => Array.from(pool.kindCount);
const isZero = (bytes: Uint8Array): boolean => bytes.every((b) => b === 0);

describe('FramePool', () => {
  it('starts with every frame free in one slab', () => {
    const pool = new FramePool(100);
    expect(pool.frameCount).toBe(100);
    expect(pool.freeFrames).toBe(100);
    expect(pool.slabs).toHaveLength(1);
    expect(pool.slabs[0].length).toBe(100 * PAGE_SIZE);
    expect(counts(pool)).toEqual([100, 0, 0, 0, 0, 0]);
    expect(Array.from(pool.recount())).toEqual(counts(pool));
    expect(pool.owner.every((o) => o === -1)).toBe(true);
    expect(pool.ownerPage.every((o) => o === -1)).toBe(true);
  });

  it('hands out the lowest frames first, with the kind and a refcount of 1', () => {
    const pool = new FramePool(8);
    expect([
      pool.alloc(FrameKind.Private),
      pool.alloc(FrameKind.Overhead),
      pool.alloc(FrameKind.Tmem),
    ]).toEqual([0, 1, 2]);
    expect(Array.from(pool.kind.subarray(0, 4))).toEqual([
      FrameKind.Private,
      FrameKind.Overhead,
      FrameKind.Tmem,
      FrameKind.Free,
    ]);
    expect(Array.from(pool.refcount.subarray(0, 4))).toEqual([1, 1, 1, 0]);
    expect(pool.freeFrames).toBe(5);
    expect(counts(pool)).toEqual([5, 1, 0, 0, 1, 1]);
    expect(Array.from(pool.recount())).toEqual(counts(pool));
  });

  it('takes a released frame back, resetting its kind, refcount and reverse map', () => {
    const pool = new FramePool(4);
    const f = pool.alloc(FrameKind.Private);
    pool.owner[f] = 3;
    pool.ownerPage[f] = 77;
    pool.release(f);
    expect(pool.kind[f]).toBe(FrameKind.Free);
    expect(pool.refcount[f]).toBe(0);
    expect(pool.owner[f]).toBe(-1);
    expect(pool.ownerPage[f]).toBe(-1);
    expect(pool.freeFrames).toBe(4);
    expect(counts(pool)).toEqual([4, 0, 0, 0, 0, 0]);
    // The most recently released frame is the next one handed out.
    pool.alloc(FrameKind.Private);
    const g = pool.alloc(FrameKind.Private);
    pool.release(g);
    expect(pool.alloc(FrameKind.Shared)).toBe(g);
  });

  it('zeroes a frame when it is handed out again after being dirtied', () => {
    const pool = new FramePool(4);
    const f = pool.alloc(FrameKind.Private);
    pool.bytes(f).fill(0xa5);
    pool.release(f);
    // Released frames keep their bytes until reuse.
    expect(pool.bytes(f)[123]).toBe(0xa5);
    expect(pool.alloc(FrameKind.Private)).toBe(f);
    expect(isZero(pool.bytes(f))).toBe(true);
  });

  it('zeroes only the frame it hands out, not its neighbours', () => {
    const pool = new FramePool(3);
    const [a, b, c] = [
      pool.alloc(FrameKind.Private),
      pool.alloc(FrameKind.Private),
      pool.alloc(FrameKind.Private),
    ];
    pool.bytes(a).fill(1);
    pool.bytes(b).fill(2);
    pool.bytes(c).fill(3);
    pool.release(b);
    expect(pool.alloc(FrameKind.Private)).toBe(b);
    expect(isZero(pool.bytes(b))).toBe(true);
    expect(pool.bytes(a).every((x) => x === 1)).toBe(true);
    expect(pool.bytes(c).every((x) => x === 3)).toBe(true);
  });

  it('hands out fresh frames without clearing them (they are zero) and clears a reused one', () => {
    const pool = new FramePool(4);
    const zeroed = (): number => pool.work.pages[ByteOp.zero];
    const a = pool.alloc(FrameKind.Private);
    const b = pool.alloc(FrameKind.Private);
    expect([zeroed(), pool.work.pages[ByteOp.freshFrame]]).toEqual([0, 2]);
    expect(isZero(pool.bytes(a)) && isZero(pool.bytes(b))).toBe(true);
    pool.bytes(a).fill(7);
    pool.release(a);
    // The released frame is on top of the free stack: reused, so cleared (and not fresh).
    expect(pool.alloc(FrameKind.Private)).toBe(a);
    expect(isZero(pool.bytes(a))).toBe(true);
    expect([zeroed(), pool.work.pages[ByteOp.freshFrame]]).toEqual([1, 2]);
    // Below the reused frames the fresh ones are still fresh.
    expect(pool.alloc(FrameKind.Private)).toBe(2);
    expect([zeroed(), pool.work.pages[ByteOp.freshFrame]]).toEqual([1, 3]);
  });

  it('allocUnzeroed leaves a reused frame as it was, for a caller that overwrites it whole', () => {
    const pool = new FramePool(2);
    const f = pool.alloc(FrameKind.Private);
    pool.bytes(f).fill(9);
    pool.release(f);
    expect(pool.allocUnzeroed(FrameKind.Tmem)).toBe(f);
    expect(pool.bytes(f)[4095]).toBe(9);
    expect(pool.work.pages[ByteOp.zero]).toBe(0);
    expect(counts(pool)).toEqual([1, 0, 0, 0, 1, 0]);
  });

  it('counts the bytes it writes and copies, in pages', () => {
    const pool = new FramePool(3);
    const [a, b] = [pool.alloc(FrameKind.Private), pool.alloc(FrameKind.Private)];
    pool.write(a, 100, new Uint8Array(1024).fill(3));
    pool.copyFrame(a, b);
    const into = new Uint8Array(PAGE_SIZE);
    pool.read(b, into);
    expect(into[100]).toBe(3);
    expect(into[1124]).toBe(0);
    expect(pool.work.pages[ByteOp.copy]).toBe(2.25);
  });

  it('answers -1 when no frame is free, changing nothing', () => {
    const pool = new FramePool(2);
    pool.alloc(FrameKind.Private);
    pool.alloc(FrameKind.Private);
    const before = counts(pool);
    expect(pool.alloc(FrameKind.Private)).toBe(-1);
    expect(pool.freeFrames).toBe(0);
    expect(counts(pool)).toEqual(before);
  });

  it('throws on a double free and keeps its counts', () => {
    const pool = new FramePool(4);
    const f = pool.alloc(FrameKind.Private);
    pool.release(f);
    const before = counts(pool);
    expect(() => pool.release(f)).toThrow(`frame ${f} freed twice`);
    expect(() => pool.release(3)).toThrow('frame 3 freed twice');
    expect(counts(pool)).toEqual(before);
    expect(pool.freeFrames).toBe(4);
  });

  it('moves a frame between kinds with setKind, keeping the counters', () => {
    const pool = new FramePool(4);
    const f = pool.alloc(FrameKind.Private);
    pool.setKind(f, FrameKind.Shared);
    expect(pool.kind[f]).toBe(FrameKind.Shared);
    expect(counts(pool)).toEqual([3, 0, 1, 0, 0, 0]);
    expect(Array.from(pool.recount())).toEqual(counts(pool));
    pool.release(f);
    expect(counts(pool)).toEqual([4, 0, 0, 0, 0, 0]);
  });

  it('keeps kindCount equal to a recount over any sequence of operations', () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant('alloc' as const), kind: fc.integer({ min: 1, max: FRAME_KINDS - 1 }) }),
      fc.record({ t: fc.constant('release' as const), pick: fc.nat() }),
      fc.record({ t: fc.constant('setKind' as const), pick: fc.nat(), kind: fc.integer({ min: 1, max: 5 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(op, { maxLength: 200 }), (n, ops) => {
        const pool = new FramePool(n);
        const held: number[] = [];
        for (const o of ops) {
          if (o.t === 'alloc') {
            const f = pool.alloc(o.kind as FrameKind);
            if (held.length === n) expect(f).toBe(-1);
            else {
              expect(f).toBeGreaterThanOrEqual(0);
              expect(held).not.toContain(f);
              expect(isZero(pool.bytes(f))).toBe(true);
              pool.bytes(f).fill(0xff); // dirty it, so a reuse must zero it
              held.push(f);
            }
          } else if (held.length > 0) {
            const i = o.pick % held.length;
            if (o.t === 'release') pool.release(held.splice(i, 1)[0]);
            else pool.setKind(held[i], o.kind as FrameKind);
          }
          const recount = Array.from(pool.recount());
          expect(counts(pool)).toEqual(recount);
          expect(recount.reduce((a, b) => a + b, 0)).toBe(n);
          expect(pool.freeFrames).toBe(n - held.length);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('rejects a frame count that is not a positive whole number', () => {
    for (const n of [0, -1, -4096, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new FramePool(n), String(n)).toThrow(RangeError);
    }
    expect(() => new FramePool(0)).toThrow('frame count 0');
    expect(new FramePool(1).frameCount).toBe(1);
  });

  describe('more than one slab', () => {
    // Just over 1 GiB: a full slab and a second slab of 3 frames. Typed arrays are zero-filled lazily.
    const pool = new FramePool(FRAMES_PER_SLAB + 3);
    const lastOfFirst = FRAMES_PER_SLAB - 1;
    const firstOfSecond = FRAMES_PER_SLAB;

    it('splits frames into slabs of at most FRAMES_PER_SLAB', () => {
      expect(FRAMES_PER_SLAB).toBe(262144);
      expect(pool.slabs).toHaveLength(2);
      expect(pool.slabs[0].length).toBe(FRAMES_PER_SLAB * PAGE_SIZE);
      expect(pool.slabs[1].length).toBe(3 * PAGE_SIZE);
      expect(pool.slabOf(lastOfFirst)).toBe(pool.slabs[0]);
      expect(pool.slabOf(firstOfSecond)).toBe(pool.slabs[1]);
      expect(offsetOf(firstOfSecond + 2)).toBe(2 * PAGE_SIZE);
      expect(offsetOf(lastOfFirst)).toBe((FRAMES_PER_SLAB - 1) * PAGE_SIZE);
      expect(pool.freeFrames).toBe(FRAMES_PER_SLAB + 3);
      expect(pool.recount()[FrameKind.Free]).toBe(FRAMES_PER_SLAB + 3);
    });

    it('gives each frame its own 4 KiB view in the right slab', () => {
      const a = pool.bytes(lastOfFirst);
      const b = pool.bytes(firstOfSecond + 1);
      expect(a.length).toBe(PAGE_SIZE);
      expect(b.length).toBe(PAGE_SIZE);
      a.fill(0x11);
      b.fill(0x22);
      expect(pool.slabs[0][FRAMES_PER_SLAB * PAGE_SIZE - 1]).toBe(0x11);
      expect(pool.slabs[0][(FRAMES_PER_SLAB - 1) * PAGE_SIZE - 1]).toBe(0);
      expect(pool.slabs[1][PAGE_SIZE]).toBe(0x22);
      expect(pool.slabs[1][2 * PAGE_SIZE - 1]).toBe(0x22);
      expect(isZero(pool.bytes(firstOfSecond))).toBe(true);
      expect(isZero(pool.bytes(firstOfSecond + 2))).toBe(true);
    });

    it('copies frames across slabs in both directions', () => {
      const src = pool.bytes(5);
      for (let i = 0; i < PAGE_SIZE; i++) src[i] = (i * 7 + 3) & 0xff;
      pool.copyFrame(5, firstOfSecond + 2);
      expect(Buffer.from(pool.bytes(firstOfSecond + 2)).equals(Buffer.from(src))).toBe(true);
      expect(isZero(pool.bytes(firstOfSecond))).toBe(true);

      const back = pool.bytes(firstOfSecond);
      for (let i = 0; i < PAGE_SIZE; i++) back[i] = (i * 13 + 1) & 0xff;
      pool.copyFrame(firstOfSecond, 9);
      expect(Buffer.from(pool.bytes(9)).equals(Buffer.from(back))).toBe(true);
      // Neighbours in the destination slab are untouched.
      expect(isZero(pool.bytes(8))).toBe(true);
      expect(isZero(pool.bytes(10))).toBe(true);
    });

    it('copies within the second slab', () => {
      pool.bytes(firstOfSecond + 1).fill(0x5a);
      pool.copyFrame(firstOfSecond + 1, firstOfSecond);
      expect(pool.bytes(firstOfSecond).every((x) => x === 0x5a)).toBe(true);
    });
  });
});
