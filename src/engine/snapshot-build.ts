import { FrameKind } from './framepool.ts';
import { PageState } from './guest.ts';
import { GpnUse } from './guestos.ts';
import type { Host } from './host.ts';
import type { Machine } from './machine.ts';
import { consumedPages } from './reclaim/reclaimer.ts';
import type { EngineSnapshot, GuestSnapshot, Mechanisms } from './snapshot.ts';
import { pagesToMB, round2 } from './units.ts';

const MB = (pages: number): number => round2(pagesToMB(pages));
const EVENTS_KEPT = 50;

/** Reads the host into an immutable snapshot. Nothing here changes the host. */
export function takeSnapshot(host: Host): EngineSnapshot {
  const pool = host.pool;
  const k = pool.kindCount;
  const th = host.config.thresholds;
  const pct = (p: number): number => MB(Math.floor((pool.frameCount * p) / 100));
  const guests = host.machines.map((m) => guestSnapshot(host, m));
  const sum = (f: (g: GuestSnapshot) => number | null): number =>
    round2(guests.reduce((a, g) => a + (f(g) ?? 0), 0));
  const sharedPages = host.machines.reduce((a, m) => a + m.vm.stateCount[PageState.Shared], 0);
  const snapshot: EngineSnapshot = {
    t: host.t,
    tick: host.tickNo,
    seed: host.seed,
    personality: host.personality.name,
    screen: host.personality.screen,
    mechanisms: mechanisms(host),
    host: {
      state: host.state,
      thresholdsMB: { high: pct(th.high), soft: pct(th.soft), hard: pct(th.hard), low: pct(th.low) },
      totalMB: MB(pool.frameCount),
      freeMB: MB(k[FrameKind.Free]),
      privateMB: MB(k[FrameKind.Private]),
      sharedMB: MB(k[FrameKind.Shared]),
      compressedMB: MB(k[FrameKind.Compressed]),
      tmemMB: MB(k[FrameKind.Tmem]),
      overheadMB: MB(k[FrameKind.Overhead]),
      vmkMB: MB(host.vmkPages),
      overcommit: [round2(host.overcommit[0]), round2(host.overcommit[1]), round2(host.overcommit[2])],
      pshare: {
        shared: MB(sharedPages),
        common: MB(k[FrameKind.Shared]),
        saving: MB(sharedPages - k[FrameKind.Shared]),
      },
      swap: {
        curr: sum((g) => g.SWCUR),
        rclmtgt: sum((g) => g.SWTGT),
        readMBs: sum((g) => g['SWR/s']),
        writeMBs: sum((g) => g['SWW/s']),
      },
      zip: { zipped: sum((g) => g.zippedMB), saved: round2(sum((g) => g.zippedMB) - sum((g) => g.CACHEUSD)) },
      memctl: { curr: sum((g) => g.MCTLSZ), target: sum((g) => g.MCTLTGT), max: sum((g) => g.MCTLMAX) },
      THRU: round2(guests.reduce((a, g) => a + g.THRU, 0)),
    },
    guests,
    events: host.events.recent(EVENTS_KEPT),
    eventCount: host.events.count,
  };
  return deepFreeze(snapshot);
}

