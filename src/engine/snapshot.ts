import type { EngineEvent } from './events.ts';

/**
 * What one tick of the host looks like: the only thing screens and outputs read. Sizes are MB with
 * two decimals, rates per simulated second. Field names follow esxtop's columns where one exists and
 * xentop's for tmem. A counter for a mechanism the running host does not have is null (shown `n/a`).
 */
export interface HostSnapshot {
  readonly t: number;
  readonly tick: number;
  readonly seed: number;
  readonly personality: string;
  /** The screen this personality's operators know: xentop for the Xen personalities, esxtop otherwise. */
  readonly screen: 'esxtop' | 'xentop';
  /** The session's clock (the engine has none): what the header shows of it. */
  readonly clock: ClockState;
  /** While the preset's guests are being powered on, how many are on of how many; null once all are. */
  readonly powerOn: { readonly done: number; readonly of: number } | null;
  /** Which mechanisms the personality has: a screen shows n/a (or nothing) for one it lacks. */
  readonly mechanisms: Mechanisms;
  readonly host: HostCounters;
  readonly guests: readonly GuestSnapshot[];
  /** The newest events, oldest first. */
  readonly events: readonly EngineEvent[];
  /**
   * How many events the host has logged since it started; `events` are the newest of them. A reader
   * of a snapshot that was copied (across a socket or a thread) takes only the events it has not
   * seen by this count: copies of the same event are not the same object.
   */
  readonly eventCount: number;
}

/** What the engine alone says of a tick: a snapshot without the session's clock. */
export type EngineSnapshot = Omit<HostSnapshot, 'clock' | 'powerOn'>;

/** JSON-safe data (no Infinity): snapshots cross worker threads and sockets. */
export interface ClockState {
  readonly paused: boolean;
  /** Simulated seconds per wall second asked for, or as fast as the engine goes. */
  readonly speed: number | 'max';
  /** Simulated seconds per wall second measured over the last few wall seconds; null while paused or not yet measured. */
  readonly achieved: number | null;
}

export interface Mechanisms {
  readonly sharing: boolean;
  readonly balloon: boolean;
  readonly zip: boolean;
  readonly swap: boolean;
  readonly tmem: boolean;
}

export type FreeState = 'high' | 'soft' | 'hard' | 'low';

export interface HostCounters {
  readonly state: FreeState;
  /** Thresholds in MB, from high to low. */
  readonly thresholdsMB: {
    readonly high: number;
    readonly soft: number;
    readonly hard: number;
    readonly low: number;
  };
  readonly totalMB: number;
  readonly freeMB: number;
  /** Frames by use: these add up to totalMB (conservation). */
  readonly privateMB: number;
  readonly sharedMB: number;
  readonly compressedMB: number;
  readonly tmemMB: number;
  readonly overheadMB: number;
  /** The hypervisor's own memory, part of overheadMB. */
  readonly vmkMB: number;
  /** MEM overcommit average over 1, 5 and 15 simulated minutes (esxtop: configured / managed - 1). */
  readonly overcommit: readonly [number, number, number];
  /** PSHARE: guest pages shared, frames behind them, and the saving. */
  readonly pshare: { readonly shared: number; readonly common: number; readonly saving: number };
  readonly swap: {
    readonly curr: number;
    readonly rclmtgt: number;
    readonly readMBs: number;
    readonly writeMBs: number;
  };
  readonly zip: { readonly zipped: number; readonly saved: number };
  readonly memctl: { readonly curr: number; readonly target: number; readonly max: number };
  /** Sum of every guest's throughput. */
  readonly THRU: number;
}

export interface WorkloadSnapshot {
  readonly name: string;
  readonly type: string;
  readonly state: 'running' | 'done' | 'killed';
  readonly sizeMB: number;
  readonly residentMB: number;
  readonly swappedMB: number;
  readonly THRU: number;
}

/** The guest OS's own view: what the hypervisor cannot see. */
export interface GuestOsSnapshot {
  readonly freeMB: number;
  readonly kernelMB: number;
  readonly anonMB: number;
  readonly cacheCleanMB: number;
  readonly cacheDirtyMB: number;
  readonly balloonMB: number;
  readonly swapUsedMB: number;
  readonly swapTotalMB: number;
  readonly committedMB: number;
  readonly swapInsPerSec: number;
  readonly swapOutsPerSec: number;
  /** Pages brought back from guest swap since power-on (from the swap device or frontswap). */
  readonly swapIns: number;
  /**
   * Pages read from and written to the guest's storage (its disk and its swap device) since power-on,
   * and per second over the last tick: page-cache misses that tmem did not satisfy and swap-ins from the
   * device; writebacks and swap-outs to the device.
   */
  readonly storageReads: number;
  readonly storageWrites: number;
  readonly storageReadsPerSec: number;
  readonly storageWritesPerSec: number;
}

export interface GuestSnapshot {
  readonly GID: number;
  readonly name: string;
  readonly os: string;
  readonly vcpus: number;
  /**
   * faulted: stopped by a host fault it cannot get past (a failed swap read); `fault` says why. The
   * engine never says paused: views that show domain states (xentop) mark guests paused while the
   * session's clock is.
   */
  readonly state: 'running' | 'blocked' | 'paused' | 'faulted';
  readonly fault: string | null;
  readonly MEMSZ: number;
  readonly GRANT: number;
  readonly CNSM: number;
  readonly SZTGT: number;
  readonly TCHD: number;
  readonly TCHD_W: number;
  readonly '%ACTV': number;
  readonly '%ACTVS': number;
  readonly '%ACTVF': number;
  readonly '%ACTVN': number;
  readonly 'MCTL?': boolean;
  readonly MCTLSZ: number | null;
  readonly MCTLTGT: number | null;
  readonly MCTLMAX: number | null;
  readonly SWCUR: number | null;
  readonly SWTGT: number | null;
  readonly 'SWR/s': number | null;
  readonly 'SWW/s': number | null;
  readonly CACHESZ: number | null;
  readonly CACHEUSD: number | null;
  readonly 'ZIP/s': number | null;
  readonly 'UNZIP/s': number | null;
  /** Guest memory held compressed (MB before compression): host ZIP zipped. */
  readonly zippedMB: number | null;
  readonly SHRD: number | null;
  readonly ZERO: number | null;
  readonly SHRDSVD: number | null;
  /** Copy-on-write breaks since power-on, in MB (pages copied because a shared page was written). */
  readonly COWH: number | null;
  /** Times the guest paged out a page the host had already swapped or compressed (double paging). */
  readonly doublePaging: number;
  readonly OVHD: number;
  readonly AMIN: number;
  /** -1: no limit, as esxtop prints it. */
  readonly AMAX: number;
  readonly ASHRS: number;
  readonly 'Curr eph pages': number | null;
  readonly 'Succ eph gets': number | null;
  readonly 'Succ pers puts': number | null;
  readonly 'Succ pers gets': number | null;
  /** The rest of the tmem counters xentop has no column for. */
  readonly tmem: {
    readonly persPages: number;
    readonly failedEphPuts: number;
    readonly failedPersPuts: number;
    readonly failedEphGets: number;
    readonly flushes: number;
  } | null;
  /** Operations per simulated second over the last tick. */
  readonly THRU: number;
  /** Simulated seconds of vCPU time since the guest started, for xentop's CPU(sec). */
  readonly cpuSeconds: number;
  /** Fraction of the last tick's vCPU time spent running (0..vcpus*100, xentop's CPU(%)). */
  readonly cpuPercent: number;
  readonly guestOs: GuestOsSnapshot;
  readonly workloads: readonly WorkloadSnapshot[];
}
