import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fillPage } from '../../src/engine/content.ts';
import { GpnUse, type GuestFile, type GuestOS, kernelPagesFor } from '../../src/engine/guestos.ts';
import type { Host } from '../../src/engine/host.ts';
import type { Machine } from '../../src/engine/machine.ts';
import { DataLossError, type Process } from '../../src/engine/process.ts';
import { Rng } from '../../src/engine/rng.ts';
import { takeSnapshot } from '../../src/engine/snapshot-build.ts';
import { PAGE_SIZE, pagesToMB, round2 } from '../../src/engine/units.ts';
import { workloadSpec } from '../../src/engine/workloads/defaults.ts';
import { checkConservation, guestConfig, machineOf, makeHost, must, tickUntil } from './helpers.ts';

const KERNEL = 2048; // kernelPagesFor of any guest under 266 MiB
/** A guest with room for 512 pages besides its kernel. */
const SMALL = KERNEL + 512;

const page = (kind: 'random' | 'text' | 'heap', seed: number, index: number): Uint8Array => {
  const p = new Uint8Array(PAGE_SIZE);
  fillPage(p, kind, seed, index);
  return p;
};
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));
/** A process page read as the process reads it, and its bytes. */
const readOf = (os: GuestOS, p: Process, v: number): Uint8Array => {
  const into = new Uint8Array(PAGE_SIZE);
  os.read(p, v, into);
  return into;
};
/** A file page read through the page cache, and its bytes. */
const fileOf = (os: GuestOS, f: GuestFile, i: number, sequential: boolean): Uint8Array => {
  const into = new Uint8Array(PAGE_SIZE);
  os.readFile(f, i, sequential, into);
  return into;
};
const isZero = (a: Uint8Array): boolean => a.every((x) => x === 0);

let host: Host;
let m: Machine;
let os: GuestOS;

function addSmallGuest(over: Parameters<typeof guestConfig>[2] = {}): void {
  must(host, { type: 'addGuest', guest: guestConfig('g', SMALL, { guestSwapPages: 4096, ...over }) });
  m = machineOf(host, 'g');
  os = m.os;
}

beforeEach(() => {
  host = makeHost(16384);
});
afterEach(() => {
  host.close();
});