function guestSnapshot(host: Host, m: Machine): GuestSnapshot {
  const c = m.vm.config;
  const dt = host.config.tick;
  const s = m.sampler;
  const os = m.os;
  const vm = m.vm;
  const r = host.reclaimer;
  const granted = vm.stateCount[PageState.Private] + vm.stateCount[PageState.Shared];
  const share = vm.shareCount;
  const zip = r.zip.usage(vm);
  const plan = r.plan(vm);
  const tmem = r.tmem.statsOf(vm.gid);
  const t = m.tick.host;
  const perSec = (pages: number): number => round2(pagesToMB(pages) / dt);
  const has = mechanisms(host);
  return {
    GID: m.vm.gid,
    name: c.name,
    os: c.os,
    vcpus: c.vcpus,
    state: vm.faulted ? 'faulted' : m.blocked ? 'blocked' : 'running',
    fault: vm.faulted,
    MEMSZ: MB(c.memszPages),
    GRANT: MB(granted),
    CNSM: MB(consumedPages(vm)),
    SZTGT: MB(m.vm.targetPages),
    TCHD: MB(s.current * c.memszPages),
    TCHD_W: MB(s.currentWrites * c.memszPages),
    '%ACTV': round2(100 * s.active),
    '%ACTVS': round2(100 * s.slow),
    '%ACTVF': round2(100 * s.fast),
    '%ACTVN': round2(100 * s.next),
    'MCTL?': c.balloonDriver && has.balloon,
    MCTLSZ: when(has.balloon, MB(os.balloonPages)),
    MCTLTGT: when(has.balloon, MB(plan.balloonTarget)),
    MCTLMAX: when(has.balloon, MB(Math.floor(c.memszPages * r.config.balloonMaxFraction))),
    SWCUR: when(has.swap, MB(r.hostSwap.used(vm))),
    SWTGT: when(has.swap, MB(plan.swapTarget)),
    'SWR/s': when(has.swap, perSec(t.swapIns)),
    'SWW/s': when(has.swap, perSec(t.swapOuts)),
    CACHESZ: when(has.zip, MB(zip.size)),
    CACHEUSD: when(has.zip, MB(zip.used)),
    'ZIP/s': when(has.zip, perSec(t.zips)),
    'UNZIP/s': when(has.zip, perSec(t.unzips)),
    zippedMB: when(has.zip, MB(zip.pages)),
    SHRD: when(has.sharing, MB(vm.stateCount[PageState.Shared])),
    ZERO: when(has.sharing, MB(share.zero)),
    SHRDSVD: when(has.sharing, MB(share.saved)),
    COWH: when(has.sharing, MB(vm.stats.cowBreaks)),
    doublePaging: vm.stats.doublePaging,
    OVHD: MB(c.overheadPages),
    AMIN: MB(c.reservationPages),
    AMAX: c.limitPages === null ? -1 : MB(c.limitPages),
    ASHRS: c.shares,
    'Curr eph pages': when(has.tmem, tmem.ephPages),
    'Succ eph gets': when(has.tmem, tmem.succEphGets),
    'Succ pers puts': when(has.tmem, tmem.succPersPuts),
    'Succ pers gets': when(has.tmem, tmem.succPersGets),
    tmem: has.tmem
      ? {
          persPages: tmem.persPages,
          failedEphPuts: tmem.failedEphPuts,
          failedPersPuts: tmem.failedPersPuts,
          failedEphGets: tmem.failedEphGets,
          flushes: tmem.flushes,
        }
      : null,
    THRU: round2(m.tick.ops / dt),
    cpuSeconds: round2(m.cpuSeconds),
    cpuPercent: round2((100 * m.tick.busy) / dt),
    guestOs: {
      freeMB: MB(os.useCount[GpnUse.Free]),
      kernelMB: MB(os.useCount[GpnUse.Kernel]),
      anonMB: MB(os.useCount[GpnUse.Anon]),
      cacheCleanMB: MB(os.useCount[GpnUse.CacheClean]),
      cacheDirtyMB: MB(os.useCount[GpnUse.CacheDirty]),
      balloonMB: MB(os.useCount[GpnUse.Balloon]),
      swapUsedMB: MB(os.swapSlots.used),
      swapTotalMB: MB(c.guestSwapPages),
      committedMB: MB(os.committedPages),
      swapInsPerSec: round2(m.tick.os.swapIns / dt),
      swapOutsPerSec: round2(m.tick.os.swapOuts / dt),
      swapIns: os.stats.swapIns,
      storageReads: os.stats.storageReads,
      storageWrites: os.stats.storageWrites,
      storageReadsPerSec: round2(m.tick.os.storageReads / dt),
      storageWritesPerSec: round2(m.tick.os.storageWrites / dt),
    },
    workloads: m.workloads.map((w) => ({
      name: w.spec.name,
      type: w.spec.type,
      state: w.state,
      sizeMB: MB(w.spec.sizePages),
      residentMB: MB(w.process.resident),
      swappedMB: MB(w.process.swapped),
      THRU: round2(w.opsThisTick / dt),
    })),
  };
}

/** Which mechanisms the host's personality has: a counter for one it lacks is null (shown n/a). */
function mechanisms(host: Host): Mechanisms {
  const c = host.reclaimer.config;
  return {
    balloon: c.balloon,
    swap: c.hostSwap,
    zip: c.compression,
    sharing: c.sharing !== 'off',
    tmem: c.tmem,
  };
}

const when = <T>(present: boolean, value: T): T | null => (present ? value : null);

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
