import type { ReclaimConfig } from '../config.ts';
import { COST } from '../costs.ts';
import { GuestFaultError, HostOutOfMemoryError } from '../errors.ts';
import { FrameKind, type FramePool } from '../framepool.ts';
import { type FaultHandler, type Guest, PageState } from '../guest.ts';
import type { TmemPort } from '../guestos.ts';
import type { Machine } from '../machine.ts';
import type { Personality } from '../policy/personality.ts';
import type { Rng } from '../rng.ts';
import type { FreeState } from '../snapshot.ts';
import { StoreError, type SwapStore } from '../store/swapstore.ts';
import { pagesToMB } from '../units.ts';
import { HostSwap } from './hostswap.ts';
import { PageSharing } from './sharing.ts';
import { Tmem } from './tmem.ts';
import { VictimPicker } from './victims.ts';
import { ZipCache } from './zipcache.ts';

/** The host as the reclaimer sees it. */
export interface ReclaimContext {
  readonly pool: FramePool;
  readonly machines: readonly Machine[];
  readonly state: FreeState;
  readonly tickNo: number;
  /** Simulated seconds. */
  readonly t: number;
  /** Frames below which free memory must not fall for the state to stay high (the high threshold). */
  readonly highFrames: number;
  /** Frames of the soft threshold. */
  readonly softFrames: number;
  log(kind: 'reclaim' | 'error', message: string, guest?: string): void;
}

/** Per guest reclamation state: what the balloon and swap are aiming for, and the last decision logged. */
interface Plan {
  balloonTarget: number;
  swapTarget: number;
  decision: string;
  picker: VictimPicker;
  /** The guest could not give the balloon what it asked for (said once in the event log). */
  cannotBalloon: boolean;
  /** The balloon holds as much as it may (its maximum). */
  balloonFull: boolean;
  /** A fault of the guest waited for room since the last plan. */
  waiting: boolean;
  /**
   * When each kind of decision (its action and reason) was last written to the event log: one that
   * comes back within a minute is not written again, so a guest whose decision alternates between two
   * (balloon, then balloon + swap, then balloon) shows each once.
   */
  loggedAt: Map<string, number>;
  /** Pages the host may still compress or swap for this guest in this slice (its swap device's pace). */
  evictBudget: number;
}

const mb = (pages: number): string => `${pagesToMB(pages).toFixed(0)} MB`;

/**
 * Reclamation: the mechanisms that move guest pages out of frames (sharing, balloon, compression,
 * host swap, tmem), the faults that bring them back, and the policy of when to use which, driven by
 * the free-memory state and the guests' targets:
 *   high: sharing only (and reclaim from guests above their limit);
 *   soft: balloon guests above target toward it (swap a guest that cannot balloon);
 *   hard: also compress and swap what the balloon will not cover soon;
 *   low:  as hard; guests above target may not allocate (see makeRoom).
 * In every state a limit is a cap: what the balloon cannot take is compressed or swapped, and a guest
 * at its limit gets a new frame only by giving up one of its own.
 * Every decision is an event with its reason.
 */
export class Reclaimer implements FaultHandler {
  readonly sharing: PageSharing;
  readonly hostSwap: HostSwap;
  readonly zip: ZipCache;
  readonly tmem: Tmem;
  private readonly plans = new Map<number, Plan>();
  private ksmCursor = { guest: 0, gpn: 0 };
  ksmFullScans = 0;
  private readonly bounce = new Uint8Array(4096);
  /** The guest whose balloon is inflating now, if any. */
  private inflating: Guest | null = null;

  constructor(
    private readonly ctx: ReclaimContext,
    readonly config: ReclaimConfig,
    private readonly personality: Personality,
    private readonly rng: Rng,
  ) {
    this.sharing = new PageSharing(ctx.pool, (gid) => ctx.machines.find((m) => m.vm.gid === gid)?.vm);
    this.hostSwap = new HostSwap(ctx.pool);
    this.zip = new ZipCache(ctx.pool, config.compression ? config.zipCacheFraction : 0);
    this.tmem = new Tmem(ctx.pool, () => ctx.highFrames + 64);
  }

  plan(vm: Guest): Plan {
    return this.plans.get(vm.gid)!;
  }