describe('a process in a guest', () => {
  beforeEach(() => addSmallGuest());

  it('reads back what it wrote, with zeros around it and in untouched pages', () => {
    expect(kernelPagesFor(SMALL)).toBe(KERNEL);
    const p = os.spawn('t', 64);
    const data = new Uint8Array([1, 2, 3, 250]);
    os.write(p, 5, 100, data);
    os.write(p, 5, 4092, data);
    const got = readOf(os, p, 5);
    expect(Array.from(got.subarray(100, 104))).toEqual([1, 2, 3, 250]);
    expect(Array.from(got.subarray(4092))).toEqual([1, 2, 3, 250]);
    expect(isZero(got.subarray(0, 100))).toBe(true);
    expect(isZero(got.subarray(104, 4092))).toBe(true);
    expect(isZero(readOf(os, p, 6))).toBe(true);
    expect(p.resident).toBe(2);
    expect(p.swapped).toBe(0);
    expect(os.useCount[GpnUse.Anon]).toBe(2);
    expect(os.isMapped(p, 5)).toBe(true);
    expect(os.isMapped(p, 7)).toBe(false);
    checkConservation(host);
  });

  it('with verify, a read of bytes other than those written throws DataLossError', () => {
    const p = os.spawn('t', 4);
    os.write(p, 1, 0, new Uint8Array([9, 9, 9]));
    const gpn = p.pte[1];
    const frame = m.vm.pmapLoc[gpn];
    host.pool.bytes(frame)[2] ^= 0xff; // corrupt the page behind the process's back
    expect(() => os.read(p, 1)).toThrow(DataLossError);
    expect(() => os.read(p, 1)).toThrow('process t page 1: byte 2 reads 246, last written 9');
  });

  it('gives a fresh page zeros even when the guest page was used before', () => {
    const a = os.spawn('a', 400);
    for (let v = 0; v < 400; v++) os.fill(a, v, 'random', 1);
    os.exit(a);
    const b = os.spawn('b', 400);
    for (let v = 0; v < 400; v++) expect(isZero(readOf(os, b, v)), `page ${v}`).toBe(true);
  });

  it('pages anonymous memory out to guest swap and back with its bytes intact', () => {
    const size = 1500; // three times what fits
    const p = os.spawn('big', size);
    const want: Uint8Array[] = [];
    for (let v = 0; v < size; v++) {
      os.fill(p, v, 'random', 42);
      want.push(page('random', 42, v));
    }
    expect(os.stats.swapOuts).toBeGreaterThan(0);
    expect(p.swapped).toBeGreaterThan(0);
    expect(p.resident + p.swapped).toBe(size);
    expect(os.swapSlots.used).toBe(p.swapped);
    expect(os.useCount[GpnUse.Anon]).toBe(p.resident);
    expect(os.freePages).toBeLessThan(32); // reclaim frees 32 pages at a time

    // Small writes all over, then everything read back twice, in a random order.
    const rng = new Rng(3);
    for (let i = 0; i < 3000; i++) {
      const v = rng.int(size);
      const off = rng.int(PAGE_SIZE - 8);
      const rec = Uint8Array.from({ length: 8 }, () => rng.int(256));
      os.write(p, v, off, rec);
      want[v].set(rec, off);
    }
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < size; i++) {
        const v = rng.int(size);
        expect(same(readOf(os, p, v), want[v]), `page ${v}`).toBe(true);
      }
    }
    expect(os.stats.swapIns).toBeGreaterThan(1000);
    // Without tmem every swap-in and swap-out is a transfer with the guest's swap device.
    expect(os.stats.storageReads).toBe(os.stats.swapIns);
    expect(os.stats.storageWrites).toBe(os.stats.swapOuts);
    expect(p.resident + p.swapped).toBe(size);
    expect(os.swapSlots.used).toBe(p.swapped);
    checkConservation(host);
  });

  it('peek shows what a read would, without moving any page', () => {
    const size = 1200;
    const p = os.spawn('big', size);
    for (let v = 0; v < size - 100; v++) os.fill(p, v, 'heap', 5);
    os.write(p, 3, 7, new Uint8Array([1, 2, 3]));
    const before = { ...os.stats, resident: p.resident, swapped: p.swapped, used: os.swapSlots.used };
    const pte = p.pte.slice();
    const peeked: Uint8Array[] = [];
    for (let v = 0; v < size; v++) {
      const into = new Uint8Array(PAGE_SIZE).fill(0xee);
      os.peek(p, v, into);
      peeked.push(into);
    }
    expect({ ...os.stats, resident: p.resident, swapped: p.swapped, used: os.swapSlots.used }).toEqual(
      before,
    );
    expect(Array.from(p.pte)).toEqual(Array.from(pte));
    expect(os.isMapped(p, size - 1)).toBe(false);
    expect(isZero(peeked[size - 1])).toBe(true);
    expect(Array.from(peeked[3].subarray(7, 10))).toEqual([1, 2, 3]);
    for (let v = 0; v < size; v++) expect(same(readOf(os, p, v), peeked[v]), `page ${v}`).toBe(true);
  });

  it('frees its pages and swap slots when it exits', () => {
    const freeBefore = os.freePages;
    const p = os.spawn('big', 900);
    for (let v = 0; v < 900; v++) os.fill(p, v, 'heap', 1);
    expect(p.swapped).toBeGreaterThan(0);
    os.exit(p);
    expect(os.processes.has(p.pid)).toBe(false);
    expect(os.freePages).toBe(freeBefore);
    expect(os.useCount[GpnUse.Anon]).toBe(0);
    expect(os.swapSlots.used).toBe(0);
    // The guest pages stay backed by host frames: exit is invisible to the hypervisor.
    expect(m.vm.stateCount[1]).toBe(SMALL);
    checkConservation(host);
  });

  it('frees the pages beyond the new end when shrunk, and reads zeros there when grown back', () => {
    const p = os.spawn('r', 800);
    for (let v = 0; v < 800; v++) os.fill(p, v, 'heap', 2);
    os.resize(p, 100);
    expect(p.sizePages).toBe(100);
    expect(p.resident + p.swapped).toBe(100);
    expect(os.swapSlots.used).toBe(p.swapped);
    expect(os.useCount[GpnUse.Anon]).toBe(p.resident);
    for (let v = 0; v < 100; v++) expect(same(readOf(os, p, v), page('heap', 2, v))).toBe(true);
    os.resize(p, 300);
    for (let v = 100; v < 300; v++) expect(isZero(readOf(os, p, v))).toBe(true);
  });
});

