/**
 * Page operations the engine is built from, each against a plain 4 KiB copy of the same pages measured
 * in the same run (the machine is shared and noisy: only ratios within one run mean anything). With
 * `--json` it prints the rate of every kind of byte work the engine counts (src/engine/bytework.ts),
 * which `presets` prices the engine's counts at.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compressSync, uncompressSync } from 'lz4-napi';
import type { ByteOp } from '../src/engine/bytework.ts';
import { fillPage } from '../src/engine/content.ts';
import { checksumPage, hashPage, isZeroPage, pagesEqual } from '../src/engine/pagehash.ts';

const PAGES = 4096;
const pool = new Uint8Array(PAGES * 4096);
for (let i = 0; i < PAGES; i++) fillPage(pool.subarray(i * 4096, (i + 1) * 4096), 'text', 7, i);
const page = (i: number): Uint8Array => pool.subarray((i % PAGES) * 4096, ((i % PAGES) + 1) * 4096);
const dst = new Uint8Array(4096);

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

/** Host frames touched for the first time: fresh memory from the operating system, one page after another. */
function firstTouchRate(): number {
  let best = 0;
  for (let run = 0; run < 3; run++) {
    const fresh = new Uint8Array(16384 * 4096);
    const c0 = process.cpuUsage();
    for (let o = 0; o < fresh.length; o += 4096) fresh[o] = 1;
    const c = process.cpuUsage(c0);
    best = Math.max(best, 16384 / ((c.user + c.system) / 1e6));
  }
  return best;
}

/** A guest access at its least: a pmap lookup and a one-byte touch of the frame, over 256 MiB of frames. */
function accessRate(): number {
  const frames = 65536;
  const mem = new Uint8Array(frames * 4096).fill(1);
  const pmap = new Int32Array(frames);
  for (let i = 0; i < frames; i++) pmap[i] = (i * 7919) % frames;
  let sink = 0;
  const r = rate((i) => {
    const gpn = (i * 2654435761) >>> 16;
    sink += mem[pmap[gpn] * 4096 + (i & 4095)]++;
  });
  if (sink < 0) console.log(sink);
  return r;
}

const copy = rate((i) => dst.set(page(i)));
const dir = mkdtempSync(join(tmpdir(), 'memvisor-bench-'));
const fd = openSync(join(dir, 'swap'), 'w+');
for (let i = 0; i < PAGES; i++) writeSync(fd, page(i), 0, 4096, i * 4096);
const packed = Array.from({ length: 64 }, (_, i) => compressSync(Buffer.from(page(i))));
const slot = (i: number): number => ((i * 7919) % PAGES) * 4096;
const rates: Record<keyof typeof ByteOp, number> = {
  zero: rate((i) => pool.fill(0, (i % PAGES) * 4096, (i % PAGES) * 4096 + 4096)),
  copy,
  hash: rate((i) => hashPage(page(i))),
  compare: rate((i) => pagesEqual(page(i), page(i + 1))),
  compress: rate((i) => compressSync(Buffer.from(page(i).buffer, (i % PAGES) * 4096, 4096))),
  decompress: rate((i) => uncompressSync(packed[i % 64])),
  swapWrite: rate((i) => writeSync(fd, page(i), 0, 4096, slot(i))),
  swapRead: rate((i) => readSync(fd, dst, 0, 4096, slot(i))),
  diskWrite: 0,
  diskRead: 0,
  freshFrame: firstTouchRate(),
  access: accessRate(),
};
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
  const avg = packed.reduce((a, b) => a + b.length, 0) / packed.length;
  const rows: [string, number][] = [
    ['copy a page (baseline)', copy],
    ['zero a page', rates.zero],
    ['hash a page (xxHash64)', rates.hash],
    ['checksum a page (xxHash32)', checksum],
    ['compare two pages', rates.compare],
    ['zero test', zeroTest],
    ['compress (lz4)', rates.compress],
    ['decompress (lz4)', rates.decompress],
    ['swap write (positional)', rates.swapWrite],
    ['swap read (positional)', rates.swapRead],
    ['first touch of fresh memory', rates.freshFrame],
    ['guest access (pmap lookup + touch)', rates.access],
  ];
  console.log('| page operation (per CPU second) | pages/s | vs copy |');
  console.log('|---|---:|---:|');
  for (const [name, r] of rows)
    console.log(`| ${name} | ${Math.round(r).toLocaleString('en')} | ${(r / copy).toFixed(3)} |`);
  console.log(
    `\nlz4 on text-like pages: ${Math.round(avg)} bytes on average (fits the 2 KiB slot: ${avg <= 2048})`,
  );
}