  /** Gives a new guest its swap file, compression cache, tmem client and balloon state. */
  attach(m: Machine, swapFile: SwapStore): void {
    this.hostSwap.attach(m.vm, swapFile);
    this.zip.attach(m.vm);
    this.plans.set(m.vm.gid, {
      balloonTarget: 0,
      swapTarget: 0,
      decision: '',
      picker: new VictimPicker(this.config.victim, this.rng.fork(m.vm.gid), m.vm),
      cannotBalloon: false,
      balloonFull: false,
      waiting: false,
      loggedAt: new Map(),
      evictBudget: 0,
    });
    if (this.config.tmem) m.os.tmem = this.tmemPort(m.vm);
  }

  /** A removed guest: every page dropped, then its cache, swap file and tmem pools go. */
  detach(m: Machine): void {
    for (let gpn = 0; gpn < m.vm.pmapState.length; gpn++) this.dropPage(m.vm, gpn);
    this.zip.detach(m.vm);
    this.hostSwap.detach(m.vm);
    this.tmem.destroyGuest(m.vm.gid);
    this.plans.delete(m.vm.gid);
  }

  /** The guest's memory size or reservation changed: its swap file follows. */
  resize(vm: Guest): void {
    this.hostSwap.resize(vm);
  }

  /** Releases whatever backs a guest page; the page is untouched afterwards. */
  dropPage(vm: Guest, gpn: number): void {
    switch (vm.pmapState[gpn]) {
      case PageState.Private:
        this.ctx.pool.release(vm.pmapLoc[gpn]);
        break;
      case PageState.Shared:
        this.sharing.unref(vm.pmapLoc[gpn]);
        break;
      case PageState.Swapped:
        this.hostSwap.free(vm, gpn);
        break;
      case PageState.Compressed:
        this.zip.free(vm, gpn);
        break;
    }
    if (vm.pmapState[gpn] !== PageState.Untouched) vm.setPage(gpn, PageState.Untouched, -1);
  }

  // ---- faults ---------------------------------------------------------------------------------

  fault(vm: Guest, gpn: number, write: boolean, whole: boolean): number {
    if (vm.pmapState[gpn] === PageState.Shared && !write) {
      vm.stall += COST.frameHit;
      return vm.pmapLoc[gpn];
    }
    let frame: number;
    try {
      this.makeRoom(vm, gpn);
      // Only a frame the guest would see as it is needs clearing: a first touch or a COW break of the
      // zero frame, and not even those when the guest overwrites the whole page. Swap-in, decompression
      // and a COW copy fill the frame themselves.
      const was = vm.pmapState[gpn];
      const clear =
        !whole &&
        (was === PageState.Untouched ||
          was === PageState.Ballooned ||
          (was === PageState.Shared && vm.pmapLoc[gpn] === this.sharing.zeroFrame));
      frame = this.allocUrgently(vm, clear);
    } catch (err) {
      // Room is made by writing the guest's own pages out: a failed write stops the guest, as in swapToward.
      if (err instanceof StoreError) throw new GuestFaultError(`host swap failed: ${err.message}`);
      throw err;
    }
    if (frame < 0) throw new HostOutOfMemoryError(`host out of frames backing ${vm.name} page ${gpn}`);
    // Read only now: making room may have moved this very page (a full compression cache spills its
    // oldest page, perhaps this one, to the swap file).
    const state = vm.pmapState[gpn];
    try {
      switch (state) {
        case PageState.Untouched:
        case PageState.Ballooned:
          vm.mapPrivate(gpn, frame);
          vm.stall += COST.zeroFill;
          break;
        case PageState.Shared:
          this.sharing.breakCow(vm, gpn, frame, whole);
          break;
        case PageState.Compressed:
          this.zip.load(vm, gpn, frame);
          break;
        case PageState.Swapped:
          this.hostSwap.swapIn(vm, gpn, frame);
          break;
      }
    } catch (err) {
      this.ctx.pool.release(frame);
      if (err instanceof StoreError) throw new GuestFaultError(`${vm.name} page ${gpn}: ${err.message}`);
      throw err;
    }
    return frame;
  }