describe('the page cache', () => {
  beforeEach(() => addSmallGuest());

  it('drops clean pages under pressure and reads them again from the file', () => {
    const f = os.openFile('src', 1500, 'text', 9);
    for (let i = 0; i < 1500; i++) expect(same(fileOf(os, f, i, true), page('text', 9, i))).toBe(true);
    expect(os.stats.cacheMisses).toBe(1500);
    expect(os.stats.cacheDrops).toBeGreaterThanOrEqual(1500 - 512);
    expect(os.stats.writebacks).toBe(0);
    expect(os.useCount[GpnUse.CacheClean]).toBeLessThanOrEqual(512);
    // The first pages were dropped: reading them again is a miss with the same bytes.
    expect(f.pages[0]).toBe(-1);
    expect(same(fileOf(os, f, 0, false), page('text', 9, 0))).toBe(true);
    expect(os.stats.cacheMisses).toBe(1501);
    // A page still cached is a hit.
    const cached = f.pages.findIndex((g) => g >= 0);
    os.readFile(f, cached, false);
    expect(os.stats.cacheHits).toBe(1);
    // Every miss was a read from the guest's storage; a hit was not; nothing was written.
    expect(os.stats.storageReads).toBe(1501);
    expect(os.stats.storageWrites).toBe(0);
    checkConservation(host);
  });

  it('counts the storage reads tmem saves: a cleancache hit is no read from the disk', () => {
    host.close();
    host = makeHost(16384, 7, undefined, 'xen-tmem');
    addSmallGuest();
    const f = os.openFile('src', 1500, 'text', 9);
    for (let pass = 0; pass < 2; pass++) for (let i = 0; i < 1500; i++) os.readFile(f, i, true);
    const tmem = host.reclaimer.tmem.statsOf(m.vm.gid);
    expect(tmem.succEphGets).toBeGreaterThan(0);
    expect(os.stats.cacheMisses).toBe(3000 - os.stats.cacheHits);
    expect(os.stats.storageReads).toBe(os.stats.cacheMisses - tmem.succEphGets);
    host.tick();
    const g = takeSnapshot(host).guests[0].guestOs;
    expect(g.storageReads).toBe(os.stats.storageReads);
    expect(g.storageWrites).toBe(0);
  });

  it('writes dirty pages back before dropping them, so written data survives', () => {
    const f = os.openFile('out', 1200, 'text', 5);
    const want: Uint8Array[] = [];
    for (let i = 0; i < 1200; i++) {
      const mark = Uint8Array.from({ length: 8 }, (_, k) => (i * 8 + k) & 0xff || 1);
      const off = (i * 64) % (PAGE_SIZE - 8);
      os.writeFile(f, i, off, mark, true);
      const w = page('text', 5, i);
      w.set(mark, off);
      want.push(w);
    }
    expect(os.stats.writebacks).toBeGreaterThanOrEqual(1200 - 512);
    expect(os.stats.storageWrites).toBe(os.stats.writebacks);
    expect(os.stats.cacheDrops).toBeGreaterThanOrEqual(1200 - 512);
    expect(f.pages[0]).toBe(-1);
    expect(f.disk[0]).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < 1200; i++) expect(same(fileOf(os, f, i, true), want[i]), `page ${i}`).toBe(true);
  });

  it('the flusher turns dirty pages clean without dropping them', () => {
    const f = os.openFile('log', 40, 'text', 1);
    for (let i = 0; i < 40; i++) os.writeFile(f, i, 0, new Uint8Array([i + 1]), true);
    expect(os.useCount[GpnUse.CacheDirty]).toBe(40);
    expect(os.writeback(25)).toBe(25);
    expect(os.useCount[GpnUse.CacheDirty]).toBe(15);
    expect(os.writeback(100)).toBe(15);
    expect(os.useCount[GpnUse.CacheDirty]).toBe(0);
    expect(os.useCount[GpnUse.CacheClean]).toBe(40);
    expect(os.stats.writebacks).toBe(40);
    expect(os.stats.cacheDrops).toBe(0);
    // Written again after a writeback: dirty again, and the disk copy is refreshed on the next one.
    os.writeFile(f, 3, 1, new Uint8Array([77]), false);
    expect(os.useCount[GpnUse.CacheDirty]).toBe(1);
    expect(os.writeback(10)).toBe(1);
  });

  it('frees cached pages and disk blocks when a file is deleted', () => {
    const free = os.freePages;
    const f = os.openFile('tmp', 100, 'text', 1);
    for (let i = 0; i < 100; i++) os.writeFile(f, i, 0, new Uint8Array([1]), true);
    os.writeback(50);
    os.deleteFile(f);
    expect(os.files.has(f.id)).toBe(false);
    expect(os.freePages).toBe(free);
    expect(os.useCount[GpnUse.CacheClean] + os.useCount[GpnUse.CacheDirty]).toBe(0);
  });

  it('streams a file-copy larger than memory through the cache: drops, writebacks, and a faithful copy', () => {
    const size = 1500;
    must(host, {
      type: 'startWorkload',
      guest: 'g',
      workload: workloadSpec('file-copy', { sizePages: size }),
    });
    const w = m.workloads[0];
    tickUntil(host, () => w.totalOps >= 2 * size, 50);
    expect(w.state).toBe('running');
    expect(os.stats.cacheDrops).toBeGreaterThan(size);
    expect(os.stats.writebacks).toBeGreaterThan(0);
    const from = [...os.files.values()].find((f) => f.name === 'file-copy/from')!;
    const to = [...os.files.values()].find((f) => f.name === 'file-copy/to')!;
    for (let i = 0; i < size; i++) {
      const a = fileOf(os, from, i, true);
      const b = fileOf(os, to, i, true);
      expect(same(a, b), `page ${i}`).toBe(true);
      expect(same(a, page('text', from.seed, i))).toBe(true);
    }
    checkConservation(host);
    must(host, { type: 'stopWorkload', guest: 'g', workload: 'file-copy' });
    expect(os.files.size).toBe(0);
    expect(os.useCount[GpnUse.CacheClean] + os.useCount[GpnUse.CacheDirty]).toBe(0);
  });
});

