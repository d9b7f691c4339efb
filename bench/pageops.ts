/**
 * Page operations the engine is built from, each against a plain 4 KiB copy measured in the same run
 * (the machine is shared and noisy: only ratios within one run mean anything). Pages are taken at random
 * from 256 MiB of frames holding the engine's kinds of content in turn, as the engine meets them (not a
 * few hot pages that stay in the CPU's caches). With `--json` it prints the rate of every kind of byte
 * work the engine counts (src/engine/bytework.ts), which `presets` prices the engine's counts at.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ByteOp } from '../src/engine/bytework.ts';
import { type ContentKind, fillPage } from '../src/engine/content.ts';
import { checksumPage, hashPage, isZeroPage, pagesEqual } from '../src/engine/pagehash.ts';
import { compressPage, decompressPage, ZIP_SLOT } from '../src/engine/reclaim/zipcache.ts';

const PAGES = 65536;
const MASK = PAGES - 1;
const KINDS: ContentKind[] = ['text', 'db', 'heap', 'os', 'random'];
const pool = Buffer.alloc(PAGES * 4096);
for (let i = 0; i < PAGES; i++)
  fillPage(pool.subarray(i * 4096, (i + 1) * 4096), KINDS[i % KINDS.length], 7, i);
/** The i-th page of a random walk over the pool. */
const at = (i: number): number => ((i * 40503) & MASK) * 4096;
const page = (i: number): Buffer => pool.subarray(at(i), at(i) + 4096);
/** Destinations for copies and zeroing: a second region, so the sources keep their contents. */
const scratch = Buffer.alloc(16384 * 4096);
/** Pages a program has at hand (in the CPU's caches). */
const hot = Array.from({ length: 16 }, (_, i) => Buffer.from(page(i)));
const dstAt = (i: number): number => (i * 7919) & 16383;

/** Pages per second of `fn`, best of three half-second runs, by the process's CPU time. */
function rate(fn: (i: number) => void): number {
  let best = 0;
  for (let run = 0; run < 3; run++) {
    let n = 0;
    const c0 = process.cpuUsage();
    const start = performance.now();
    while (performance.now() - start < 500) {
      for (let k = 0; k < 256; k++) fn(n++);
    }
    const c = process.cpuUsage(c0);
    best = Math.max(best, n / ((c.user + c.system) / 1e6));
  }
  return best;
}

/** Pages per CPU second of `fn` over `pages` pages once each (for what happens once: a first touch). */
function once(pages: number, setup: () => void, fn: (i: number) => void): number {
  let best = 0;
  for (let run = 0; run < 3; run++) {
    setup();
    const c0 = process.cpuUsage();
    for (let i = 0; i < pages; i++) fn(i);
    const c = process.cpuUsage(c0);
    best = Math.max(best, pages / ((c.user + c.system) / 1e6));
  }
  return best;
}

/** A guest access at its least: a pmap lookup and a one-byte touch of the frame. */
function accessRate(): number {
  const pmap = new Int32Array(PAGES);
  for (let i = 0; i < PAGES; i++) pmap[i] = (i * 7919) & MASK;
  let sink = 0;
  const r = rate((i) => {
    const gpn = (i * 2654435761) >>> 16;
    sink += pool[pmap[gpn] * 4096 + (i & 4095)];
  });
  if (sink < 0) console.log(sink);
  return r;
}