  /**
   * A guest at its limit (in every free state), or above its target while the host swaps (hard, low),
   * takes no frame from free memory: the host first compresses or swaps one of the guest's own pages,
   * and the fault waits for that write. This is what makes a limit a hard cap whatever the balloon can
   * still take, and what keeps a guest the host is reclaiming from taking back at once what reclaim
   * frees. In low a guest above its target waits instead (ESX blocks it from allocating), and so does
   * one the host cannot make room for (no swap, or none of its pages left to evict).
   */
  private makeRoom(vm: Guest, gpn: number): void {
    if (this.inflating === vm) return;
    const cap = this.capOf(vm);
    if (cap === 'free') return;
    const p = this.plan(vm);
    if (cap === 'evict') {
      // Pages go out in a batch, as a swap device writes them, and the next faults find the room made.
      // The fault waits for the writes; they use up the slice's swap pace, so reclamation does less.
      for (const victim of p.picker.pick(vm, SYNC_BATCH, this.ctx.tickNo)) {
        if (victim === gpn) continue;
        const how = this.evictNow(vm, victim);
        if (!how) break;
        p.evictBudget--;
        vm.stall += how === 'zip' ? COST.compress : 1 / this.config.swapRate;
      }
      if (this.capOf(vm) === 'free') return;
    }
    // Its balloon is asked for a batch of room beyond what it is over (see planGuest).
    p.waiting = true;
    const why = this.ctx.state === 'low' ? 'above its target in low' : 'at its cap';
    throw new HostOutOfMemoryError(`${vm.name} page ${gpn} waits: ${why}`);
  }

  /**
   * Whether a guest may take a free frame now ('free'), must give one of its own first ('evict'), or
   * waits. At its limit, in every state: it waits while its balloon can still take what is over, else
   * evicts (what the balloon cannot take, the host swaps). Above its target in low: wait (ESX blocks it
   * from allocating). Above its target, on a host that holds its high threshold (ESX), once free memory
   * is under the soft threshold (or the host is in hard): it grows only as fast as the host takes memory
   * back from it, never out of what reclaim frees for the others (it would take at once what ballooning
   * frees, and the host would fall into the next state and back, again and again): evict where the
   * host swaps it now (hard, or no balloon to wait for), else wait for its balloon.
   */
  private capOf(vm: Guest): 'free' | 'evict' | 'wait' {
    const p = this.plans.get(vm.gid);
    if (!p) return 'free'; // powering on: the kernel loads before the guest has a target
    const consumed = consumedPages(vm);
    const canEvict = this.config.hostSwap || this.config.compression;
    const ballooning = this.config.balloon && vm.config.balloonDriver && !p.cannotBalloon && !p.balloonFull;
    const state = this.ctx.state;
    if (consumed - vm.targetPages > deadBand(vm)) {
      if (state === 'low') return 'wait';
      const tight = state === 'hard' || this.ctx.pool.freeFrames < this.ctx.softFrames;
      if (this.personality.holdsHighThreshold && tight) {
        const swaps = !ballooning || this.personality.swapNow({ state, overLimit: false, ballooning });
        return canEvict && swaps ? 'evict' : 'wait';
      }
    }
    const limit = vm.config.limitPages;
    if (limit !== null && consumed + 1 > limit) return canEvict && !ballooning ? 'evict' : 'wait';
    return 'free';
  }

  /**
   * The host is short of memory: in a state below high or, on a host that holds its high threshold,
   * with free memory under it. ESX balloons before free memory reaches the soft threshold, "because it
   * takes time for the balloon driver to allocate and pin guest physical memory", so that free memory
   * usually stays above it (seed 002, 3.5).
   */
  private get short(): boolean {
    if (this.ctx.state !== 'high') return true;
    return this.personality.holdsHighThreshold === true && this.ctx.pool.freeFrames < this.ctx.highFrames;
  }

  /**
   * A frame for a fault, even when none is free: drop an ephemeral tmem page, or evict a page of the
   * faulting guest (compress or swap) at once. -1 when neither is possible.
   */
  private allocUrgently(vm: Guest, clear: boolean): number {
    const pool = this.ctx.pool;
    if (pool.freeFrames === 0 && this.config.tmem) this.tmem.dropEphemeral(1);
    if (pool.freeFrames === 0 && this.config.hostSwap) {
      const plan = this.plans.get(vm.gid);
      try {
        for (const victim of plan ? plan.picker.pick(vm, 4, this.ctx.tickNo) : []) {
          if (this.evict(vm, victim) && pool.freeFrames > 0) break;
        }
      } catch (err) {
        if (err instanceof StoreError) throw new GuestFaultError(`host swap failed: ${err.message}`);
        throw err;
      }
    }
    return clear ? pool.alloc(FrameKind.Private) : pool.allocUnzeroed(FrameKind.Private);
  }