describe('the guest OS through the host', () => {
  it('swaps a workload larger than the guest to guest swap and keeps it running', () => {
    addSmallGuest();
    must(host, {
      type: 'startWorkload',
      guest: 'g',
      workload: workloadSpec('database', { sizePages: 1500, workingSet: 0.6, locality: 0.5 }),
    });
    for (let i = 0; i < 8; i++) {
      host.tick();
      checkConservation(host);
    }
    const w = m.workloads[0];
    expect(w.state).toBe('running');
    expect(os.stats.swapOuts).toBeGreaterThan(0);
    expect(os.stats.swapIns).toBeGreaterThan(0);
    const g = takeSnapshot(host).guests[0];
    expect(g.guestOs.swapUsedMB).toBeGreaterThan(0);
    expect(g.workloads[0].swappedMB).toBeGreaterThan(0);
    expect(g.workloads[0].residentMB + g.workloads[0].swappedMB).toBeLessThanOrEqual(g.workloads[0].sizeMB);
    // Every page the database wrote reads back (verify checks the bytes against its shadow copy).
    for (let v = 0; v < 1500; v++) if (os.isMapped(w.process, v)) os.read(w.process, v);
  });

  it('counts Committed_AS as the kernel plus every address space', () => {
    must(host, {
      type: 'addGuest',
      guest: guestConfig('c', 8192),
      workloads: [
        workloadSpec('database', { sizePages: 3000 }),
        workloadSpec('idle', { sizePages: 500 }),
        workloadSpec('file-copy', { sizePages: 400 }),
      ],
    });
    const c = machineOf(host, 'c').os;
    const kernel = kernelPagesFor(8192);
    // file-copy's own address space is one page; its files are page cache, not committed.
    expect(c.committedPages).toBe(kernel + 3000 + 500 + 1);
    const mb = (pages: number): number => round2(pagesToMB(pages));
    expect(takeSnapshot(host).guests[0].guestOs.committedMB).toBe(mb(kernel + 3501));
    must(host, { type: 'resizeWorkload', guest: 'c', workload: 'database', pages: 1000 });
    expect(c.committedPages).toBe(kernel + 1501);
    must(host, { type: 'stopWorkload', guest: 'c', workload: 'idle' });
    expect(c.committedPages).toBe(kernel + 1001);
    // Committed_AS can exceed memory: promises, not pages.
    must(host, { type: 'startWorkload', guest: 'c', workload: workloadSpec('idle', { sizePages: 20000 }) });
    expect(c.committedPages).toBeGreaterThan(8192);
  });

  it('OOM-kills a workload bigger than a guest with no swap, freeing its memory', () => {
    addSmallGuest({ guestSwapPages: 0 });
    must(host, {
      type: 'startWorkload',
      guest: 'g',
      workload: workloadSpec('database', { sizePages: 1000, workingSet: 1, locality: 1 }),
    });
    const w = m.workloads[0];
    tickUntil(host, () => w.state !== 'running', 30);
    expect(w.state).toBe('killed');
    expect(os.processes.has(w.process.pid)).toBe(false);
    expect(os.useCount[GpnUse.Anon]).toBe(0);
    expect(os.freePages).toBe(SMALL - KERNEL);
    const kill = host.events.recent(500).find((e) => e.kind === 'workload');
    expect(kill?.guest).toBe('g');
    expect(kill?.message).toBe(
      "database killed by the guest's OOM killer: g: out of memory (no free, cache or swappable pages)",
    );
    const snap = takeSnapshot(host).guests[0].workloads[0];
    expect(snap.state).toBe('killed');
    expect(snap.residentMB).toBe(0);
    checkConservation(host);
    // The guest keeps running: the next tick does not throw and the killed program does not run.
    const ops = w.totalOps;
    host.tick();
    expect(w.totalOps).toBe(ops);
  });

  it('OOM-kills only when swap is full too', () => {
    addSmallGuest({ guestSwapPages: 200 });
    must(host, {
      type: 'startWorkload',
      guest: 'g',
      workload: workloadSpec('memhog', { sizePages: 1000 }),
    });
    const w = m.workloads[0];
    tickUntil(host, () => w.state !== 'running', 30);
    expect(w.state).toBe('killed');
    expect(os.stats.swapOuts).toBeGreaterThanOrEqual(200);
    expect(os.swapSlots.used).toBe(0);
  });

  it('loads identical kernel pages in guests of one OS and size, different ones for another OS', () => {
    must(host, { type: 'addGuest', guest: guestConfig('a', SMALL) });
    must(host, { type: 'addGuest', guest: guestConfig('b', SMALL) });
    must(host, { type: 'addGuest', guest: guestConfig('w', SMALL, { os: 'windows' }) });
    const peek = (name: string, gpn: number): Uint8Array => {
      const into = new Uint8Array(PAGE_SIZE);
      machineOf(host, name).vm.peek(gpn, into);
      return into;
    };
    for (const gpn of [0, 1, 100, KERNEL - 1]) {
      expect(same(peek('a', gpn), peek('b', gpn))).toBe(true);
      expect(same(peek('a', gpn), peek('w', gpn))).toBe(false);
      expect(isZero(peek('a', gpn))).toBe(false);
    }
    expect(machineOf(host, 'a').os.useCount[GpnUse.Kernel]).toBe(KERNEL);
  });
});
