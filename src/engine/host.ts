import type { GuestConfig, HostConfig, WorkloadSpec } from './config.ts';
import { GuestFaultError, HostOutOfMemoryError } from './errors.ts';
import { type EngineEvent, EventLog } from './events.ts';
import { FrameKind, FramePool } from './framepool.ts';
import { initialFreeState, nextFreeState } from './freestate.ts';
import { Guest } from './guest.ts';
import { GpnUse, GuestOS } from './guestos.ts';
import { Machine } from './machine.ts';
import { type Personality, personalityOf } from './policy/index.ts';
import { withoutMechanisms } from './policy/personality.ts';
import { consumedPages, Reclaimer } from './reclaim/reclaimer.ts';
import { Rng } from './rng.ts';
import type { FreeState } from './snapshot.ts';
import { SwapDirectory, type SwapStore } from './store/swapstore.ts';

export interface HostOptions {
  config: HostConfig;
  seed: number;
  personality?: string;
  /** Processes keep a plain copy of what they write and check every read (tests and soak runs). */
  verify?: boolean;
  /** Makes the store behind a guest's swap device or disk; real files in a temp dir by default. */
  storeFactory?: (name: string) => SwapStore;
}

/** Frames one operation can need at most (a page, a page-cache page, a guest page-in): the host keeps them free. */
export const OP_FRAMES = 8;
/** Slices per tick: guests take turns within a tick so none gets all the memory first. */
const SLICES = 10;

/** The hypervisor's own memory (esxtop's vmk): 1.5 % of the host, between 8 and 256 MiB. */
export const vmkPagesFor = (memoryPages: number): number =>
  Math.min(65536, Math.max(2048, Math.ceil(memoryPages * 0.015)));

/**
 * The simulated host: host memory, the guests on it and the tick that moves them. Each tick the
 * guests' programs run (their accesses faulting pages in through the pmap), the free-memory state is
 * computed with its transitions logged, working sets are sampled and allocation targets set.
 */
export class Host {
  readonly pool: FramePool;
  readonly machines: Machine[] = [];
  readonly events = new EventLog();
  readonly rng: Rng;
  readonly config: HostConfig;
  readonly seed: number;
  readonly personality: Personality;
  readonly verify: boolean;
  t = 0;
  tickNo = 0;
  /** A tick is under way (between its first slice and its end). */
  private inTick = false;
  /** The fewest free frames seen at any point of the tick under way (see updateState). */
  private tickMinFree = 0;
  state: FreeState;
  readonly vmkPages: number;
  readonly reclaimer: Reclaimer;
  /** esxtop's MEM overcommit average over 1, 5 and 15 minutes, decayed like a load average. */
  readonly overcommit: [number, number, number] = [0, 0, 0];
  private nextGid = 1;
  private swapDir: SwapDirectory | null = null;
  private readonly storeFactory: (name: string) => SwapStore;
  private storeSeq = 0;
  /** Called at the end of every tick, however it was started (the session applies its timeline here). */
  afterTick: (() => void) | null = null;

  constructor(options: HostOptions) {
    this.config = options.config;
    this.seed = options.seed;
    this.personality = personalityOf(options.personality ?? 'esx', options.config.policy);
    this.verify = options.verify ?? false;
    this.rng = new Rng(options.seed);
    this.pool = new FramePool(options.config.memoryPages);
    this.vmkPages = vmkPagesFor(options.config.memoryPages);
    // The hypervisor's own memory and the guests' overhead: no guest reads it, so it is not cleared.
    for (let i = 0; i < this.vmkPages; i++) this.pool.allocUnzeroed(FrameKind.Overhead);
    this.storeFactory =
      options.storeFactory ??
      ((name) => {
        this.swapDir ??= new SwapDirectory(this.config.swapDir);
        return this.swapDir.create(name);
      });
    this.state = initialFreeState(this.freePercent, this.config.thresholds);
    this.reclaimer = new Reclaimer(
      this,
      withoutMechanisms(this.personality.reclaim(options.config.reclaim), options.config.without ?? []),
      this.personality,
      this.rng.fork(0),
    );
  }

  /** Frames that make up the high threshold: free memory the host tries to keep. */
  get highFrames(): number {
    return Math.ceil((this.pool.frameCount * this.config.thresholds.high) / 100);
  }

  /** Frames of the soft threshold. */
  get softFrames(): number {
    return Math.ceil((this.pool.frameCount * this.config.thresholds.soft) / 100);
  }

  get freePercent(): number {
    return (100 * this.pool.freeFrames) / this.pool.frameCount;
  }

  machine(name: string): Machine | undefined {
    return this.machines.find((m) => m.name === name);
  }

  log(kind: EngineEvent['kind'], message: string, guest?: string): void {
    this.events.push({ t: this.t, kind, message, ...(guest ? { guest } : {}) });
  }

  // ---- guests ---------------------------------------------------------------------------------