  peek(vm: Guest, gpn: number, into: Uint8Array): void {
    switch (vm.pmapState[gpn]) {
      case PageState.Private:
      case PageState.Shared:
        this.ctx.pool.read(vm.pmapLoc[gpn], into);
        return;
      case PageState.Swapped:
        this.hostSwap.peek(vm, gpn, into);
        return;
      case PageState.Compressed:
        this.zip.peek(vm, gpn, into);
        return;
      default:
        into.fill(0);
    }
  }

  // ---- policy -----------------------------------------------------------------------------------

  /** One slice of reclamation, `dt` simulated seconds long. */
  step(dt: number): void {
    this.scanForSharing(dt);
    if (this.config.tmem && this.ctx.pool.freeFrames < this.ctx.highFrames) {
      this.tmem.dropEphemeral(this.ctx.highFrames - this.ctx.pool.freeFrames);
    }
    for (const m of this.ctx.machines) {
      if (m.vm.faulted) continue;
      this.plan(m.vm).evictBudget = Math.ceil(this.config.swapRate * dt);
      this.planGuest(m);
      this.moveBalloon(m, dt);
      this.swapToward(m);
      this.flushSwap(m.vm);
    }
  }

  /** Once a tick: victim policies that age pages fold in the referenced bits. */
  ageTick(): void {
    for (const m of this.ctx.machines) this.plan(m.vm).picker.age(m.vm, this.ctx.tickNo);
  }

  private scanForSharing(dt: number): void {
    const ms = this.ctx.machines;
    if (this.config.sharing === 'esx') {
      for (const m of ms) {
        const size = m.vm.pmapState.length;
        const n = Math.ceil((size * dt) / this.config.shareScanTime);
        for (let i = 0; i < n; i++) this.sharing.scan(m.vm, m.rng.int(size));
      }
    } else if (this.config.sharing === 'ksm' && ms.length > 0) {
      // KSM walks every registered region in turn, pages_to_scan every sleep_millisecs.
      let n = Math.round((this.config.ksmPagesToScan * dt * 1000) / this.config.ksmSleepMillisecs);
      const c = this.ksmCursor;
      while (n-- > 0) {
        if (c.guest >= ms.length) c.guest = 0;
        const vm = ms[c.guest].vm;
        if (c.gpn < vm.pmapState.length) this.sharing.scan(vm, c.gpn);
        if (++c.gpn >= vm.pmapState.length) {
          c.gpn = 0;
          if (++c.guest >= ms.length) {
            c.guest = 0;
            this.ksmFullScans++;
          }
        }
      }
    }
  }

  /** Sets the balloon and swap targets from the state and the guest's allocation target. */
  private planGuest(m: Machine): void {
    const vm = m.vm;
    const p = this.plan(vm);
    const c = vm.config;
    const consumed = consumedPages(vm);
    // A guest waiting for room at its limit needs its balloon to make some, though it is not over yet.
    const wanted = p.waiting ? SYNC_BATCH : 0;
    p.waiting = false;
    const overLimit = c.limitPages === null ? 0 : Math.max(0, consumed + wanted - c.limitPages);
    const overTarget = consumed - vm.targetPages;
    const pressured = this.short;
    // Below the hard threshold every page over target counts: no dead band. A limit has none either:
    // it is a cap, not a goal to hover around.
    const band = this.ctx.state === 'hard' || this.ctx.state === 'low' ? 0 : deadBand(vm);
    const need = Math.max(overLimit, pressured && overTarget > band ? overTarget : 0);
    const max = Math.floor(c.memszPages * this.config.balloonMaxFraction);
    const balloonOn = this.config.balloon && c.balloonDriver;
    const under = vm.targetPages - consumed;
    p.balloonTarget = balloonOn
      ? this.personality.balloonTarget({
          guest: m.view(),
          state: this.ctx.state,
          need,
          slack: !pressured && under > band ? under : 0,
          max,
          current: p.balloonTarget,
          hostFreePercent: (100 * this.ctx.pool.freeFrames) / this.ctx.pool.frameCount,
          t: this.ctx.t,
        })
      : 0;
    p.balloonFull = m.os.balloonPages >= max;
    const ballooning = balloonOn && !p.cannotBalloon;
    const balloonWillTake = ballooning ? Math.max(0, p.balloonTarget - m.os.balloonPages) : 0;
    // What the balloon can never take (beyond its maximum, or all of it when stuck or absent) the host
    // compresses or swaps in every state; in the states the product swaps in, also what it will not
    // take soon.
    const beyondBalloon = Math.max(0, need - (ballooning ? Math.max(0, max - m.os.balloonPages) : 0));
    const swapAll = this.personality.swapNow({ state: this.ctx.state, overLimit: overLimit > 0, ballooning });
    const swapNeed = !(this.config.hostSwap || this.config.compression)
      ? 0
      : swapAll
        ? Math.max(0, need - balloonWillTake)
        : beyondBalloon;
    p.swapTarget = this.hostSwap.used(vm) + this.zip.usage(vm).pages + swapNeed;
    this.decide(m, need, overLimit, balloonWillTake, swapNeed);
  }

