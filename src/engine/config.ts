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

/** How the hypervisor picks pages to swap: ESX picks at random; other products age or order them. */
export const VICTIM_POLICIES = ['random', 'lru', 'fifo', 'clock', 'aging', 'nru'] as const;
export type VictimPolicy = (typeof VICTIM_POLICIES)[number];

/** Which reclamation mechanisms the host has, and their parameters. Personalities choose these. */
export interface ReclaimConfig {
  /** Page sharing: ESX's per-guest random scan, KSM's linear scan, or none. */
  sharing: 'esx' | 'ksm' | 'off';
  /** ESX mode: every guest's memory is scanned once per this many seconds (ESX default 3600; 300 here for demos). */
  shareScanTime: number;
  /** KSM mode: pages_to_scan every sleep_millisecs, over all guests in turn. */
  ksmPagesToScan: number;
  ksmSleepMillisecs: number;
  balloon: boolean;
  /** Most of a guest's memory the balloon may take (ESX default 65 %). */
  balloonMaxFraction: number;
  /** Pages per second a balloon inflates or deflates. */
  balloonRate: number;
  compression: boolean;
  /** Compression cache per guest, as a fraction of its memory (ESX default 10 %). */
  zipCacheFraction: number;
  hostSwap: boolean;
  victim: VictimPolicy;
  /** Pages per second the host may swap out, per guest. */
  swapRate: number;
  tmem: boolean;
  /** The guest balloons itself toward its Committed_AS (Xen self-ballooning). */
  selfBalloon: boolean;
}

export const defaultReclaimConfig = (): ReclaimConfig => ({
  sharing: 'esx',
  shareScanTime: 300,
  ksmPagesToScan: 100,
  ksmSleepMillisecs: 20,
  balloon: true,
  balloonMaxFraction: 0.65,
  balloonRate: 4096,
  compression: true,
  zipCacheFraction: 0.1,
  hostSwap: true,
  victim: 'random',
  swapRate: 8192,
  tmem: false,
  selfBalloon: false,
});

/** Options of the product personalities (see policy/). */
export interface PolicyOptions {
  /** KVM: MOM-style balloon rules, e.g. "hostFree < 20% -> balloon +5%". */
  mom: string[];
  /** Hyper-V: spare memory each guest should see above its demand, as a fraction (default 0.2). */
  hypervBuffer: number;
  /** PSBM: the most host memory guests may use together (null: all of it). */
  nodeLimitPages: number | null;
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
  reclaim: ReclaimConfig;
  policy: PolicyOptions;
  /** Mechanisms of the personality this host does without (an experiment's control run). */
  without?: readonly OptionalMechanism[];
}

/** Mechanisms a host can be told to do without, whatever its personality. */
export const OPTIONAL_MECHANISMS = ['sharing', 'compression', 'tmem'] as const;
export type OptionalMechanism = (typeof OPTIONAL_MECHANISMS)[number];

export const DEFAULT_THRESHOLDS: Thresholds = { high: 6, soft: 4, hard: 2, low: 1 };

export const defaultHostConfig = (memoryPages: number): HostConfig => ({
  memoryPages,
  thresholds: { ...DEFAULT_THRESHOLDS },
  idleTax: 0.75,
  samplePeriod: 60,
  samplePages: 100,
  tick: 1,
  reclaim: defaultReclaimConfig(),
  policy: {
    mom: ['hostFree < 20% -> balloon +5%', 'hostFree > 30% -> balloon -5%'],
    hypervBuffer: 0.2,
    nodeLimitPages: null,
  },
});

/** ESX's share levels: shares per MB of configured memory. */
export const SHARE_LEVELS = { low: 5, normal: 10, high: 20 } as const;

/** ESX-like overhead: the VMM, page tables and devices, about 1 % of memory plus a little per vCPU. */
export const defaultOverheadPages = (memszPages: number, vcpus: number): number =>
  Math.ceil(memszPages / 100) + 256 * vcpus;
