import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Host } from '../engine/host.ts';
import { PAGE_SIZE } from '../engine/units.ts';

/**
 * Writes every process's address space as a raw image, `DIR/<guest>.<workload>.img`, page by page as the
 * process would read it (untouched pages are zeros), so what a program wrote can be checked against what
 * it reads back. Returns the files written.
 */
export function dumpAddressSpaces(host: Host, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const page = new Uint8Array(PAGE_SIZE);
  const written: string[] = [];
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
      } finally {
        closeSync(fd);
      }
      written.push(file);
    }
  }
  return written;
}
