import type { OsType, WorkloadSpec } from '../config.ts';
import type { GuestOS } from '../guestos.ts';
import type { Rng } from '../rng.ts';
import { AnonWorkload, IdleWorkload, OsImageWorkload } from './anon.ts';
import { BootWorkload } from './boot.ts';
import { FileCopyWorkload, KernelCompileWorkload } from './files.ts';
import { TraceWorkload } from './trace.ts';
import type { Workload } from './workload.ts';

/** Content seeds per OS: guests of one OS load identical image pages. */
const OS_IMAGE_SEEDS: Record<OsType, number> = {
  linux: 0x1000,
  windows: 0x2000,
  solaris: 0x3000,
  freebsd: 0x4000,
};

/**
 * Starts a workload in a guest. `seed` makes its private content unique to this guest and workload.
 * Throws (TraceFormatError) when a trace file cannot be read; nothing has started then.
 */
export function createWorkload(
  spec: WorkloadSpec,
  os: GuestOS,
  osType: OsType,
  rng: Rng,
  seed: number,
): Workload {
  switch (spec.type) {
    case 'boot':
      return new BootWorkload(spec, os, rng, seed);
    case 'os-image':
      return new OsImageWorkload(spec, os, rng, OS_IMAGE_SEEDS[osType]);
    case 'kernel-compile':
      return new KernelCompileWorkload(spec, os, rng, seed);
    case 'database':
    case 'java-heap':
    case 'memhog':
      return new AnonWorkload(spec, os, rng, seed);
    case 'idle':
      return new IdleWorkload(spec, os, rng, seed);
    case 'file-copy':
      return new FileCopyWorkload(spec, os, rng, seed);
    case 'trace':
      return new TraceWorkload(spec, os, rng);
  }
}
