/** Everything a host and its guests are built from, in the engine's own units (pages, seconds). */

export const WORKLOAD_TYPES = [
  'boot',
  'os-image',
  'kernel-compile',
  'database',
  'java-heap',
  'idle',
  'memhog',
  'file-copy',
  'trace',
] as const;
export type WorkloadType = (typeof WORKLOAD_TYPES)[number];

export const OS_TYPES = ['linux', 'windows', 'solaris', 'freebsd'] as const;
export type OsType = (typeof OS_TYPES)[number];

export interface WorkloadSpec {
  type: WorkloadType;
  /** Unique within the guest; defaults to the type. */
  name: string;
  /** Address-space size in pages. */
  sizePages: number;
  /** Fraction of the size that is hot (the working set). */
  workingSet: number;
  /** Fraction of accesses that go to the working set; the rest are uniform over the whole size. */
  locality: number;
  /** Fraction of accesses that write. */
  writeFraction: number;
  /** The trace file, for `trace`. */
  file?: string;
}

export interface GuestConfig {
  name: string;
  memszPages: number;
  reservationPages: number;
  /** null: no limit (esxtop's AMAX -1). */
  limitPages: number | null;
  shares: number;
  vcpus: number;
  os: OsType;
  balloonDriver: boolean;
  guestSwapPages: number;
  overheadPages: number;
}

export interface Thresholds {
  /** Percent of host memory, from high to low. */
  high: number;
  soft: number;
  hard: number;
  low: number;
}

export interface HostConfig {
  memoryPages: number;
  thresholds: Thresholds;
  /** The idle memory tax rate, 0..1 (ESX default 0.75). */
  idleTax: number;
  /** Active-memory sampling: period in simulated seconds and pages sampled per period. */
  samplePeriod: number;
  samplePages: number;
  /** Simulated seconds per tick. */
  tick: number;
  /** Where the host and guest swap files go; the OS temp dir when absent. */
  swapDir?: string;
}

export const DEFAULT_THRESHOLDS: Thresholds = { high: 6, soft: 4, hard: 2, low: 1 };

export const defaultHostConfig = (memoryPages: number): HostConfig => ({
  memoryPages,
  thresholds: { ...DEFAULT_THRESHOLDS },
  idleTax: 0.75,
  samplePeriod: 60,
  samplePages: 100,
  tick: 1,
});

/** ESX's share levels: shares per MB of configured memory. */
export const SHARE_LEVELS = { low: 5, normal: 10, high: 20 } as const;

/** ESX-like overhead: the VMM, page tables and devices, about 1 % of memory plus a little per vCPU. */
export const defaultOverheadPages = (memszPages: number, vcpus: number): number =>
  Math.ceil(memszPages / 100) + 256 * vcpus;
