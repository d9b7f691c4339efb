/**
 * Page operations the engine is built from, each against a plain 4 KiB copy of the same pages measured
 * in the same run (the machine is shared and noisy: only ratios within one run mean anything).
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compressSync, uncompressSync } from 'lz4-napi';
import { fillPage } from '../src/engine/content.ts';
import { hashPage, isZeroPage, pagesEqual } from '../src/engine/pagehash.ts';

const PAGES = 4096;
const pool = new Uint8Array(PAGES * 4096);
for (let i = 0; i < PAGES; i++) fillPage(pool.subarray(i * 4096, (i + 1) * 4096), 'text', 7, i);
const page = (i: number): Uint8Array => pool.subarray((i % PAGES) * 4096, ((i % PAGES) + 1) * 4096);
const dst = new Uint8Array(4096);

/** Pages per second of `fn`, best of three half-second runs. */
function rate(fn: (i: number) => void): number {
  let best = 0;
  for (let run = 0; run < 3; run++) {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < 500) {
      for (let k = 0; k < 256; k++) fn(n++);
    }
    best = Math.max(best, n / ((performance.now() - start) / 1000));
  }
  return best;
}

const copy = rate((i) => dst.set(page(i)));
const dir = mkdtempSync(join(tmpdir(), 'memvisor-bench-'));
const fd = openSync(join(dir, 'swap'), 'w+');
for (let i = 0; i < PAGES; i++) writeSync(fd, page(i), 0, 4096, i * 4096);
const packed = Array.from({ length: 64 }, (_, i) => compressSync(Buffer.from(page(i))));
const rows: [string, number][] = [
  ['copy a page (baseline)', copy],
  ['hash a page (xxHash64)', rate((i) => hashPage(page(i)))],
  ['compare two pages', rate((i) => pagesEqual(page(i), page(i + 1)))],
  ['zero test', rate((i) => isZeroPage(page(i)))],
  ['compress (lz4)', rate((i) => compressSync(Buffer.from(page(i).buffer, (i % PAGES) * 4096, 4096)))],
  ['decompress (lz4)', rate((i) => uncompressSync(packed[i % 64]))],
  ['swap write (positional)', rate((i) => writeSync(fd, page(i), 0, 4096, ((i * 7919) % PAGES) * 4096))],
  ['swap read (positional)', rate((i) => readSync(fd, dst, 0, 4096, ((i * 7919) % PAGES) * 4096))],
];
closeSync(fd);
rmSync(dir, { recursive: true, force: true });
const avg = packed.reduce((a, b) => a + b.length, 0) / packed.length;
console.log('| page operation | pages/s | vs copy |');
console.log('|---|---:|---:|');
for (const [name, r] of rows)
  console.log(`| ${name} | ${Math.round(r).toLocaleString('en')} | ${(r / copy).toFixed(3)} |`);
console.log(
  `\nlz4 on text-like pages: ${Math.round(avg)} bytes on average (fits the 2 KiB slot: ${avg <= 2048})`,
);
