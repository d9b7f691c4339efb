/**
 * Shared builders and checkers for the reclamation proofs: a verifying host factory, guest and workload
 * builders, a swap store that fails on command, the conservation checker, a whole-address-space data
 * check, and a probe that counts which page paths the engine took (and checks page-cache reads).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { applyCommand } from '../../src/engine/apply-command.ts';
import type { Command } from '../../src/engine/commands.ts';
import {
  defaultHostConfig,
  type GuestConfig,
  type HostConfig,
  type OsType,
  type ReclaimConfig,
  VICTIM_POLICIES,
  type VictimPolicy,
  type WorkloadSpec,
  type WorkloadType,
} from '../../src/engine/config.ts';
import { fillPage } from '../../src/engine/content.ts';
import { FRAME_KINDS, FrameKind } from '../../src/engine/framepool.ts';
import { type Guest, PAGE_STATES, PageState } from '../../src/engine/guest.ts';
import { GpnUse, type GuestFile, type GuestOS } from '../../src/engine/guestos.ts';
import { Host } from '../../src/engine/host.ts';
import type { Machine } from '../../src/engine/machine.ts';
import { DataLossError, slotOf, UNMAPPED, verification } from '../../src/engine/process.ts';
import { takeSnapshot } from '../../src/engine/snapshot-build.ts';
import { MemorySwapStore, StoreError, type SwapStore } from '../../src/engine/store/swapstore.ts';
import { PAGE_SIZE } from '../../src/engine/units.ts';
import { workloadSpec } from '../../src/engine/workloads/defaults.ts';
import { guestConfig } from '../engine/helpers.ts';

/** A guest config with ESX-like defaults (balloon driver, guest swap half of memsz); anything overridable. */
export { guestConfig };

/** Pages per MiB. */
export const MiB = 256;

// ---- hosts and guests ---------------------------------------------------------------------------

export interface HostOptions {
  /** Host memory in pages (256 a MiB); 64 MiB by default. */
  pages?: number;
  seed?: number;
  /** Changes to the host config before the host is built (ESX sharing scans every 5 s by default). */
  tweak?: (config: HostConfig) => void;
  /** The product personality (default esx). */
  personality?: string;
  /**
   * Mechanisms forced on the host's effective reclaim config before any guest attaches. The personality
   * builds that config from `config.reclaim` and pins some fields (ESX: tmem off, random victims), so
   * this is how a run gets every mechanism at once (sharing, balloon, compression, host swap and tmem).
   */
  reclaim?: Partial<ReclaimConfig>;
  storeFactory?: (name: string) => SwapStore;
}

/** A verifying host (ESX personality unless told) with its stores in memory. */
export function makeHost(options: HostOptions = {}): Host {
  const config = defaultHostConfig(options.pages ?? 64 * MiB);
  config.reclaim.shareScanTime = 5;
  options.tweak?.(config);
  const host = new Host({
    config,
    seed: options.seed ?? 1,
    personality: options.personality ?? 'esx',
    verify: true,
    storeFactory: options.storeFactory ?? (() => new MemorySwapStore()),
  });
  if (options.reclaim) Object.assign(host.reclaimer.config, options.reclaim);
  return host;
}

/** Every mechanism at once: ESX's sharing, balloon, compression and host swap, plus tmem. */
export const ALL_MECHANISMS: Partial<ReclaimConfig> = {
  sharing: 'esx',
  balloon: true,
  compression: true,
  hostSwap: true,
  tmem: true,
};

/** Runs `fn` on a fresh host and always closes it. */
export function withHost<T>(options: HostOptions, fn: (host: Host) => T): T {
  const host = makeHost(options);
  try {
    return fn(host);
  } finally {
    host.close();
  }
}

/** A workload spec: `wl('database', 3000, { locality: 0.5 })`. */
export function wl(
  type: WorkloadType,
  sizePages?: number,
  over: Partial<Omit<WorkloadSpec, 'type'>> = {},
): WorkloadSpec {
  return workloadSpec(type, { ...(sizePages !== undefined ? { sizePages } : {}), ...over });
}

/** Applies a command that must succeed. */
export function must(host: Host, cmd: Command): void {
  const r = applyCommand(host, cmd);
  if (!r.ok) throw new Error(`command refused: ${r.error}`);
}

/** Adds a guest through applyCommand (so it is admission-checked) and returns its machine. */
export function addGuest(host: Host, config: GuestConfig, workloads: WorkloadSpec[] = []): Machine {
  must(host, { type: 'addGuest', guest: config, workloads });
  return machineOf(host, config.name);
}

export function machineOf(host: Host, name: string): Machine {
  const m = host.machine(name);
  if (!m) throw new Error(`no guest ${name}`);
  return m;
}

/** Ticks until `done` holds, at most `max` ticks; returns the ticks used (throws if it never holds). */
export function tickUntil(host: Host, done: () => boolean, max: number, each?: () => void): number {
  for (let i = 0; i < max; i++) {
    if (done()) return i;
    host.tick();
    each?.();
  }
  if (done()) return max;
  throw new Error(`condition not reached in ${max} ticks`);
}

export const pageOf = (kind: 'random' | 'text' | 'heap' | 'db' | 'os', seed: number, index: number) => {
  const p = new Uint8Array(PAGE_SIZE);
  fillPage(p, kind, seed, index);
  return p;
};

