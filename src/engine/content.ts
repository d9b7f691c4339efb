import { PAGE_SIZE } from './units.ts';

/**
 * Page contents with the character of real memory: what decides whether a page can be shared, how
 * well it compresses and whether it is all zeros. Pages are copies of a few template pages per kind
 * (a copy is ten times faster than generating 4 KiB) stamped with their identity in the first 16
 * bytes, so no two stamped pages are equal; `random` templates are incompressible.
 */
export type ContentKind = 'zero' | 'os' | 'text' | 'db' | 'heap' | 'random';

const TEMPLATES = 16;
const templates = new Map<ContentKind, Uint8Array[]>();

/** splitmix32: a stateless hash of two numbers, for choosing templates and making bytes. */
export function mix(a: number, b: number): number {
  let z = (Math.imul(a, 0x9e3779b1) + b + 0x7f4a7c15) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const WORDS = (
  'static int struct return if else for while unsigned long char void const page frame guest host ' +
  'memory balloon swap share zero target free list node next prev lock unlock spin_lock mutex ' +
  'kmalloc kfree sizeof NULL error goto out EINVAL ENOMEM #include <linux/mm.h> /* */ { } ( ) ; = == ' +
  '!= -> . , 0 1 4096 PAGE_SIZE u64 u32 size_t offset index count flags vma pte pmd pgd mm_struct'
).split(' ');
const ROW_WORDS =
  'ACME Corp London Paris Tokyo order shipped pending 2009-08-14 EUR USD qty price total'.split(' ');

function makeTemplate(kind: ContentKind, n: number): Uint8Array {
  const page = new Uint8Array(PAGE_SIZE);
  let h = mix(n, kind.length * 7919);
  const next = (): number => {
    h = mix(h, 0x632be5ab);
    return h;
  };
  if (kind === 'text' || kind === 'os') {
    // Source-code-like text: indented lines of tokens, common tokens far more often than rare ones
    // (as in real code), so LZ4 packs a page into about 1.5 KiB.
    let i = 0;
    while (i < PAGE_SIZE) {
      const depth = next() % 4;
      for (let k = 0; k < 8 * depth && i < PAGE_SIZE; k++) page[i++] = 32;
      for (let words = 3 + (next() % 6); words > 0 && i < PAGE_SIZE; words--) {
        const r = (next() % 1000) / 1000;
        const w = WORDS[Math.floor(r * r * r * WORDS.length)];
        for (let k = 0; k < w.length && i < PAGE_SIZE; k++) page[i++] = w.charCodeAt(k);
        if (i < PAGE_SIZE) page[i++] = 32;
      }
      if (i < PAGE_SIZE) page[i++] = 10;
    }
    if (kind === 'os') {
      // Machine code and tables: a 96-byte binary block every 256 bytes, so images barely compress.
      for (let b = 0; b < PAGE_SIZE; b += 256) for (let k = 0; k < 96; k++) page[b + k] = next() & 0xff;
    }
  } else if (kind === 'db') {
    // Fixed-width rows: a binary key, then text fields padded with spaces.
    for (let row = 0; row < PAGE_SIZE; row += 128) {
      for (let k = 0; k < 8; k++) page[row + k] = next() & 0xff;
      let i = row + 8;
      while (i < row + 96 + (next() % 24)) {
        const w = ROW_WORDS[next() % ROW_WORDS.length];
        for (let k = 0; k < w.length && i < row + 120; k++) page[i++] = w.charCodeAt(k);
        page[i++] = 32;
      }
    }
  } else if (kind === 'heap') {
    // Objects: a header word, pointers into a 16 MiB heap, small integers and zeroed fields.
    const view = new DataView(page.buffer);
    for (let o = 0; o < PAGE_SIZE; o += 32) {
      view.setUint32(o, 0xcafe0000 | (next() & 0xff), true);
      view.setUint32(o + 8, 0x10000000 + (next() & 0xffffff & ~7), true);
      view.setUint32(o + 16, next() & 0x3ff, true);
    }
  } else if (kind === 'random') {
    for (let i = 0; i < PAGE_SIZE; i += 4) {
      const v = next();
      page[i] = v;
      page[i + 1] = v >>> 8;
      page[i + 2] = v >>> 16;
      page[i + 3] = v >>> 24;
    }
  }
  return page;
}

function templateOf(kind: ContentKind, n: number): Uint8Array {
  let list = templates.get(kind);
  if (!list) {
    list = Array.from({ length: TEMPLATES }, (_, i) => makeTemplate(kind, i));
    templates.set(kind, list);
  }
  return list[n % TEMPLATES];
}

/** Writes a 16-byte identity at the start of the page, so pages made from one template still differ. */
function stamp(dst: Uint8Array, at: number, seed: number, index: number): void {
  const a = mix(seed, index);
  const b = mix(a, index);
  for (let k = 0; k < 4; k++) {
    dst[at + k] = a >>> (8 * k);
    dst[at + 4 + k] = b >>> (8 * k);
    dst[at + 8 + k] = seed >>> (8 * k);
    dst[at + 12 + k] = index >>> (8 * k);
  }
}

/**
 * Fills a page with content of `kind`. The same (kind, seed, index) always gives the same bytes, so
 * two guests of the same OS loading the same image page get identical pages.
 */
export function fillPage(dst: Uint8Array, kind: ContentKind, seed: number, index: number): void {
  fillAt(dst, 0, kind, seed, index);
}

/** fillPage for the page at byte `at` of `dst` (a frame in a slab, with no view made of it). */
export function fillAt(dst: Uint8Array, at: number, kind: ContentKind, seed: number, index: number): void {
  if (kind === 'zero') {
    dst.fill(0, at, at + PAGE_SIZE);
    return;
  }
  dst.set(templateOf(kind, mix(seed, index)), at);
  stamp(dst, at, seed, index);
}

/** A small record of `kind` content, as a workload's write would store. */
export function fillRecord(dst: Uint8Array, kind: ContentKind, seed: number, n: number): void {
  const t = templateOf(kind === 'zero' ? 'heap' : kind, mix(seed, n));
  const from = (mix(n, seed) % (PAGE_SIZE - dst.length)) & ~7;
  dst.set(t.subarray(from, from + dst.length));
  const v = mix(seed, n);
  dst[0] = v;
  dst[1] = v >>> 8;
  dst[2] = v >>> 16;
  dst[3] = v >>> 24;
}
