import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Host } from '../engine/host.ts';
import { StoreError } from '../engine/store/swapstore.ts';
import { PAGE_SIZE } from '../engine/units.ts';

export interface DumpResult {
  written: string[];
  /** Processes whose pages could not all be read (a failing swap device): no image, and why. */
  failed: { file: string; reason: string }[];
}

/**
 * Writes every process's address space as a raw image, `DIR/<guest>.<workload>.img`, page by page as the
 * process would read it (untouched pages are zeros), so what a program wrote can be checked against what
 * it reads back. A process with a page that cannot be read gets no image at all, never a wrong one.
 */
export function dumpAddressSpaces(host: Host, dir: string): DumpResult {
  mkdirSync(dir, { recursive: true });
  const page = new Uint8Array(PAGE_SIZE);
  const result: DumpResult = { written: [], failed: [] };
  for (const m of host.machines) {
    for (const w of m.workloads) {
      if (!m.os.processes.has(w.process.pid)) continue;
      const file = join(dir, `${m.name}.${w.spec.name}.img`);
      const fd = openSync(file, 'w');
      try {
        for (let v = 0; v < w.process.sizePages; v++) {
          m.os.peek(w.process, v, page);
          writeSync(fd, page, 0, PAGE_SIZE, v * PAGE_SIZE);
        }
        result.written.push(file);
      } catch (err) {
        if (!(err instanceof StoreError)) throw err;
        result.failed.push({ file, reason: err.message });
      } finally {
        closeSync(fd);
      }
      if (result.failed.some((f) => f.file === file)) rmSync(file, { force: true });
    }
  }
  return result;
}