const dir = mkdtempSync(join(tmpdir(), 'memvisor-bench-'));
const SLOTS = 16384;
let fresh = new Uint8Array(0);
let fd = -1;
const newFile = (): void => {
  if (fd >= 0) closeSync(fd);
  fd = openSync(join(dir, `swap-${Math.random()}`), 'w+');
};
const rates: Record<keyof typeof ByteOp, number> = {
  zero: rate((i) => scratch.fill(0, dstAt(i) * 4096, dstAt(i) * 4096 + 4096)),
  // Most copies write what a program holds (its buffer, a template) into a frame: from a hot source.
  copy: rate((i) => hot[i & 15].copy(scratch, dstAt(i) * 4096)),
  hash: rate((i) => hashPage(page(i))),
  compare: rate((i) => pagesEqual(page(i), page(i + 1))),
  compress: rate((i) => compressPage(page(i))),
  decompress: 0,
  swapWrite: 0,
  swapRead: 0,
  diskWrite: 0,
  diskRead: 0,
  freshWrite: once(
    SLOTS,
    newFile,
    (i) => writeSync(fd, pool, at(i), 4096, i * 4096), // a file growing page by page
  ),
  freshFrame: once(
    16384,
    () => {
      fresh = new Uint8Array(16384 * 4096);
    },
    (i) => {
      fresh[i * 4096] = 1;
    },
  ),
  access: accessRate(),
};
// Decompression of what the cache keeps: pages that packed into half a page.
const packed: Uint8Array[] = [];
for (let i = 0; packed.length < 1024; i++) {
  const p = compressPage(page(i));
  if (p.length <= ZIP_SLOT) packed.push(p);
}
rates.decompress = rate((i) => decompressPage(packed[i & 1023], scratch.subarray(0, 4096)));
// A file written page by page once, then rewritten in batches (runs of RUN pages, one call each, as the
// engine's WriteBehind sends them) and read a page at a time, at random slots.
newFile();
for (let s = 0; s < SLOTS; s++) writeSync(fd, pool, at(s), 4096, s * 4096);
const RUN = 32;
const slot = (i: number): number => ((i * 7919) % SLOTS) * 4096;
const runAt = (i: number): number => ((i * 7919) % (SLOTS / RUN)) * RUN * 4096;
rates.swapWrite =
  RUN * rate((i) => writeSync(fd, pool, at(i * RUN) & ~(RUN * 4096 - 1), RUN * 4096, runAt(i)));
const single = rate((i) => writeSync(fd, pool, at(i), 4096, slot(i)));
rates.swapRead = rate((i) => readSync(fd, scratch, dstAt(i) * 4096, 4096, slot(i)));
const frameCopy = rate((i) => pool.copy(scratch, dstAt(i) * 4096, at(i), at(i) + 4096));
// Guest disks are files like the swap files, written and read the same way.
rates.diskWrite = rates.swapWrite;
rates.diskRead = rates.swapRead;
const checksum = rate((i) => checksumPage(page(i)));
const zeroTest = rate((i) => isZeroPage(page(i)));
closeSync(fd);
rmSync(dir, { recursive: true, force: true });

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rates));
} else {
  const rows: [string, number][] = [
    ['copy a page into a frame (baseline)', rates.copy],
    ['copy a frame to a frame', frameCopy],
    ['zero a page', rates.zero],
    ['hash a page (xxHash64)', rates.hash],
    ['checksum a page (xxHash32)', checksum],
    ['compare two pages', rates.compare],
    ['zero test', zeroTest],
    ['compress (lz4, the five kinds of content)', rates.compress],
    ['decompress (lz4, pages that fit 2 KiB)', rates.decompress],
    [`swap write (rewrite, runs of ${RUN} pages)`, rates.swapWrite],
    ['swap write (rewrite, a page at a time)', single],
    ['swap write (a file growing)', rates.freshWrite],
    ['swap read (positional)', rates.swapRead],
    ['first touch of fresh memory', rates.freshFrame],
    ['guest access (pmap lookup + touch)', rates.access],
  ];
  console.log('| page operation (per CPU second, random pages of 256 MiB) | pages/s | vs copy |');
  console.log('|---|---:|---:|');
  for (const [name, r] of rows)
    console.log(`| ${name} | ${Math.round(r).toLocaleString('en')} | ${(r / rates.copy).toFixed(3)} |`);
  const sizes = KINDS.map((kind, k) => {
    let sum = 0;
    for (let i = 0; i < 64; i++)
      sum += compressPage(pool.subarray((k + 5 * i) * 4096, (k + 5 * i + 1) * 4096)).length;
    return `${kind} ${Math.round(sum / 64)}`;
  });
  console.log(
    `\nlz4 bytes per page, on average: ${sizes.join(', ')} (the cache keeps pages of 2,048 or less)`,
  );
}