  /** Powers a guest on: overhead frames, the kernel's pages, then its workloads. Checked by the caller. */
  addGuest(config: GuestConfig, workloads: readonly WorkloadSpec[] = []): Machine {
    const vm = new Guest(this.nextGid++, { ...config }, this.pool, this.reclaimer);
    for (let i = 0; i < config.overheadPages; i++)
      vm.overheadFrames.push(this.pool.allocUnzeroed(FrameKind.Overhead));
    const seq = ++this.storeSeq;
    const os = new GuestOS(
      vm,
      this.pool,
      this.storeFactory(`${config.name}-${seq}-guestswap`),
      this.storeFactory(`${config.name}-${seq}-disk`),
      this.verify,
    );
    os.boot();
    const m = new Machine(vm, os, this.rng.fork(vm.gid), this.config.samplePeriod, this.config.samplePages);
    this.reclaimer.attach(m, this.storeFactory(`${config.name}-${seq}-vswp`));
    this.machines.push(m);
    for (const spec of workloads) m.start(spec);
    this.setTargets();
    return m;
  }

  removeGuest(m: Machine): void {
    for (const w of m.workloads) w.stop();
    this.reclaimer.detach(m);
    for (const f of m.vm.overheadFrames) this.pool.release(f);
    m.os.close();
    this.machines.splice(this.machines.indexOf(m), 1);
  }

  /** Hot-adds memory or hot-removes free memory from the top of the guest. */
  setMemsz(m: Machine, pages: number): void {
    if (pages > m.vm.config.memszPages) {
      m.vm.grow(pages);
      m.os.grow(pages);
    } else {
      for (let gpn = pages; gpn < m.vm.config.memszPages; gpn++) this.reclaimer.dropPage(m.vm, gpn);
      m.vm.shrink(pages);
      m.os.shrink(pages);
    }
    m.vm.config = { ...m.vm.config, memszPages: pages };
    this.reclaimer.resize(m.vm);
  }

  /** A new reservation: the guest's swap file is sized by memsz less reservation. */
  setReservation(m: Machine, pages: number): void {
    m.vm.config = { ...m.vm.config, reservationPages: pages };
    this.reclaimer.resize(m.vm);
  }

  /**
   * Whether a guest may run an operation now: the host can back it. (A guest above its target in `low`
   * runs on what it has; its next allocation waits: see Reclaimer.makeRoom.)
   */
  private mayRun(m: Machine): boolean {
    return !m.vm.faulted && this.pool.freeFrames >= OP_FRAMES;
  }

  // ---- the tick -------------------------------------------------------------------------------

  /** One whole tick. */
  tick(): void {
    for (const _ of this.slices());
  }

  /**
   * One tick in its parts: each of its ten slices runs every guest in turn, then reclaims, and the
   * tick pauses between any two of these (a guest's run, reclamation), so a caller that must stay
   * responsive (the dashboard's clock) can run a long tick in parts of about one guest's work.
   * Nothing else may change the host until the tick ends; the session finishes a tick under way
   * before it applies a command.
   */
  *slices(): Generator<void, void, void> {
    if (this.inTick) throw new Error('a tick started while another was under way');
    this.inTick = true;
    try {
      yield* this.runSlices();
    } finally {
      this.inTick = false;
    }
  }

  private *runSlices(): Generator<void, void, void> {
    const dt = this.config.tick;
    this.tickMinFree = this.pool.freeFrames;
    const waited = new Set<Machine>();
    for (const m of this.machines) m.beginTick();
    for (let s = 0; s < SLICES; s++) {
      for (const [i, m] of this.machines.entries()) {
        if (s > 0 || i > 0) yield;
        m.run(
          (m.vm.config.vcpus * dt) / SLICES,
          () => this.mayRun(m),
          (w, why) => {
            this.log('workload', `${w.spec.name} killed by the guest's OOM killer: ${why}`, m.name);
          },
        );
        if (m.blocked) waited.add(m);
      }
      yield;
      this.updateState();
      this.reclaimer.step(dt / SLICES);
      this.reportFaults();
      this.updateState();
    }
    this.reclaimer.ageTick();
    for (const m of this.machines) {
      m.vm.shareCount = this.reclaimer.sharing.charge(m.vm);
      this.flush(m);
      m.endTick();
      m.sampler.advance(dt, m.vm, m.rng);
    }
    this.reportFaults();
    this.t = round6(this.t + dt);
    this.tickNo++;
    this.hotAdd();
    this.setTargets();
    // What the new targets give guests that waited for memory this tick is as good as taken.
    let promised = 0;
    for (const m of waited) promised += Math.max(0, m.vm.targetPages - consumedPages(m.vm));
    this.updateState(true, promised);
    this.averageOvercommit(dt);
    this.afterTick?.();
  }

  /** A guest stopped by a host fault is said once in the event log. */
  private reportFaults(): void {
    for (const m of this.machines) {
      if (!m.vm.faulted || m.faultLogged) continue;
      m.faultLogged = true;
      this.log('error', `${m.vm.faulted}; ${m.name} is stopped, its pages are where they were`, m.name);
    }
  }