  /** Logs a decision when it changes, with the numbers and its reason in words; not the same one twice a minute. */
  private decide(m: Machine, need: number, overLimit: number, balloon: number, swap: number): void {
    const p = this.plan(m.vm);
    const consumed = mb(consumedPages(m.vm));
    let action = '';
    if (need > 0) {
      const swapWord = this.config.compression ? 'compress/swap' : 'swap';
      action = [balloon > 0 ? 'balloon' : '', swap > 0 ? swapWord : ''].filter(Boolean).join(' + ');
    } else if (m.os.balloonPages > p.balloonTarget) action = 'deflate';
    if (action === p.decision) return;
    p.decision = action;
    const reason = action === 'deflate' ? '' : overLimit > 0 ? 'limit' : this.ctx.state;
    if (!action || !this.firstInAMinute(p, `${action}|${reason}`)) return;
    if (action === 'deflate') {
      this.ctx.log(
        'reclaim',
        `deflate balloon toward ${mb(p.balloonTarget)}: consumed ${consumed} is under target`,
        m.name,
      );
      return;
    }
    const pool = this.ctx.pool;
    const pressure =
      this.ctx.state === 'high'
        ? `free memory ${((100 * pool.freeFrames) / pool.frameCount).toFixed(1)} % is under the high threshold`
        : `${this.ctx.state} state`;
    const why =
      overLimit > 0
        ? `consumed ${consumed} is over its limit ${mb(m.vm.config.limitPages ?? 0)}`
        : `${pressure} and consumed ${consumed} is over its target ${mb(m.vm.targetPages)}`;
    this.ctx.log(
      'reclaim',
      `${action}: balloon target ${mb(p.balloonTarget)}, swap target ${mb(p.swapTarget)}, because ${why}`,
      m.name,
    );
  }

  /** Whether a decision of this kind was not logged for the guest in the last minute; if so, it is now. */
  private firstInAMinute(p: Plan, key: string): boolean {
    if (this.ctx.t - (p.loggedAt.get(key) ?? Number.NEGATIVE_INFINITY) < 60) return false;
    p.loggedAt.set(key, this.ctx.t);
    return true;
  }

  private moveBalloon(m: Machine, dt: number): void {
    const p = this.plan(m.vm);
    const rate = Math.max(1, Math.round(this.config.balloonRate * dt));
    const have = m.os.balloonPages;
    if (have < p.balloonTarget) {
      const got = this.inflate(m, Math.min(rate, p.balloonTarget - have));
      const short = got < Math.min(rate, p.balloonTarget - have);
      if (short && !p.cannotBalloon && this.firstInAMinute(p, 'stuck')) {
        this.ctx.log(
          'reclaim',
          `balloon stuck at ${mb(m.os.balloonPages)}: the guest has no free, cache or swappable pages left to give` +
            (m.vm.config.guestSwapPages === 0 ? ' (no guest swap)' : ''),
          m.name,
        );
      }
      p.cannotBalloon = short;
    } else if (have > p.balloonTarget) {
      m.os.deflate(Math.min(rate, have - p.balloonTarget));
      p.cannotBalloon = false;
    }
  }

