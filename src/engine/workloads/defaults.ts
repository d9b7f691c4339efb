import type { WorkloadSpec, WorkloadType } from '../config.ts';
import { mbToPages } from '../units.ts';

/** What each workload is, and its parameters when a preset or command leaves them out. */
export interface WorkloadDefaults {
  readonly summary: string;
  readonly sizeMB: number;
  readonly workingSet: number;
  readonly locality: number;
  readonly writeFraction: number;
}

export const WORKLOAD_DEFAULTS: Record<WorkloadType, WorkloadDefaults> = {
  boot: {
    summary: 'the guest zeroes its memory at power-on, then exits: zero pages',
    sizeMB: 0,
    workingSet: 1,
    locality: 0,
    writeFraction: 1,
  },
  'os-image': {
    summary: 'OS binaries and libraries, identical across guests of one OS: sharable',
    sizeMB: 256,
    workingSet: 0.2,
    locality: 0.9,
    writeFraction: 0.01,
  },
  'kernel-compile': {
    summary: 'reads source, writes objects: page-cache heavy, compressible text',
    sizeMB: 512,
    workingSet: 0.5,
    locality: 0.7,
    writeFraction: 0.3,
  },
  database: {
    summary: 'a large hot buffer cache, Swingbench-like transactions',
    sizeMB: 1024,
    workingSet: 0.3,
    locality: 0.9,
    writeFraction: 0.2,
  },
  'java-heap': {
    summary: 'a hot heap the collector walks, SPECjbb-like',
    sizeMB: 1024,
    workingSet: 0.8,
    locality: 0.95,
    writeFraction: 0.4,
  },
  idle: {
    summary: 'memory allocated once and never touched again: idle-tax fodder',
    sizeMB: 512,
    workingSet: 0,
    locality: 0,
    writeFraction: 0,
  },
  memhog: {
    summary: 'unique random pages written over and over',
    sizeMB: 512,
    workingSet: 1,
    locality: 1,
    writeFraction: 0.5,
  },
  'file-copy': {
    summary: 'streams a file through the page cache into another: cleancache wins',
    sizeMB: 1024,
    workingSet: 1,
    locality: 1,
    writeFraction: 0.5,
  },
  trace: {
    summary: 'replays a recorded page-access trace (memvisor or valgrind lackey format)',
    sizeMB: 64,
    workingSet: 1,
    locality: 1,
    writeFraction: 0,
  },
};

/** A full spec from a type and whatever parameters were given. */
export function workloadSpec(
  type: WorkloadType,
  given: Partial<Omit<WorkloadSpec, 'type'>> = {},
): WorkloadSpec {
  const d = WORKLOAD_DEFAULTS[type];
  return {
    type,
    name: given.name ?? type,
    sizePages: given.sizePages ?? mbToPages(d.sizeMB),
    workingSet: given.workingSet ?? d.workingSet,
    locality: given.locality ?? d.locality,
    writeFraction: given.writeFraction ?? d.writeFraction,
    ...(given.file !== undefined ? { file: given.file } : {}),
  };
}