export const same = (a: Uint8Array, b: Uint8Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

// ---- a swap store that fails on command ------------------------------------------------------------

export type WriteFault = 'ENOSPC' | 'EIO';
/** SHORT_READ: the store reports a short read; SILENT_SHORT: it copies half a page and says nothing. */
export type ReadFault = 'EIO' | 'SHORT_READ' | 'SILENT_SHORT';

/**
 * A MemorySwapStore that can be told to fail: writes with ENOSPC or EIO, reads with EIO or a short read
 * (reported, or silent so only the checksum can tell), and stored pages can have a bit flipped.
 */
export class FaultyStore implements SwapStore {
  private readonly inner = new MemorySwapStore();
  /** Slots written at least once. */
  readonly written = new Set<number>();
  failWrite: WriteFault | null = null;
  failRead: ReadFault | null = null;
  writes = 0;
  reads = 0;
  writeFaults = 0;
  readFaults = 0;
  corrupted = 0;

  constructor(readonly name: string) {}

  write(slot: number, page: Uint8Array): void {
    if (this.failWrite) {
      this.writeFaults++;
      throw new StoreError(this.failWrite, `${this.name}: injected ${this.failWrite} writing slot ${slot}`);
    }
    this.inner.write(slot, page);
    this.written.add(slot);
    this.writes++;
  }

  writeRun(slot: number, pages: readonly Uint8Array[]): void {
    for (let k = 0; k < pages.length; k++) this.write(slot + k, pages[k]);
  }

  read(slot: number, into: Uint8Array): void {
    this.reads++;
    if (this.failRead === 'EIO' || this.failRead === 'SHORT_READ') {
      this.readFaults++;
      throw new StoreError(this.failRead, `${this.name}: injected ${this.failRead} reading slot ${slot}`);
    }
    if (this.failRead === 'SILENT_SHORT') {
      this.readFaults++;
      const full = new Uint8Array(PAGE_SIZE);
      this.inner.read(slot, full);
      into.set(full.subarray(0, PAGE_SIZE / 2)); // the rest of `into` keeps whatever it held
      return;
    }
    this.inner.read(slot, into);
  }

  /** Flips one bit of what is stored at `slot` (the stored data itself changes). */
  corrupt(slot: number, bit = 12345): void {
    const page = new Uint8Array(PAGE_SIZE);
    this.inner.read(slot, page);
    page[(bit >>> 3) % PAGE_SIZE] ^= 1 << (bit & 7);
    this.inner.write(slot, page);
    this.corrupted++;
  }

  /** Flips a bit in every slot in `slots`. */
  corruptAll(slots: Iterable<number>): void {
    for (const s of slots) this.corrupt(s);
  }

  heal(): void {
    this.failWrite = null;
    this.failRead = null;
  }

  close(): void {
    this.inner.close();
  }
}

/** A store factory whose host swap files (`-vswp`) are FaultyStores, found by guest name. */
export class FaultyStores {
  private readonly byGuest = new Map<string, FaultyStore>();

  readonly factory = (name: string): SwapStore => {
    if (!name.endsWith('-vswp')) return new MemorySwapStore();
    const store = new FaultyStore(name);
    const guest = name.replace(/-\d+-vswp$/, '');
    this.byGuest.set(guest, store);
    return store;
  };

  vswp(guest: string): FaultyStore {
    const s = this.byGuest.get(guest);
    if (!s) throw new Error(`no host swap file for ${guest}`);
    return s;
  }
}

// ---- conservation -------------------------------------------------------------------------------

export class ConservationError extends Error {}

function fail(message: string): never {
  throw new ConservationError(message);
}

/**
 * Every conservation invariant, checked from the raw arrays (throws ConservationError naming the first
 * one broken):
 *  - sum of pool.kindCount === frameCount, and each kindCount equals pool.recount();
 *  - snapshot free + private + shared + compressed + tmem + overhead === total (to MB rounding);
 *  - each guest's stateCount matches a recount of its pmap and sums to memsz;
 *  - every Private pmap entry's frame has kind Private, owner/ownerPage pointing back, and no frame is
 *    mapped privately twice; private frames mapped === kindCount[Private];
 *  - every Shared pmap entry's frame has kind Shared and refcount === pmap entries (all guests) mapping
 *    it; every Shared frame is mapped;
 *  - swapped pages === host swap slots used, compressed pages === compression cache pages;
 *  - tmem frames === the pages the tmem counters say are held;
 *  - the guest OS's page uses add up to memsz, and balloon pages have no frame behind them.
 */
export function checkConservation(host: Host): void {
  const pool = host.pool;
  const recount = pool.recount();
  let sum = 0;
  for (let k = 0; k < FRAME_KINDS; k++) {
    sum += pool.kindCount[k];
    if (pool.kindCount[k] !== recount[k])
      fail(`kindCount[${k}] = ${pool.kindCount[k]}, recount ${recount[k]}`);
  }
  if (sum !== pool.frameCount) fail(`kindCount sums to ${sum}, frameCount ${pool.frameCount}`);
  if (pool.freeFrames !== pool.kindCount[FrameKind.Free])
    fail(`freeFrames ${pool.freeFrames} != kindCount[Free] ${pool.kindCount[FrameKind.Free]}`);

  let privateMapped = 0;
  const privateSeen = new Uint8Array(pool.frameCount);
  const sharedMappers = new Map<number, number>();
  let tmemHeld = 0;
  for (const m of host.machines) {
    const vm = m.vm;
    const memsz = vm.config.memszPages;
    if (vm.pmapState.length !== memsz)
      fail(`${vm.name}: pmap has ${vm.pmapState.length} pages, memsz ${memsz}`);
    const states = new Float64Array(PAGE_STATES);
    for (let gpn = 0; gpn < memsz; gpn++) {
      const s = vm.pmapState[gpn];
      states[s]++;
      const frame = vm.pmapLoc[gpn];
      if (s === PageState.Private) {
        if (frame < 0 || frame >= pool.frameCount) fail(`${vm.name} gpn ${gpn}: private in frame ${frame}`);
        if (
          pool.kind[frame] !== FrameKind.Private ||
          pool.owner[frame] !== vm.gid ||
          pool.ownerPage[frame] !== gpn
        )
          fail(
            `${vm.name} gpn ${gpn} -> frame ${frame}: kind ${pool.kind[frame]}, owner ${pool.owner[frame]}, ` +
              `ownerPage ${pool.ownerPage[frame]} (want Private, ${vm.gid}, ${gpn})`,
          );
        if (privateSeen[frame]) fail(`frame ${frame} is mapped privately twice`);
        privateSeen[frame] = 1;
        privateMapped++;
      } else if (s === PageState.Shared) {
        if (frame < 0 || frame >= pool.frameCount || pool.kind[frame] !== FrameKind.Shared)
          fail(`${vm.name} gpn ${gpn} is shared in frame ${frame} of kind ${pool.kind[frame]}`);
        sharedMappers.set(frame, (sharedMappers.get(frame) ?? 0) + 1);
      }
    }
    let stateSum = 0;
    for (let s = 0; s < PAGE_STATES; s++) {
      stateSum += vm.stateCount[s];
      if (vm.stateCount[s] !== states[s])
        fail(`${vm.name}: stateCount[${s}] = ${vm.stateCount[s]}, pmap has ${states[s]}`);
    }
    if (stateSum !== memsz) fail(`${vm.name}: stateCount sums to ${stateSum}, memsz ${memsz}`);
    const r = host.reclaimer;
    if (vm.stateCount[PageState.Swapped] !== r.hostSwap.used(vm))
      fail(
        `${vm.name}: ${vm.stateCount[PageState.Swapped]} swapped pages, ${r.hostSwap.used(vm)} swap slots used`,
      );
    if (vm.stateCount[PageState.Compressed] !== r.zip.usage(vm).pages)
      fail(
        `${vm.name}: ${vm.stateCount[PageState.Compressed]} compressed pages, cache holds ${r.zip.usage(vm).pages}`,
      );
    const ts = r.tmem.statsOf(vm.gid);
    tmemHeld += ts.ephPages + ts.persPages;

    const os = m.os;
    if (os.memszPages !== memsz) fail(`${vm.name}: guest OS has ${os.memszPages} pages, memsz ${memsz}`);
    let uses = 0;
    for (const c of os.useCount) uses += c;
    if (uses !== memsz) fail(`${vm.name}: guest page uses sum to ${uses}, memsz ${memsz}`);
    if (os.freePages !== os.useCount[GpnUse.Free])
      fail(`${vm.name}: free list ${os.freePages}, useCount[Free] ${os.useCount[GpnUse.Free]}`);
    if (os.balloonPages !== os.useCount[GpnUse.Balloon])
      fail(`${vm.name}: balloon ${os.balloonPages}, useCount[Balloon] ${os.useCount[GpnUse.Balloon]}`);
    for (let gpn = 0; gpn < memsz; gpn++) {
      if (os.use[gpn] === GpnUse.Balloon && vm.pmapState[gpn] !== PageState.Ballooned)
        fail(`${vm.name}: balloon page ${gpn} is in pmap state ${vm.pmapState[gpn]}`);
    }
    let overhead = 0;
    for (const f of vm.overheadFrames) if (pool.kind[f] === FrameKind.Overhead) overhead++;
    if (overhead !== vm.config.overheadPages)
      fail(`${vm.name}: ${overhead} overhead frames, config says ${vm.config.overheadPages}`);
  }
  if (privateMapped !== pool.kindCount[FrameKind.Private])
    fail(`${privateMapped} private frames mapped, kindCount[Private] ${pool.kindCount[FrameKind.Private]}`);
  for (const [frame, n] of sharedMappers) {
    if (pool.refcount[frame] !== n)
      fail(`shared frame ${frame}: refcount ${pool.refcount[frame]}, mapped by ${n}`);
  }
  if (sharedMappers.size !== pool.kindCount[FrameKind.Shared])
    fail(`${sharedMappers.size} shared frames mapped, kindCount[Shared] ${pool.kindCount[FrameKind.Shared]}`);
  if (tmemHeld !== pool.kindCount[FrameKind.Tmem])
    fail(`tmem counters hold ${tmemHeld} pages, kindCount[Tmem] ${pool.kindCount[FrameKind.Tmem]}`);

  const h = takeSnapshot(host).host;
  const parts = h.freeMB + h.privateMB + h.sharedMB + h.compressedMB + h.tmemMB + h.overheadMB;
  if (Math.abs(parts - h.totalMB) > 0.035)
    fail(`snapshot parts add up to ${parts} MB, total ${h.totalMB} MB`);
}

// ---- data -------------------------------------------------------------------------------------------

/**
 * Peeks every page of every live process (wherever it is: frame, shared frame, compression cache, host
 * swap, guest swap, frontswap) and compares it with what the process last wrote. Guests named in `skip`
 * are left out. Returns the pages compared.
 */
export function checkNoDataLoss(host: Host, skip: ReadonlySet<string> = new Set()): number {
  const into = new Uint8Array(PAGE_SIZE);
  let pages = 0;
  for (const m of host.machines) {
    if (skip.has(m.name)) continue;
    for (const w of m.workloads) {
      const p = w.process;
      if (!p.shadow || !m.os.processes.has(p.pid)) continue;
      for (let v = 0; v < p.sizePages; v++) {
        m.os.peek(p, v, into);
        const want = p.shadow.subarray(v * PAGE_SIZE, (v + 1) * PAGE_SIZE);
        if (!same(into, want)) {
          let at = 0;
          while (into[at] === want[at]) at++;
          throw new DataLossError(
            `${m.name} ${w.spec.name} page ${v} (pte ${p.pte[v]}): byte ${at} is ${into[at]}, last written ${want[at]}`,
          );
        }
        pages++;
      }
    }
  }
  return pages;
}

/**
 * Compares every image `dumpAddressSpaces` wrote to `dir` with what its process last wrote (its shadow),
 * or with `expected(guest, workload)` when that returns an image. Guests in `skip` are left out; an image
 * that should exist and does not is an error. Returns the images compared.
 */
export function checkDump(
  host: Host,
  dir: string,
  skip: ReadonlySet<string> = new Set(),
  expected: (guest: string, workload: string) => Uint8Array | undefined = () => undefined,
): number {
  let images = 0;
  for (const m of host.machines) {
    if (skip.has(m.name)) continue;
    for (const w of m.workloads) {
      if (!m.os.processes.has(w.process.pid)) continue;
      const file = join(dir, `${m.name}.${w.spec.name}.img`);
      if (!existsSync(file)) throw new Error(`no image ${file}`);
      const image = readFileSync(file);
      const want = expected(m.name, w.spec.name) ?? w.process.shadow;
      if (!want) throw new Error(`${m.name}.${w.spec.name}: nothing to compare with`);
      if (image.length !== want.length)
        throw new DataLossError(`${file}: ${image.length} bytes, expected ${want.length}`);
      if (!same(image, want)) {
        let at = 0;
        while (image[at] === want[at]) at++;
        throw new DataLossError(
          `${file}: page ${Math.floor(at / PAGE_SIZE)} byte ${at % PAGE_SIZE} is ${image[at]}, expected ${want[at]}`,
        );
      }
      images++;
    }
  }
  return images;
}

/** Where each page of a process is: counts by place. */
export interface PlaceCounts {
  untouched: number;
  private: number;
  shared: number;
  zero: number;
  compressed: number;
  swapped: number;
  guestSwap: number;
  frontswap: number;
}

export const emptyPlaces = (): PlaceCounts => ({
  untouched: 0,
  private: 0,
  shared: 0,
  zero: 0,
  compressed: 0,
  swapped: 0,
  guestSwap: 0,
  frontswap: 0,
});

/** The guest OS's record of which guest swap slots went to frontswap (private: read for the checks). */
const frontswapped = (os: GuestOS): Uint8Array =>
  (os as unknown as { frontswapped: Uint8Array }).frontswapped;

/** Adds where every page of process `pid` in `m` is to `into`. */
export function placesOf(
  host: Host,
  m: Machine,
  pid: number,
  into: PlaceCounts = emptyPlaces(),
): PlaceCounts {
  const p = m.os.processes.get(pid);
  if (!p) return into;
  const zero = host.reclaimer.sharing.zeroFrame;
  for (let v = 0; v < p.sizePages; v++) {
    const e = p.pte[v];
    if (e === UNMAPPED) into.untouched++;
    else if (e < 0) {
      if (frontswapped(m.os)[slotOf(e)]) into.frontswap++;
      else into.guestSwap++;
    } else {
      const s = m.vm.pmapState[e];
      if (s === PageState.Private) into.private++;
      else if (s === PageState.Shared) {
        into.shared++;
        if (m.vm.pmapLoc[e] === zero) into.zero++;
      } else if (s === PageState.Compressed) into.compressed++;
      else if (s === PageState.Swapped) into.swapped++;
    }
  }
  return into;
}

// ---- which paths were taken ---------------------------------------------------------------------------

/** How many times each page path was taken, summed over every guest the probe has seen. */
export interface PathCounts {
  /** Host faults by the pmap state of the page at the fault. */
  firstTouch: number;
  balloonReturned: number;
  sharedRead: number;
  zeroRead: number;
  cowBreak: number;
  zeroCow: number;
  unzip: number;
  hostSwapIn: number;
  /** Counters from the engine. */
  zip: number;
  hostSwapOut: number;
  doublePaging: number;
  guestSwapOut: number;
  guestSwapIn: number;
  cacheDrops: number;
  ballooned: number;
  deflated: number;
  ephPuts: number;
  ephGets: number;
  persPuts: number;
  persGets: number;
  /** Page-cache reads and writes checked against the probe's own copy of each file. */
  fileChecks: number;
}

export const emptyPaths = (): PathCounts => ({
  firstTouch: 0,
  balloonReturned: 0,
  sharedRead: 0,
  zeroRead: 0,
  cowBreak: 0,
  zeroCow: 0,
  unzip: 0,
  hostSwapIn: 0,
  zip: 0,
  hostSwapOut: 0,
  doublePaging: 0,
  guestSwapOut: 0,
  guestSwapIn: 0,
  cacheDrops: 0,
  ballooned: 0,
  deflated: 0,
  ephPuts: 0,
  ephGets: 0,
  persPuts: 0,
  persGets: 0,
  fileChecks: 0,
});

export function addPaths(into: PathCounts, from: PathCounts): PathCounts {
  for (const k of Object.keys(into) as (keyof PathCounts)[]) into[k] += from[k];
  return into;
}

interface Seen {
  zips: number;
  swapOuts: number;
  doublePaging: number;
  guestSwapOuts: number;
  guestSwapIns: number;
  cacheDrops: number;
  balloon: number;
  ephPuts: number;
  ephGets: number;
  persPuts: number;
  persGets: number;
}

/**
 * Watches a host: counts host faults by the state of the faulting page (wrapping the reclaimer's fault
 * handler, which every guest calls), sums the engine's own counters, and checks every page-cache read
 * and write against its own copy of each file (a file page starts as its generated content and changes
 * only by writeFile), so page-cache, disk and cleancache (tmem ephemeral) round trips are proven too.
 * Call `sync()` after every tick and before removing a guest.
 */
export class PathProbe {
  readonly counts = emptyPaths();
  private readonly seen = new Map<Machine, Seen>();
  private readonly files = new WeakMap<GuestFile, Map<number, Uint8Array>>();
  private readonly scratch = new Uint8Array(PAGE_SIZE);

  constructor(private readonly host: Host) {
    const r = host.reclaimer;
    const fault = r.fault.bind(r);
    const c = this.counts;
    r.fault = (vm: Guest, gpn: number, write: boolean, whole: boolean): number => {
      const s = vm.pmapState[gpn];
      if (s === PageState.Untouched) c.firstTouch++;
      else if (s === PageState.Ballooned) c.balloonReturned++;
      else if (s === PageState.Shared) {
        const zero = vm.pmapLoc[gpn] === r.sharing.zeroFrame;
        if (write) {
          c.cowBreak++;
          if (zero) c.zeroCow++;
        } else {
          c.sharedRead++;
          if (zero) c.zeroRead++;
        }
      } else if (s === PageState.Compressed) c.unzip++;
      else if (s === PageState.Swapped) c.hostSwapIn++;
      return fault(vm, gpn, write, whole);
    };
    this.sync();
  }

  /** Picks up new guests and adds the engine counters' changes since the last sync. */
  sync(): void {
    const t = this.host.reclaimer.tmem;
    for (const m of this.host.machines) {
      let s = this.seen.get(m);
      if (!s) {
        s = {
          zips: 0,
          swapOuts: 0,
          doublePaging: 0,
          guestSwapOuts: 0,
          guestSwapIns: 0,
          cacheDrops: 0,
          balloon: 0,
          ephPuts: 0,
          ephGets: 0,
          persPuts: 0,
          persGets: 0,
        };
        this.seen.set(m, s);
        this.watchFiles(m);
      }
      const ts = t.statsOf(m.vm.gid);
      const c = this.counts;
      c.zip += m.vm.stats.zips - s.zips;
      c.hostSwapOut += m.vm.stats.swapOuts - s.swapOuts;
      c.doublePaging += m.vm.stats.doublePaging - s.doublePaging;
      c.guestSwapOut += m.os.stats.swapOuts - s.guestSwapOuts;
      c.guestSwapIn += m.os.stats.swapIns - s.guestSwapIns;
      c.cacheDrops += m.os.stats.cacheDrops - s.cacheDrops;
      const b = m.os.balloonPages - s.balloon;
      if (b > 0) c.ballooned += b;
      else c.deflated -= b;
      c.ephPuts += ts.ephPuts - s.ephPuts;
      c.ephGets += ts.succEphGets - s.ephGets;
      c.persPuts += ts.succPersPuts - s.persPuts;
      c.persGets += ts.succPersGets - s.persGets;
      s.zips = m.vm.stats.zips;
      s.swapOuts = m.vm.stats.swapOuts;
      s.doublePaging = m.vm.stats.doublePaging;
      s.guestSwapOuts = m.os.stats.swapOuts;
      s.guestSwapIns = m.os.stats.swapIns;
      s.cacheDrops = m.os.stats.cacheDrops;
      s.balloon = m.os.balloonPages;
      s.ephPuts = ts.ephPuts;
      s.ephGets = ts.succEphGets;
      s.persPuts = ts.succPersPuts;
      s.persGets = ts.succPersGets;
    }
  }

  /** The probe's copy of a file page: its generated content until written. */
  private filePage(file: GuestFile, fpage: number): Uint8Array {
    let pages = this.files.get(file);
    if (!pages) {
      pages = new Map();
      this.files.set(file, pages);
    }
    let page = pages.get(fpage);
    if (!page) {
      page = new Uint8Array(PAGE_SIZE);
      fillPage(page, file.kind, file.seed, fpage);
      pages.set(fpage, page);
    }
    return page;
  }

  private watchFiles(m: Machine): void {
    const os = m.os;
    const readFile = os.readFile.bind(os);
    const writeFile = os.writeFile.bind(os);
    os.readFile = (file, fpage, sequential, into) => {
      const bytes = into ?? new Uint8Array(PAGE_SIZE);
      readFile(file, fpage, sequential, bytes);
      this.checkFile(m, file, fpage, bytes, 'read');
    };
    os.writeFile = (file, fpage, offset, data, sequential) => {
      writeFile(file, fpage, offset, data, sequential);
      this.filePage(file, fpage).set(data, offset);
      m.vm.peek(file.pages[fpage], this.scratch);
      this.checkFile(m, file, fpage, this.scratch, 'write');
    };
  }

  private checkFile(m: Machine, file: GuestFile, fpage: number, bytes: Uint8Array, what: string): void {
    const want = this.filePage(file, fpage);
    if (!same(bytes, want)) {
      let at = 0;
      while (bytes[at] === want[at]) at++;
      throw new DataLossError(
        `${m.name} file ${file.name} page ${fpage} after ${what}: byte ${at} is ${bytes[at]}, last written ${want[at]}`,
      );
    }
    this.counts.fileChecks++;
  }
}

/** Error events naming a guest. */
export const errorEvents = (host: Host, guest: string) =>
  host.events.recent(500).filter((e) => e.kind === 'error' && e.guest === guest);

// ---- traces -------------------------------------------------------------------------------------------

export type TraceOpSpec =
  | { w: true; page: number; offset: number; bytes: Uint8Array }
  | { w: false; page: number };

export interface TraceParams {
  seed: number;
  ops: number;
  /** Raw page numbers are drawn below this (folded onto the process size by the workload). */
  pageSpan: number;
  writeFraction: number;
  /** Longest write, in bytes. */
  maxBytes: number;
}

/** A seeded random W/R trace: writes of random bytes (never all zero) at random offsets, reads anywhere. */
export function makeTrace(p: TraceParams): TraceOpSpec[] {
  let s = p.seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const ops: TraceOpSpec[] = [];
  for (let i = 0; i < p.ops; i++) {
    const page = Math.floor(next() * p.pageSpan);
    if (next() < p.writeFraction) {
      const n = 1 + Math.floor(next() * p.maxBytes);
      const offset = Math.floor(next() * (PAGE_SIZE - n + 1));
      const bytes = new Uint8Array(n);
      for (let k = 0; k < n; k++) bytes[k] = Math.floor(next() * 256);
      bytes[0] |= 1;
      ops.push({ w: true, page, offset, bytes });
    } else ops.push({ w: false, page });
  }
  return ops;
}

export function traceText(ops: readonly TraceOpSpec[]): string {
  const lines: string[] = [];
  for (const op of ops) {
    lines.push(op.w ? `W ${op.page} ${op.offset} ${Buffer.from(op.bytes).toString('hex')}` : `R ${op.page}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A plain buffer with the trace's writes applied, pages folded onto `sizePages`: what a dump must equal. */
export function traceImage(ops: readonly TraceOpSpec[], sizePages: number): Uint8Array {
  const image = new Uint8Array(sizePages * PAGE_SIZE);
  for (const op of ops) if (op.w) image.set(op.bytes, (op.page % sizePages) * PAGE_SIZE + op.offset);
  return image;
}

// ---- random runs: plans and the runner ---------------------------------------------------------------

/** A workload in a plan; a trace names one of the plan's traces by index. */
export type PlannedWorkload = { spec: WorkloadSpec; trace?: number };

export interface GuestPlan {
  memsz: number;
  balloon: boolean;
  guestSwap: number;
  os: OsType;
  workloads: PlannedWorkload[];
}

export type Step =
  | { t: 'tick'; n: number }
  /** A limit at a fraction of memsz (null: none): balloon/swap in any state, and back. */
  | { t: 'limit'; guest: number; fraction: number | null }
  | { t: 'grow'; guest: number; pages: number }
  | { t: 'start'; guest: number; w: PlannedWorkload }
  | { t: 'stop'; guest: number; workload: string }
  | { t: 'resize'; guest: number; workload: string; pages: number }
  /** Host pressure: a memhog appears in a guest. */
  | { t: 'pressure'; guest: number; pages: number }
  /** Pressure goes: the memhog stops. */
  | { t: 'relief'; guest: number }
  | { t: 'remove'; guest: number };

export interface Plan {
  hostPages: number;
  seed: number;
  sharing: 'esx' | 'ksm';
  victim: VictimPolicy;
  tmem: boolean;
  guests: GuestPlan[];
  traces: TraceParams[];
  steps: Step[];
}

const ANON_TYPES = ['database', 'java-heap', 'memhog', 'idle'] as const;
const CACHE_TYPES = ['kernel-compile', 'file-copy'] as const;
const KERNEL = 2048;

const specArb = (name: string, types: readonly WorkloadType[], size: fc.Arbitrary<number>) =>
  fc
    .record({
      type: fc.constantFrom(...types),
      size,
      ws: fc.double({ min: 0.1, max: 1, noNaN: true }),
      locality: fc.double({ min: 0.2, max: 0.95, noNaN: true }),
      write: fc.double({ min: 0.05, max: 0.6, noNaN: true }),
    })
    .map(
      (w): PlannedWorkload => ({
        spec: workloadSpec(w.type, {
          name,
          sizePages: w.size,
          workingSet: w.ws,
          locality: w.locality,
          writeFraction: w.write,
        }),
      }),
    );

const traceParamsArb: fc.Arbitrary<TraceParams> = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  ops: fc.integer({ min: 4000, max: 30000 }),
  pageSpan: fc.integer({ min: 64, max: 2048 }),
  writeFraction: fc.double({ min: 0.2, max: 0.8, noNaN: true }),
  maxBytes: fc.constantFrom(4, 16, 64, 512),
});

const anonOf = (
  name: string,
  type: WorkloadType,
  sizePages: number,
  workingSet: number,
  locality: number,
  writeFraction: number,
): PlannedWorkload => ({
  spec: workloadSpec(type, { name, sizePages, workingSet, locality, writeFraction }),
});

const traceWorkload = (name: string, trace: number, sizePages: number): PlannedWorkload => ({
  spec: workloadSpec('trace', { name, sizePages }),
  trace,
});

/**
 * Random runs built to reach every path: g0 and g1 run the same OS image (sharing, then COW on its rare
 * writes) and have balloon drivers; g0 also boots (zero pages) and runs a page-cache workload (cleancache);
 * g2 usually has no balloon driver (host swap even in soft); programs are sized from half to well over
 * their guest (guest swap, frontswap); traces replay random writes and reads. Memory configured is
 * 1.5 to 3 times the host. Steps mix ticks, limits set and lifted, memory hot-add, workloads started,
 * stopped and resized, a memhog arriving and leaving, and a guest removed.
 */
export function planArb(
  options: { maxSteps?: number; tmem?: boolean; victims?: readonly VictimPolicy[] } = {},
): fc.Arbitrary<Plan> {
  const maxSteps = options.maxSteps ?? 14;
  return fc
    .record({
      hostPages: fc.constantFrom(12288, 16384, 16384, 24576),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      sharing: fc.constantFrom<'esx' | 'ksm'>('esx', 'esx', 'ksm'),
      victim: fc.constantFrom(...(options.victims ?? VICTIM_POLICIES)),
      tmem: options.tmem === undefined ? fc.boolean() : fc.constant(options.tmem),
      ratio: fc.double({ min: 1.5, max: 3, noNaN: true }),
      weights: fc.array(fc.double({ min: 0.6, max: 1.4, noNaN: true }), { minLength: 3, maxLength: 4 }),
      fills: fc.array(fc.double({ min: 0.5, max: 1.4, noNaN: true }), { minLength: 4, maxLength: 4 }),
      image: fc.integer({ min: 512, max: 2048 }),
      g2balloon: fc.boolean(),
      g3balloon: fc.boolean(),
      os3: fc.constantFrom<OsType>('linux', 'windows'),
      traces: fc.array(traceParamsArb, { minLength: 3, maxLength: 4 }),
      traceSizes: fc.array(fc.integer({ min: 64, max: 1024 }), { minLength: 4, maxLength: 4 }),
      anon: fc.array(fc.constantFrom(...ANON_TYPES), { minLength: 4, maxLength: 4 }),
      cache: fc.constantFrom(...CACHE_TYPES),
      shape: fc.array(
        fc.record({
          ws: fc.double({ min: 0.2, max: 1, noNaN: true }),
          locality: fc.double({ min: 0.3, max: 0.95, noNaN: true }),
          write: fc.double({ min: 0.05, max: 0.5, noNaN: true }),
        }),
        { minLength: 4, maxLength: 4 },
      ),
    })
    .chain((r) => {
      const n = r.hostPages === 12288 ? 3 : r.weights.length;
      const total = r.hostPages * r.ratio;
      const wsum = r.weights.slice(0, r.tmem ? n - 1 : n).reduce((a, b) => a + b, 0);
      const guests: GuestPlan[] = [];
      // With tmem, the last guest is small and its programs overflow it (frontswap, cleancache) while
      // the host still has fallow memory; the others share the rest of the configured memory.
      const small = r.tmem ? KERNEL + 1536 : 0;
      for (let i = 0; i < n; i++) {
        if (r.tmem && i === n - 1) {
          guests.push({
            memsz: small,
            balloon: false,
            guestSwap: 4 * small,
            os: 'linux',
            workloads: [
              anonOf('cache', 'file-copy', 3072, 1, 1, 0.5),
              anonOf('anon', 'database', 2048, 0.3 + 0.7 * r.shape[i].ws, r.shape[i].locality, 0.3),
              traceWorkload('trace', i % r.traces.length, 256),
            ],
          });
          break;
        }
        const memsz = Math.max(KERNEL + 1024, Math.floor(((total - small) * r.weights[i]) / wsum));
        const room = memsz - KERNEL;
        const traceSize = Math.min(r.traceSizes[i], Math.floor(room / 4));
        const image = Math.min(r.image, Math.floor(room / 3));
        // Programs together take `fill` of the guest's room: over 1 means the guest must swap.
        const rest = Math.max(256, Math.floor(room * r.fills[i]) - traceSize - (i < 2 ? image : 0));
        const sh = r.shape[i];
        const anon = (name: string, type: WorkloadType, size: number): PlannedWorkload =>
          anonOf(name, type, size, sh.ws, sh.locality, type === 'idle' ? 0 : sh.write);
        const workloads: PlannedWorkload[] = [];
        if (i === 0) workloads.push({ spec: workloadSpec('boot', { sizePages: 0 }) });
        if (i < 2)
          workloads.push({ spec: workloadSpec('os-image', { sizePages: image, writeFraction: 0.02 }) });
        if (i === 0) workloads.push(anon('cache', r.cache, rest));
        else workloads.push(anon('anon', r.anon[i], rest));
        workloads.push(traceWorkload('trace', i % r.traces.length, traceSize));
        guests.push({
          memsz,
          balloon: i < 2 ? true : i === 2 ? r.g2balloon && r.g3balloon : r.g3balloon,
          guestSwap: memsz,
          os: i < 3 ? 'linux' : r.os3,
          workloads,
        });
      }
      const g = fc.integer({ min: 0, max: n - 1 });
      const step: fc.Arbitrary<Step> = fc.oneof(
        { weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }).map((k): Step => ({ t: 'tick', n: k })) },
        {
          weight: 2,
          arbitrary: fc
            .record({
              guest: g,
              fraction: fc.option(fc.double({ min: 0.3, max: 0.8, noNaN: true }), { freq: 2 }),
            })
            .map((x): Step => ({ t: 'limit', ...x })),
        },
        {
          weight: 1,
          arbitrary: fc
            .record({ guest: g, pages: fc.integer({ min: 256, max: 2048 }) })
            .map((x): Step => ({ t: 'grow', ...x })),
        },
        {
          weight: 2,
          arbitrary: fc
            .record({
              guest: g,
              w: fc.oneof(
                specArb(
                  'extra',
                  [...ANON_TYPES, ...CACHE_TYPES, 'os-image'],
                  fc.integer({ min: 128, max: 3000 }),
                ),
                fc
                  .record({
                    t: fc.integer({ min: 0, max: r.traces.length - 1 }),
                    size: fc.integer({ min: 64, max: 1024 }),
                  })
                  .map((x) => traceWorkload('extra', x.t, x.size)),
              ),
            })
            .map((x): Step => ({ t: 'start', ...x })),
        },
        {
          weight: 1,
          arbitrary: fc
            .record({ guest: g, workload: fc.constantFrom('extra', 'anon', 'cache', 'os-image') })
            .map((x): Step => ({ t: 'stop', ...x })),
        },
        {
          weight: 1,
          arbitrary: fc
            .record({
              guest: g,
              workload: fc.constantFrom('extra', 'anon', 'cache', 'os-image', 'trace'),
              pages: fc.integer({ min: 64, max: 4000 }),
            })
            .map((x): Step => ({ t: 'resize', ...x })),
        },
        {
          weight: 2,
          arbitrary: fc
            .record({ guest: g, pages: fc.integer({ min: 1024, max: 6000 }) })
            .map((x): Step => ({ t: 'pressure', ...x })),
        },
        { weight: 2, arbitrary: g.map((guest): Step => ({ t: 'relief', guest })) },
        {
          weight: 1,
          arbitrary: fc.integer({ min: 2, max: n - 1 }).map((guest): Step => ({ t: 'remove', guest })),
        },
      );
      return fc.array(step, { minLength: Math.min(6, maxSteps), maxLength: maxSteps }).map(
        (steps): Plan => ({
          hostPages: r.hostPages,
          seed: r.seed,
          sharing: r.sharing,
          victim: r.victim,
          tmem: r.tmem,
          guests,
          traces: r.traces.slice(0, Math.max(...guests.map((_, i) => i % r.traces.length)) + 1),
          steps,
        }),
      );
    });
}

export interface RunOptions {
  /** Where the plan's trace files go. */
  dir: string;
  /** Check conservation after every tick and command (default true). */
  conservation?: boolean;
  /** Ticks to run after the steps (default 4). */
  tailTicks?: number;
  /** Called after every tick. */
  onTick?: (host: Host) => void;
}

export interface RunResult {
  paths: PathCounts;
  /** Verified process reads during the run. */
  reads: number;
  ticks: number;
  /** Pages compared by the final whole-address-space check. */
  peeked: number;
  commands: number;
  refused: number;
}

/** Writes a plan's traces to `dir` (named by content, so runs can share a directory). */
export function writeTraces(plan: Plan, dir: string): string[] {
  return plan.traces.map((t) => {
    const file = join(
      dir,
      `t-${t.seed}-${t.ops}-${t.pageSpan}-${t.maxBytes}-${Math.round(t.writeFraction * 1e6)}.trace`,
    );
    writeFileSync(file, traceText(makeTrace(t)));
    return file;
  });
}

/**
 * Runs a plan on a fresh host: conservation after every tick and command, a verified read on every
 * program read (DataLossError fails the run), page-cache contents checked by the probe, and at the end
 * every page of every live program peeked and compared with what it last wrote.
 */
export function runPlan(plan: Plan, options: RunOptions): RunResult {
  const files = writeTraces(plan, options.dir);
  const resolve = (w: PlannedWorkload): WorkloadSpec =>
    w.trace === undefined ? { ...w.spec } : { ...w.spec, file: files[w.trace] };
  const conserve = options.conservation ?? true;
  const host = makeHost({
    pages: plan.hostPages,
    seed: plan.seed,
    reclaim: { ...ALL_MECHANISMS, sharing: plan.sharing, victim: plan.victim, tmem: plan.tmem },
  });
  const reads0 = verification.reads;
  let ticks = 0;
  let commands = 0;
  let refused = 0;
  try {
    const probe = new PathProbe(host);
    const name = (i: number): string => `g${i}`;
    const command = (cmd: Command): void => {
      probe.sync();
      commands++;
      if (!applyCommand(host, cmd).ok) refused++;
      probe.sync();
      if (conserve) checkConservation(host);
    };
    const tick = (): void => {
      host.tick();
      ticks++;
      probe.sync();
      if (conserve) checkConservation(host);
      options.onTick?.(host);
    };
    plan.guests.forEach((g, i) => {
      command({
        type: 'addGuest',
        guest: guestConfig(name(i), g.memsz, {
          balloonDriver: g.balloon,
          guestSwapPages: g.guestSwap,
          os: g.os,
        }),
        workloads: g.workloads.map(resolve),
      });
    });
    for (const s of plan.steps) {
      const m = 'guest' in s ? host.machine(name(s.guest)) : undefined;
      switch (s.t) {
        case 'tick':
          for (let i = 0; i < s.n; i++) tick();
          break;
        case 'limit':
          if (!m) break;
          command({
            type: 'setLimit',
            guest: m.name,
            pages: s.fraction === null ? null : Math.max(1, Math.floor(m.vm.config.memszPages * s.fraction)),
          });
          break;
        case 'grow':
          if (m) command({ type: 'setMemsz', guest: m.name, pages: m.vm.config.memszPages + s.pages });
          break;
        case 'start':
          if (m) command({ type: 'startWorkload', guest: m.name, workload: resolve(s.w) });
          break;
        case 'stop':
          if (m) command({ type: 'stopWorkload', guest: m.name, workload: s.workload });
          break;
        case 'resize':
          if (m) command({ type: 'resizeWorkload', guest: m.name, workload: s.workload, pages: s.pages });
          break;
        case 'pressure':
          if (m)
            command({
              type: 'startWorkload',
              guest: m.name,
              workload: workloadSpec('memhog', {
                name: 'hog',
                sizePages: s.pages,
                locality: 0.5,
                writeFraction: 0.5,
              }),
            });
          break;
        case 'relief':
          if (m) command({ type: 'stopWorkload', guest: m.name, workload: 'hog' });
          break;
        case 'remove':
          if (m) command({ type: 'removeGuest', guest: m.name });
          break;
      }
    }
    for (let i = 0; i < (options.tailTicks ?? 4); i++) tick();
    const peeked = checkNoDataLoss(host);
    checkConservation(host);
    probe.sync();
    return { paths: probe.counts, reads: verification.reads - reads0, ticks, peeked, commands, refused };
  } finally {
    host.close();
  }
}

/** Paths a run must reach for the proof not to be vacuous, with a name for each. */
export const REQUIRED_PATHS: readonly (keyof PathCounts)[] = [
  'firstTouch',
  'balloonReturned',
  'sharedRead',
  'zeroRead',
  'cowBreak',
  'zeroCow',
  'unzip',
  'hostSwapIn',
  'zip',
  'hostSwapOut',
  'guestSwapOut',
  'guestSwapIn',
  'ballooned',
  'deflated',
  'ephGets',
  'persGets',
  'fileChecks',
];