  /**
   * The guest's driver inflates; its own paging may need frames (double paging). If the host has none,
   * the balloon keeps what it got so far and tries again next slice.
   */
  private inflate(m: Machine, n: number): number {
    const before = m.os.balloonPages;
    // The guest's own paging for the balloon hands each frame it brings in straight back: not capped.
    this.inflating = m.vm;
    try {
      m.os.inflate(n, (gpn) => {
        this.dropPage(m.vm, gpn);
        m.vm.setPage(gpn, PageState.Ballooned, -1);
      });
    } catch (err) {
      if (err instanceof GuestFaultError) m.vm.faulted = err.message;
      else if (!(err instanceof HostOutOfMemoryError)) throw err;
    } finally {
      this.inflating = null;
    }
    return m.os.balloonPages - before;
  }

  /** Compresses or swaps pages until the guest's swap target is met (at the swap rate). */
  private swapToward(m: Machine): void {
    const vm = m.vm;
    const p = this.plan(vm);
    const out = this.hostSwap.used(vm) + this.zip.usage(vm).pages;
    const n = Math.min(p.swapTarget - out, p.evictBudget);
    if (n <= 0) return;
    try {
      for (const gpn of p.picker.pick(vm, n, this.ctx.tickNo)) {
        if (!this.evict(vm, gpn)) break;
        p.evictBudget--;
      }
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      vm.faulted = `host swap failed: ${err.message}`; // the host reports it once
    }
  }

  /** The slice's swap-outs go to the file as one batch. */
  private flushSwap(vm: Guest): void {
    try {
      this.hostSwap.flush(vm);
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      vm.faulted ??= `host swap failed: ${err.message}`;
    }
  }

  /** One page out of its frame: into the compression cache if it shrinks enough, else to the swap file. */
  private evict(vm: Guest, gpn: number): boolean {
    return this.evictNow(vm, gpn) !== null;
  }

  /** As evict, saying where the page went (null: nowhere, it stays). */
  private evictNow(vm: Guest, gpn: number): 'zip' | 'swap' | null {
    if (vm.pmapState[gpn] !== PageState.Private) return null;
    if (this.config.compression) {
      if (!this.zip.hasRoom(vm) && this.hostSwap.hasRoom(vm)) this.spillOldest(vm);
      if (this.zip.store(vm, gpn) === 'stored') return 'zip';
    }
    if (!this.config.hostSwap) return null;
    return this.hostSwap.swapOut(vm, gpn) ? 'swap' : null;
  }

  /** The compression cache is full: its oldest page goes on to the swap file. */
  private spillOldest(vm: Guest): void {
    const gpn = this.zip.oldest(vm);
    if (gpn < 0) return;
    this.zip.peek(vm, gpn, this.bounce);
    // Written first: if the swap file fails, the page is still in the cache.
    const slot = this.hostSwap.write(vm, this.bounce);
    if (slot < 0) return;
    this.zip.free(vm, gpn);
    this.hostSwap.place(vm, gpn, slot);
  }

  private tmemPort(vm: Guest): TmemPort {
    const t = this.tmem;
    return {
      putEphemeral: (ref, key, bytes) => t.putEphemeral(vm, ref, key, bytes),
      getEphemeral: (ref, key, into) => t.getEphemeral(vm, ref, key, into),
      flush: (ref, key, persistent) => t.flush(vm, ref, key, persistent),
      putPersistent: (key, bytes) => t.putPersistent(vm, key, bytes),
      getPersistent: (key, into) => t.getPersistent(vm, key, into),
      peekPersistent: (key, into) => t.peekPersistent(vm, key, into),
    };
  }
}

/** Pages a guest at its cap gives up at once to make room for its own faults. */
const SYNC_BATCH = 16;

/** A dead band of 1 % of memory (at least 1 MB) keeps a guest sitting at its target from flapping. */
const deadBand = (vm: Guest): number => Math.max(256, Math.ceil(vm.config.memszPages / 100));

/**
 * Host frames a guest consumes: its private frames, its share of each shared frame it maps (recounted
 * once a tick, see PageSharing.charge) and the compression-cache frames holding its pages.
 */
export function consumedPages(vm: Guest): number {
  return vm.stateCount[PageState.Private] + vm.sharedCharge + vm.cacheFrames;
}
