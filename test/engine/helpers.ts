import { expect } from 'vitest';
import { applyCommand } from '../../src/engine/apply-command.ts';
import type { Command } from '../../src/engine/commands.ts';
import {
  defaultHostConfig,
  defaultOverheadPages,
  type GuestConfig,
  type HostConfig,
} from '../../src/engine/config.ts';
import { FRAME_KINDS, FrameKind } from '../../src/engine/framepool.ts';
import { PAGE_STATES, PageState } from '../../src/engine/guest.ts';
import { GpnUse } from '../../src/engine/guestos.ts';
import { Host } from '../../src/engine/host.ts';
import type { Machine } from '../../src/engine/machine.ts';
import { takeSnapshot } from '../../src/engine/snapshot-build.ts';
import { MemorySwapStore } from '../../src/engine/store/swapstore.ts';

/** A small verifying host (64 MiB by default) whose swap devices and disks live in memory. */
export function makeHost(
  pages = 16384,
  seed = 7,
  tweak?: (config: HostConfig) => void,
  personality = 'esx',
): Host {
  const config = defaultHostConfig(pages);
  tweak?.(config);
  return new Host({
    config,
    seed,
    personality,
    verify: true,
    storeFactory: () => new MemorySwapStore(),
  });
}

/** A guest config with ESX-like defaults; anything can be overridden. */
export function guestConfig(name: string, memszPages: number, over: Partial<GuestConfig> = {}): GuestConfig {
  const vcpus = over.vcpus ?? 1;
  return {
    name,
    memszPages,
    reservationPages: 0,
    limitPages: null,
    shares: Math.ceil((memszPages / 256) * 10),
    vcpus,
    os: 'linux',
    balloonDriver: true,
    guestSwapPages: Math.ceil(memszPages / 2),
    overheadPages: defaultOverheadPages(memszPages, vcpus),
    ...over,
  };
}

/** Applies a command that must succeed, and returns the machine it names (if any). */
export function must(host: Host, cmd: Command): void {
  const r = applyCommand(host, cmd);
  if (!r.ok) throw new Error(`command refused: ${r.error}`);
}

export function machineOf(host: Host, name: string): Machine {
  const m = host.machine(name);
  if (!m) throw new Error(`no guest ${name}`);
  return m;
}

export const snapshotJson = (host: Host): string => JSON.stringify(takeSnapshot(host));

/** Ticks until `done` holds, at most `max` ticks; returns the ticks used (throws if it never holds). */
export function tickUntil(host: Host, done: () => boolean, max: number): number {
  for (let i = 0; i < max; i++) {
    if (done()) return i;
    host.tick();
  }
  if (done()) return max;
  throw new Error(`condition not reached in ${max} ticks`);
}

/**
 * Every conservation invariant the host promises, checked from the raw arrays:
 * frames by kind add up and match a recount; every guest's pmap states add up to its memsz and match
 * a recount; every private pmap entry owns its frame (and the reverse map points back); no two guest
 * pages share a private frame; the guest OS's page uses add up to its memsz; the snapshot's MB add up.
 */
export function checkConservation(host: Host): void {
  const pool = host.pool;
  const recount = pool.recount();
  let sum = 0;
  for (let k = 0; k < FRAME_KINDS; k++) {
    sum += pool.kindCount[k];
    expect(pool.kindCount[k], `kindCount[${k}]`).toBe(recount[k]);
  }
  expect(sum).toBe(pool.frameCount);
  expect(pool.freeFrames).toBe(pool.kindCount[FrameKind.Free]);

  let privateMapped = 0;
  const seen = new Set<number>();
  const sharedMappers = new Map<number, number>();
  let compressedPages = 0;
  for (const m of host.machines) {
    const vm = m.vm;
    const memsz = vm.config.memszPages;
    expect(vm.pmapState.length).toBe(memsz);
    const states = new Float64Array(PAGE_STATES);
    for (let gpn = 0; gpn < memsz; gpn++) {
      const s = vm.pmapState[gpn];
      states[s]++;
      if (s === PageState.Shared) {
        const frame = vm.pmapLoc[gpn];
        if (pool.kind[frame] !== FrameKind.Shared)
          throw new Error(`${vm.name} gpn ${gpn} is shared in frame ${frame} of kind ${pool.kind[frame]}`);
        sharedMappers.set(frame, (sharedMappers.get(frame) ?? 0) + 1);
      }
      if (s !== PageState.Private) continue;
      const frame = vm.pmapLoc[gpn];
      if (
        pool.kind[frame] !== FrameKind.Private ||
        pool.owner[frame] !== vm.gid ||
        pool.ownerPage[frame] !== gpn
      ) {
        throw new Error(
          `${vm.name} gpn ${gpn} -> frame ${frame}: kind ${pool.kind[frame]}, owner ${pool.owner[frame]}, ` +
            `ownerPage ${pool.ownerPage[frame]} (want kind Private, owner ${vm.gid}, ownerPage ${gpn})`,
        );
      }
      if (seen.has(frame)) throw new Error(`frame ${frame} is mapped privately twice`);
      seen.add(frame);
      privateMapped++;
    }
    let stateSum = 0;
    for (let s = 0; s < PAGE_STATES; s++) {
      stateSum += vm.stateCount[s];
      expect(vm.stateCount[s], `${vm.name} stateCount[${s}]`).toBe(states[s]);
    }
    expect(stateSum).toBe(memsz);
    const r = host.reclaimer;
    expect(vm.stateCount[PageState.Swapped], `${vm.name} swapped pages vs swap slots`).toBe(
      r.hostSwap.used(vm),
    );
    expect(vm.stateCount[PageState.Compressed], `${vm.name} compressed pages vs cache`).toBe(
      r.zip.usage(vm).pages,
    );
    compressedPages += Math.ceil(vm.stateCount[PageState.Compressed] / 2);
    const os = m.os;
    expect(os.memszPages).toBe(memsz);
    // A page the balloon holds has nothing behind it on the host.
    expect(os.balloonPages).toBe(os.useCount[GpnUse.Balloon]);
    for (let gpn = 0; gpn < memsz; gpn++) {
      if (os.use[gpn] === GpnUse.Balloon && vm.pmapState[gpn] !== PageState.Ballooned)
        throw new Error(`${vm.name} balloon page ${gpn} is in pmap state ${vm.pmapState[gpn]}`);
    }
    expect(os.useCount.reduce((a, b) => a + b, 0)).toBe(memsz);
    expect(os.freePages).toBe(os.useCount[0]);
    let overhead = 0;
    for (const f of vm.overheadFrames) if (pool.kind[f] === FrameKind.Overhead) overhead++;
    expect(overhead).toBe(vm.config.overheadPages);
  }
  // Every private frame backs exactly one guest page (kernel pages included).
  expect(privateMapped).toBe(pool.kindCount[FrameKind.Private]);
  // Every shared frame is mapped by as many guest pages as its reference count, and none is leaked.
  for (const [frame, n] of sharedMappers)
    expect(pool.refcount[frame], `refcount of shared frame ${frame}`).toBe(n);
  expect(sharedMappers.size).toBe(pool.kindCount[FrameKind.Shared]);
  // Compressed pages live two to a frame at most.
  expect(pool.kindCount[FrameKind.Compressed]).toBeGreaterThanOrEqual(compressedPages);

  const h = takeSnapshot(host).host;
  const parts = h.freeMB + h.privateMB + h.sharedMB + h.compressedMB + h.tmemMB + h.overheadMB;
  expect(Math.abs(parts - h.totalMB)).toBeLessThanOrEqual(0.05);
}
