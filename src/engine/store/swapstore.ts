import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync, writevSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PAGE_SIZE } from '../units.ts';

/**
 * Where swapped pages live: positional reads and writes of whole pages at slot offsets. The host's
 * swap files, the guests' own swap devices and their virtual disks all go through this.
 */
export interface SwapStore {
  /** Writes one page at a slot; throws StoreError when the device fails. */
  write(slot: number, page: Uint8Array): void;
  /** Writes pages to consecutive slots from `slot` (one call where the device allows); throws as `write`. */
  writeRun(slot: number, pages: readonly Uint8Array[]): void;
  /** Reads one page from a slot into `into`; throws StoreError on a failed or short read. */
  read(slot: number, into: Uint8Array): void;
  close(): void;
}

export class StoreError extends Error {
  constructor(
    readonly code: 'ENOSPC' | 'EIO' | 'SHORT_READ' | 'CHECKSUM',
    message: string,
  ) {
    super(message);
  }
}

/** A real file, one page per slot; the file is removed when the store closes. */
export class FileSwapStore implements SwapStore {
  private fd: number;
  /** Slots the file holds (it grows as pages are written past its end). */
  private size = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w+');
  }

  write(slot: number, page: Uint8Array): void {
    try {
      const n = writeSync(this.fd, page, 0, PAGE_SIZE, slot * PAGE_SIZE);
      if (n !== PAGE_SIZE) throw new StoreError('ENOSPC', `${this.path}: wrote ${n} of ${PAGE_SIZE} bytes`);
    } catch (err) {
      throw asStoreError(err, this.path);
    }
    if (slot >= this.size) this.size = slot + 1;
  }

  /**
   * One writev for the pages inside the file; pages past its end one write each. A file first written
   * in large pieces is cached in large folios, and single pages rewritten into those later cost three
   * times as much (measured; see bench/pageops): grown a page at a time, the file stays cheap to rewrite.
   */
  writeRun(slot: number, pages: readonly Uint8Array[]): void {
    const inside = Math.max(0, Math.min(pages.length, this.size - slot));
    if (inside > 1) {
      let n: number;
      try {
        n = writevSync(this.fd, inside === pages.length ? pages : pages.slice(0, inside), slot * PAGE_SIZE);
      } catch (err) {
        throw asStoreError(err, this.path);
      }
      if (n !== inside * PAGE_SIZE)
        throw new StoreError('ENOSPC', `${this.path}: wrote ${n} of ${inside * PAGE_SIZE} bytes`);
    } else if (inside === 1) this.write(slot, pages[0]);
    for (let k = inside; k < pages.length; k++) this.write(slot + k, pages[k]);
  }

  read(slot: number, into: Uint8Array): void {
    let n: number;
    try {
      n = readSync(this.fd, into, 0, PAGE_SIZE, slot * PAGE_SIZE);
    } catch (err) {
      throw asStoreError(err, this.path);
    }
    if (n !== PAGE_SIZE)
      throw new StoreError('SHORT_READ', `${this.path}: read ${n} of ${PAGE_SIZE} bytes at slot ${slot}`);
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
    rmSync(this.path, { force: true });
  }
}

/** Pages kept in memory: only for tests that say so. */
export class MemorySwapStore implements SwapStore {
  private readonly pages = new Map<number, Uint8Array>();

  write(slot: number, page: Uint8Array): void {
    this.pages.set(slot, page.slice(0, PAGE_SIZE));
  }

  writeRun(slot: number, pages: readonly Uint8Array[]): void {
    for (let k = 0; k < pages.length; k++) this.write(slot + k, pages[k]);
  }

  read(slot: number, into: Uint8Array): void {
    const page = this.pages.get(slot);
    if (!page) throw new StoreError('SHORT_READ', `memory store: slot ${slot} was never written`);
    into.set(page);
  }

  close(): void {
    this.pages.clear();
  }
}

function asStoreError(err: unknown, path: string): StoreError {
  if (err instanceof StoreError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  return new StoreError(code === 'ENOSPC' ? 'ENOSPC' : 'EIO', `${path}: ${(err as Error).message}`);
}

/** Makes swap stores as files in one directory of their own, removed with `closeAll`. */
export class SwapDirectory {
  readonly dir: string;
  private readonly open = new Set<SwapStore>();

  constructor(parent: string = tmpdir()) {
    this.dir = mkdtempSync(join(parent, 'memvisor-'));
  }

  create(name: string): SwapStore {
    const store = new FileSwapStore(join(this.dir, `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.swap`));
    this.open.add(store);
    return store;
  }

  closeAll(): void {
    for (const s of this.open) s.close();
    this.open.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Hands out slot numbers, lowest first after a free, so files stay compact. */
export class SlotAllocator {
  private freeSlots: number[] = [];
  private next = 0;
  used = 0;

  constructor(public capacity: number) {}

  /** A slot number, or -1 when the device is full. */
  take(): number {
    if (this.used >= this.capacity) return -1;
    this.used++;
    return this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.next++;
  }

  give(slot: number): void {
    this.used--;
    this.freeSlots.push(slot);
  }
}
