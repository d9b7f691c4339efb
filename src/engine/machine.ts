import type { WorkloadSpec } from './config.ts';
import { GuestFaultError, HostOutOfMemoryError } from './errors.ts';
import { type Guest, type GuestStats, newGuestStats } from './guest.ts';
import { GuestOomError, type GuestOS, type GuestOsStats } from './guestos.ts';
import type { GuestView } from './policy/personality.ts';
import type { Rng } from './rng.ts';
import { ActiveSampler } from './sampler.ts';
import { createWorkload } from './workloads/index.ts';
import type { Workload } from './workloads/workload.ts';

/** What one guest did in the last tick: operations, busy vCPU time, and the change in every counter. */
export interface TickCounters {
  ops: number;
  busy: number;
  host: GuestStats;
  os: GuestOsStats;
}

function delta<T extends object>(now: T, before: T): T {
  const out = { ...now };
  for (const k of Object.keys(out) as (keyof T)[])
    (out[k] as number) = (now[k] as number) - (before[k] as number);
  return out;
}

/**
 * One running guest: the hypervisor's view (Guest, with its pmap), the OS inside it, its programs and
 * its working-set sampler. `run` spends a slice of vCPU time on the programs, in turn.
 */
export class Machine {
  readonly workloads: Workload[] = [];
  readonly sampler: ActiveSampler;
  cpuSeconds = 0;
  blocked = false;
  /** Memory at power-on (Hyper-V's startup memory). */
  readonly startupPages: number;
  /** Whether the host fault that stopped this guest has been reported. */
  faultLogged = false;
  tick: TickCounters;
  private before: { host: GuestStats; os: GuestOsStats };
  private turn = 0;
  private workloadSeq = 0;

  constructor(
    readonly vm: Guest,
    readonly os: GuestOS,
    readonly rng: Rng,
    samplePeriod: number,
    samplePages: number,
  ) {
    this.sampler = new ActiveSampler(samplePeriod, samplePages);
    this.startupPages = vm.config.memszPages;
    this.before = { host: { ...vm.stats }, os: { ...os.stats } };
    this.tick = { ops: 0, busy: 0, host: newGuestStats(), os: delta(os.stats, os.stats) };
  }

  /** Starts a tick's counters. */
  beginTick(): void {
    this.before = { host: { ...this.vm.stats }, os: { ...this.os.stats } };
    this.tick = { ...this.tick, ops: 0, busy: 0 };
    for (const w of this.workloads) w.opsThisTick = 0;
  }

  /** Closes a tick's counters: the changes since beginTick. */
  endTick(): void {
    this.tick.host = delta(this.vm.stats, this.before.host);
    this.tick.os = delta(this.os.stats, this.before.os);
  }

  get name(): string {
    return this.vm.name;
  }

  /** What a personality sees of this guest. */
  view(): GuestView {
    return {
      gid: this.vm.gid,
      config: this.vm.config,
      targetPages: this.vm.targetPages,
      startupPages: this.startupPages,
      balloonPages: this.os.balloonPages,
      freePages: this.os.freePages,
      committedPages: this.os.committedPages,
    };
  }

  start(spec: WorkloadSpec): Workload {
    const seed = (this.vm.gid << 16) ^ ++this.workloadSeq;
    // A boot of size 0 clears all the memory the guest has free.
    const sizePages =
      spec.type === 'boot' && spec.sizePages === 0 ? Math.max(1, this.os.freePages - 64) : spec.sizePages;
    const w = createWorkload(
      { ...spec, sizePages },
      this.os,
      this.vm.config.os,
      this.rng.fork(this.workloadSeq),
      seed,
    );
    this.workloads.push(w);
    return w;
  }

  workload(name: string): Workload | undefined {
    return this.workloads.find((w) => w.spec.name === name && w.state === 'running');
  }

  /**
   * Runs programs for `budget` vCPU-seconds, or until `mayAllocate` says the host cannot back another
   * operation (the guest is then blocked for the rest of the slice). Returns the seconds used.
   * A program the guest OS cannot find memory for is killed (its OOM killer), with `onKill` told why.
   */
  run(budget: number, mayAllocate: () => boolean, onKill: (w: Workload, why: string) => void): number {
    let used = 0;
    this.blocked = false;
    while (used < budget) {
      const w = this.nextRunnable();
      if (!w) break;
      if (!mayAllocate()) {
        this.blocked = true;
        break;
      }
      this.vm.stall = 0;
      try {
        const cpu = w.step();
        used += cpu + this.vm.stall;
        w.opsThisTick++;
        w.totalOps++;
        this.tick.ops++;
      } catch (err) {
        if (err instanceof GuestFaultError) {
          this.vm.faulted = err.message;
          break;
        }
        if (err instanceof HostOutOfMemoryError) {
          this.blocked = true;
          break;
        }
        if (!(err instanceof GuestOomError)) throw err;
        w.stop('killed');
        onKill(w, err.message);
      }
    }
    this.tick.busy += used;
    this.cpuSeconds += used;
    return used;
  }

  private nextRunnable(): Workload | undefined {
    const n = this.workloads.length;
    for (let i = 0; i < n; i++) {
      const w = this.workloads[(this.turn + i) % n];
      if (w.runnable) {
        this.turn = (this.turn + i + 1) % n;
        return w;
      }
    }
    return undefined;
  }
}
