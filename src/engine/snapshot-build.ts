import { FrameKind } from './framepool.ts';
import { PageState } from './guest.ts';
import { GpnUse } from './guestos.ts';
import { consumedPages, type Host } from './host.ts';
import type { Machine } from './machine.ts';
import type { GuestSnapshot, HostSnapshot } from './snapshot.ts';
import { pagesToMB, round2 } from './units.ts';

const MB = (pages: number): number => round2(pagesToMB(pages));
const EVENTS_KEPT = 50;

/** Reads the host into an immutable snapshot. Nothing here changes the host. */
export function takeSnapshot(host: Host): HostSnapshot {
  const pool = host.pool;
  const k = pool.kindCount;
  const th = host.config.thresholds;
  const pct = (p: number): number => MB(Math.floor((pool.frameCount * p) / 100));
  const guests = host.machines.map((m) => guestSnapshot(host, m));
  const snapshot: HostSnapshot = {
    t: host.t,
    tick: host.tickNo,
    seed: host.seed,
    personality: host.personality,
    paused: host.paused,
    speed: host.speed,
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
      pshare: { shared: 0, common: 0, saving: 0 },
      swap: { curr: 0, rclmtgt: 0, readMBs: 0, writeMBs: 0 },
      zip: { zipped: 0, saved: 0 },
      memctl: { curr: 0, target: 0, max: 0 },
      THRU: round2(guests.reduce((a, g) => a + g.THRU, 0)),
    },
    guests,
    events: host.events.recent(EVENTS_KEPT),
  };
  return deepFreeze(snapshot);
}

function guestSnapshot(host: Host, m: Machine): GuestSnapshot {
  const c = m.vm.config;
  const dt = host.config.tick;
  const s = m.sampler;
  const os = m.os;
  const granted = m.vm.stateCount[PageState.Private] + m.vm.stateCount[PageState.Shared];
  return {
    GID: m.vm.gid,
    name: c.name,
    os: c.os,
    vcpus: c.vcpus,
    state: host.paused ? 'paused' : m.blocked ? 'blocked' : 'running',
    MEMSZ: MB(c.memszPages),
    GRANT: MB(granted),
    CNSM: MB(consumedPages(m)),
    SZTGT: MB(m.vm.targetPages),
    TCHD: MB(s.current * c.memszPages),
    TCHD_W: MB(s.currentWrites * c.memszPages),
    '%ACTV': round2(100 * s.active),
    '%ACTVS': round2(100 * s.slow),
    '%ACTVF': round2(100 * s.fast),
    '%ACTVN': round2(100 * s.next),
    'MCTL?': c.balloonDriver,
    MCTLSZ: 0,
    MCTLTGT: 0,
    MCTLMAX: MB(Math.floor(c.memszPages * 0.65)),
    SWCUR: 0,
    SWTGT: 0,
    'SWR/s': 0,
    'SWW/s': 0,
    CACHESZ: 0,
    CACHEUSD: 0,
    'ZIP/s': 0,
    'UNZIP/s': 0,
    SHRD: 0,
    ZERO: 0,
    SHRDSVD: 0,
    COWH: 0,
    OVHD: MB(c.overheadPages),
    AMIN: MB(c.reservationPages),
    AMAX: c.limitPages === null ? -1 : MB(c.limitPages),
    ASHRS: c.shares,
    'Curr eph pages': 0,
    'Succ eph gets': 0,
    'Succ pers puts': 0,
    'Succ pers gets': 0,
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
      swapInsPerSec: round2(m.tick.swapIns / dt),
      swapOutsPerSec: round2(m.tick.swapOuts / dt),
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

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