  /** The guest's flusher writes back some dirty cache; with no frame to read a swapped page into, later. */
  private flush(m: Machine): void {
    if (m.vm.faulted) return;
    try {
      m.os.writeback(Math.max(64, Math.ceil(m.os.useCount[GpnUse.CacheDirty] / 8)));
    } catch (err) {
      if (err instanceof GuestFaultError) m.vm.faulted = err.message;
      else if (!(err instanceof HostOutOfMemoryError)) throw err;
    }
  }

  /** Personalities that grow guests (Hyper-V Dynamic Memory) hot-add memory here. */
  private hotAdd(): void {
    if (!this.personality.resize) return;
    for (const m of this.machines) {
      const pages = this.personality.resize(m.view(), this.pool.freeFrames - this.highFrames);
      if (pages === null) continue;
      this.log(
        'reclaim',
        `hot-add: memory ${mb(m.vm.config.memszPages)} -> ${mb(pages)}: demand plus buffer exceeds it`,
        m.name,
      );
      this.setMemsz(m, pages);
    }
  }

  /** Configured guest memory and overhead against what the host manages, minus one (0: not overcommitted). */
  private averageOvercommit(dt: number): void {
    let configured = 0;
    for (const m of this.machines) configured += m.vm.config.memszPages + m.vm.config.overheadPages;
    const now = Math.max(0, configured / (this.pool.frameCount - this.vmkPages) - 1);
    [60, 300, 900].forEach((window, i) => {
      const keep = Math.exp(-dt / window);
      this.overcommit[i] = this.overcommit[i] * keep + now * (1 - keep);
    });
  }

  /**
   * Recomputes the free state. Falling is at once, whenever it is checked (the host must react). Rising
   * is at the end of a tick, and only when free memory stayed clear of the threshold through the whole
   * tick, less what the new targets owe guests that waited for memory: a host whose free memory dipped
   * back under it, or that has promised it to guests queued for it, is still short, and rising then
   * would lift the blocking and the swapping that were keeping it afloat, so it would fall straight back
   * (the state flapped once a tick when a guest powering on took what reclaim freed).
   */
  private updateState(endOfTick = false, promised = 0): void {
    this.tickMinFree = Math.min(this.tickMinFree, this.pool.freeFrames);
    const th = this.config.thresholds;
    const pct = (frames: number): number => (100 * frames) / this.pool.frameCount;
    const least = endOfTick ? this.tickMinFree - promised : this.pool.freeFrames;
    const next = nextFreeState(this.state, pct(least), th);
    const rises = ORDER.indexOf(next) < ORDER.indexOf(this.state);
    if (next === this.state || rises !== endOfTick) return;
    const owed = promised > 0 ? ` less ${(promised / 256).toFixed(0)} MB owed to guests waiting for it` : '';
    const low = endOfTick ? `, at least ${pct(least).toFixed(1)} % all tick${owed}` : '';
    this.log(
      'state',
      `free memory ${this.freePercent.toFixed(1)} % (${(this.pool.freeFrames / 256).toFixed(0)} MB)${low}: ` +
        `${this.state} -> ${next} (thresholds ${th.high}/${th.soft}/${th.hard}/${th.low} %)`,
    );
    this.state = next;
  }

  private setTargets(): void {
    const overhead = this.pool.kindCount[FrameKind.Overhead];
    const nodeLimit = this.config.policy.nodeLimitPages ?? Number.POSITIVE_INFINITY;
    // A guest stopped by a fault cannot give anything back: it keeps what it has, the others share the rest.
    const live = this.machines.filter((m) => !m.vm.faulted);
    const pinned = this.machines.reduce((a, m) => a + (m.vm.faulted ? consumedPages(m.vm) : 0), 0);
    const hostAvailable = this.pool.frameCount - overhead - this.highFrames - pinned;
    const available = Math.min(nodeLimit, Math.max(0, hostAvailable));
    for (const m of this.machines) if (m.vm.faulted) m.vm.targetPages = Math.ceil(consumedPages(m.vm));
    const targets = this.personality.targets(
      live.map((m) => ({
        memsz: m.vm.config.memszPages,
        reservation: m.vm.config.reservationPages,
        limit: m.vm.config.limitPages,
        shares: m.vm.config.shares,
        active: m.sampler.active,
        consumed: consumedPages(m.vm),
      })),
      available,
      this.config.idleTax,
    );
    live.forEach((m, i) => {
      m.vm.targetPages = targets[i];
    });
  }

  /** Closes every swap and disk file. */
  close(): void {
    for (const m of this.machines) m.os.close();
    this.swapDir?.closeAll();
  }
}

const ORDER: readonly FreeState[] = ['high', 'soft', 'hard', 'low'];
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const mb = (pages: number): string => `${Math.round(pages / 256)} MB`;
