import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/engine/apply-command.ts';
import type { Command } from '../../src/engine/commands.ts';
import type { WorkloadType } from '../../src/engine/config.ts';
import { FrameKind } from '../../src/engine/framepool.ts';
import { GpnUse } from '../../src/engine/guestos.ts';
import type { Host } from '../../src/engine/host.ts';
import { takeSnapshot } from '../../src/engine/snapshot-build.ts';
import { pagesToMB, round2 } from '../../src/engine/units.ts';
import { workloadSpec } from '../../src/engine/workloads/defaults.ts';
import {
  checkConservation,
  guestConfig,
  machineOf,
  makeHost,
  must,
  snapshotJson,
  tickUntil,
} from './helpers.ts';

/** As the engine prints sizes in messages: whole MB. */
const mb = (pages: number): string => `${pagesToMB(pages).toFixed(0)}MB`;
/** As snapshots show sizes: MB with two decimals. */
const MB = (pages: number): number => round2(pagesToMB(pages));

const dir = mkdtempSync(join(tmpdir(), 'memvisor-commands-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const traceFile = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

let host: Host;

/**
 * A host with something in it: guest `a` (16 MiB, reservation 2 MiB, limit 12 MiB) running `db`,
 * guest `r` (32 MiB, reservation 6000 pages, idle) and guest `z` (8000 pages, no reservation, idle), ticked.
 * Admission control: 16384 frames - 2048 vmk - (512 + 297) a - (6000 + 338) r - (0 + 336) z = 6853 unreserved.
 */
function busyHost(): Host {
  const h = makeHost(16384);
  must(h, {
    type: 'addGuest',
    guest: guestConfig('a', 4096, { reservationPages: 512, limitPages: 3072 }),
    workloads: [workloadSpec('database', { name: 'db', sizePages: 1000 })],
  });
  must(h, { type: 'addGuest', guest: guestConfig('r', 8192, { reservationPages: 6000 }) });
  must(h, { type: 'addGuest', guest: guestConfig('z', 8000) });
  for (let i = 0; i < 2; i++) h.tick();
  return h;
}

/** Applies a command that must be refused with `error`, and checks it changed nothing at all. */
function expectRefused(cmd: Command, error: string | RegExp): void {
  const before = snapshotJson(host);
  const events = host.events.count;
  const r = applyCommand(host, cmd);
  expect(r.ok).toBe(false);
  if (r.ok) return;
  if (typeof error === 'string') expect(r.error).toBe(error);
  else expect(r.error).toMatch(error);
  expect(snapshotJson(host)).toBe(before);
  expect(host.events.count).toBe(events);
}

/** Applies a command that must succeed with `message`, logged as a command event. */
function expectDone(cmd: Command, message: string, guest?: string): void {
  const r = applyCommand(host, cmd);
  expect(r).toEqual({ ok: true, message });
  const last = host.events.recent(1)[0];
  expect(last.kind).toBe('command');
  expect(last.message).toBe(message);
  expect(last.guest).toBe(guest);
  checkConservation(host);
}

beforeEach(() => {
  host = busyHost();
});
afterEach(() => {
  host.close();
});

describe('commands that succeed', () => {
  it("the host holds the vmk and every guest's overhead as overhead frames", () => {
    expect(host.pool.kindCount[FrameKind.Overhead]).toBe(host.vmkPages + 297 + 338 + 336);
    checkConservation(host);
  });

  it('addGuest powers a guest on with its overhead, kernel and workloads', () => {
    const free = host.pool.freeFrames;
    const config = guestConfig('new', 2600, { overheadPages: 100 });
    expectDone(
      { type: 'addGuest', guest: config, workloads: [workloadSpec('idle', { sizePages: 50 })] },
      'added new',
      'new',
    );
    const m = machineOf(host, 'new');
    expect(m.vm.config).toEqual(config);
    expect(m.vm.config).not.toBe(config);
    expect(m.vm.overheadFrames).toHaveLength(100);
    expect(m.os.useCount[GpnUse.Kernel]).toBe(2048);
    expect(m.workloads.map((w) => w.spec.name)).toEqual(['idle']);
    expect(host.pool.freeFrames).toBe(free - 100 - 2048);
    const g = takeSnapshot(host).guests.at(-1)!;
    expect(g.name).toBe('new');
    expect(g.MEMSZ).toBe(MB(2600));
    expect(g.OVHD).toBe(MB(100));
    expect(g.GID).toBe(4);
  });

  it('removeGuest gives back every frame the guest held', () => {
    must(host, {
      type: 'addGuest',
      guest: guestConfig('tmp', 3000),
      workloads: [workloadSpec('memhog', { sizePages: 800 })],
    });
    host.tick();
    const tmp = machineOf(host, 'tmp');
    const held = tmp.vm.stateCount[1] + tmp.vm.overheadFrames.length;
    expect(held).toBeGreaterThan(2048 + 286 + 400);
    const free = host.pool.freeFrames;
    expectDone({ type: 'removeGuest', guest: 'tmp' }, 'removed tmp', 'tmp');
    expect(host.machine('tmp')).toBeUndefined();
    expect(host.pool.freeFrames).toBe(free + held);
    expect(tmp.workloads.every((w) => !tmp.os.processes.has(w.process.pid))).toBe(true);
    expect(takeSnapshot(host).guests.map((g) => g.name)).toEqual(['a', 'r', 'z']);
    // The name is free again.
    must(host, { type: 'addGuest', guest: guestConfig('tmp', 2600) });
  });

  it('setMemsz hot-adds memory and hot-removes free memory', () => {
    const m = machineOf(host, 'z');
    const free = m.os.freePages;
    expectDone({ type: 'setMemsz', guest: 'z', pages: 10000 }, `z memsz ${mb(10000)}`, 'z');
    expect(m.vm.config.memszPages).toBe(10000);
    expect(m.vm.pmapState.length).toBe(10000);
    expect(m.os.freePages).toBe(free + 2000);
    expect(takeSnapshot(host).guests[2].MEMSZ).toBe(MB(10000));
    // The new pages are usable.
    must(host, { type: 'startWorkload', guest: 'z', workload: workloadSpec('idle', { sizePages: 2500 }) });
    host.tick();
    expect(m.os.useCount[GpnUse.Anon]).toBe(2500);
    // Hot-added pages join the free list on top: the program got them first.
    expect(m.os.use[8000]).toBe(GpnUse.Anon);
    expect(m.os.use[9999]).toBe(GpnUse.Anon);
    must(host, { type: 'stopWorkload', guest: 'z', workload: 'idle' });
    const frames = host.pool.freeFrames;
    const behind = m.vm.stateCount[1];
    expectDone({ type: 'setMemsz', guest: 'z', pages: 2600 }, `z memsz ${mb(2600)}`, 'z');
    expect(m.vm.pmapState.length).toBe(2600);
    expect(m.os.memszPages).toBe(2600);
    expect(m.os.freePages).toBe(2600 - 2048);
    // Frames behind the removed pages went back to the host.
    expect(host.pool.freeFrames - frames).toBe(behind - m.vm.stateCount[1]);
    expect(host.pool.freeFrames).toBeGreaterThan(frames);
  });

  it('setLimit, setReservation and setShares change the config and the snapshot', () => {
    expectDone({ type: 'setLimit', guest: 'a', pages: 2048 }, `a limit ${mb(2048)}`, 'a');
    expect(takeSnapshot(host).guests[0].AMAX).toBe(8);
    expectDone({ type: 'setLimit', guest: 'a', pages: null }, 'a limit none', 'a');
    expect(takeSnapshot(host).guests[0].AMAX).toBe(-1);
    expectDone({ type: 'setReservation', guest: 'a', pages: 1024 }, `a reservation ${mb(1024)}`, 'a');
    expect(takeSnapshot(host).guests[0].AMIN).toBe(4);
    expectDone({ type: 'setReservation', guest: 'a', pages: 0 }, `a reservation ${mb(0)}`, 'a');
    expectDone({ type: 'setShares', guest: 'a', shares: 777 }, 'a shares 777', 'a');
    expect(takeSnapshot(host).guests[0].ASHRS).toBe(777);
    expect(machineOf(host, 'a').vm.config).toMatchObject({
      limitPages: null,
      reservationPages: 0,
      shares: 777,
    });
    // The policy uses them at the next tick: a limit caps the target.
    must(host, { type: 'setLimit', guest: 'a', pages: 1500 });
    host.tick();
    expect(machineOf(host, 'a').vm.targetPages).toBeLessThanOrEqual(1500);
  });

  it('startWorkload, resizeWorkload and stopWorkload', () => {
    const m = machineOf(host, 'a');
    expectDone(
      {
        type: 'startWorkload',
        guest: 'a',
        workload: workloadSpec('java-heap', { name: 'jvm', sizePages: 300 }),
      },
      'a started jvm',
      'a',
    );
    expect(m.workload('jvm')?.process.sizePages).toBe(300);
    host.tick();
    expectDone(
      { type: 'resizeWorkload', guest: 'a', workload: 'jvm', pages: 512 },
      `a jvm resized to ${mb(512)}`,
      'a',
    );
    expect(m.workload('jvm')?.spec.sizePages).toBe(512);
    expect(m.workload('jvm')?.process.sizePages).toBe(512);
    expect(takeSnapshot(host).guests[0].workloads.find((w) => w.name === 'jvm')?.sizeMB).toBe(2);
    const jvm = m.workload('jvm')!;
    expectDone({ type: 'stopWorkload', guest: 'a', workload: 'jvm' }, 'a stopped jvm', 'a');
    expect(m.workloads.map((w) => w.spec.name)).toEqual(['db']);
    expect(m.os.processes.has(jvm.process.pid)).toBe(false);
    expect(jvm.state).toBe('done');
    // A stopped workload's name can be used again.
    must(host, {
      type: 'startWorkload',
      guest: 'a',
      workload: workloadSpec('idle', { name: 'jvm', sizePages: 1 }),
    });
  });

  it('startWorkload accepts a trace with a readable file', () => {
    const file = traceFile('ok.trace', 'W 0 0 ff\nR 1\n');
    expectDone(
      {
        type: 'startWorkload',
        guest: 'a',
        workload: workloadSpec('trace', { name: 't', sizePages: 4, file }),
      },
      'a started t',
      'a',
    );
  });
});

describe('commands that are refused change nothing', () => {
  it.each([
    ['remove', { type: 'removeGuest', guest: 'nobody' }],
    ['memsz', { type: 'setMemsz', guest: 'nobody', pages: 4096 }],
    ['limit', { type: 'setLimit', guest: 'nobody', pages: null }],
    ['reservation', { type: 'setReservation', guest: 'nobody', pages: 0 }],
    ['shares', { type: 'setShares', guest: 'nobody', shares: 10 }],
    ['start', { type: 'startWorkload', guest: 'nobody', workload: workloadSpec('idle') }],
    ['stop', { type: 'stopWorkload', guest: 'nobody', workload: 'db' }],
    ['resize', { type: 'resizeWorkload', guest: 'nobody', workload: 'db', pages: 10 }],
  ] as [string, Command][])('%s names a guest that does not exist', (verb, cmd) => {
    expectRefused(cmd, `${verb}: no guest named "nobody" (guests: a, r, z)`);
  });

  it('names no guests when there are none', () => {
    host.close();
    host = makeHost(16384);
    expectRefused({ type: 'removeGuest', guest: 'a' }, 'remove: no guest named "a" (guests: none)');
  });

  it('memsz: positive, within the host, not below memory in use, not below the reservation', () => {
    expectRefused({ type: 'setMemsz', guest: 'a', pages: 0 }, 'memsz: a: size must be positive');
    expectRefused({ type: 'setMemsz', guest: 'a', pages: -4096 }, 'memsz: a: size must be positive');
    expectRefused({ type: 'setMemsz', guest: 'a', pages: Number.NaN }, 'memsz: a: size must be positive');
    const ovh = machineOf(host, 'a').vm.config.overheadPages;
    const tooBig = 16384 - ovh + 1;
    expectRefused(
      { type: 'setMemsz', guest: 'a', pages: tooBig },
      `memsz: a: ${mb(tooBig)} is larger than the host (64MB)`,
    );
    // The kernel sits in the lowest 2048 pages and the database just above them.
    expectRefused(
      { type: 'setMemsz', guest: 'a', pages: 2100 },
      `memsz: a: cannot remove memory above ${mb(2100)}: the guest is using it`,
    );
    expectRefused(
      { type: 'setMemsz', guest: 'a', pages: 1000 },
      `memsz: a: cannot remove memory above ${mb(1000)}: the guest is using it`,
    );
    // r uses only its kernel's 2048 pages, but has 6000 reserved.
    expectRefused(
      { type: 'setMemsz', guest: 'r', pages: 4096 },
      `memsz: r: ${mb(4096)} is below its reservation ${mb(6000)}`,
    );
  });

  it('limit: not below the reservation, and positive', () => {
    expectRefused(
      { type: 'setLimit', guest: 'a', pages: 256 },
      `limit: a: ${mb(256)} is below its reservation 2MB`,
    );
    expectRefused({ type: 'setLimit', guest: 'a', pages: 0 }, 'limit: a: 0MB is below its reservation 2MB');
    expectRefused({ type: 'setLimit', guest: 'z', pages: 0 }, 'limit: z: a limit must be positive');
  });

  it('reservation: not negative, not above memsz or the limit, and it must fit', () => {
    expectRefused({ type: 'setReservation', guest: 'a', pages: -1 }, 'reservation: a: must not be negative');
    expectRefused(
      { type: 'setReservation', guest: 'a', pages: 5000 },
      `reservation: a: ${mb(5000)} is above memsz ${mb(4096)}`,
    );
    expectRefused(
      { type: 'setReservation', guest: 'a', pages: 3500 },
      `reservation: a: ${mb(3500)} is above its limit ${mb(3072)}`,
    );
    expectRefused(
      { type: 'setReservation', guest: 'z', pages: 7500 },
      `reservation: z: ${mb(7500)} does not fit (unreserved ${mb(6853)})`,
    );
    expectRefused(
      { type: 'setReservation', guest: 'z', pages: 6854 },
      `reservation: z: ${mb(6854)} does not fit (unreserved ${mb(6853)})`,
    );
    // Exactly what is unreserved fits.
    must(host, { type: 'setReservation', guest: 'z', pages: 6853 });
    expectRefused(
      { type: 'setReservation', guest: 'r', pages: 6001 },
      `reservation: r: ${mb(6001)} does not fit (unreserved ${mb(6000)})`,
    );
    // A guest's own reservation counts as available to it: 8192 > 6853, yet r already holds 6000.
    must(host, { type: 'setReservation', guest: 'z', pages: 0 });
    must(host, { type: 'setReservation', guest: 'r', pages: 8192 });
  });

  it('shares: a positive whole number', () => {
    for (const shares of [0, -5, 2.5, Number.NaN]) {
      expectRefused(
        { type: 'setShares', guest: 'a', shares },
        `shares: a: "${shares}" must be a positive whole number`,
      );
    }
  });

  it('start: a new name and a valid spec', () => {
    expectRefused(
      { type: 'startWorkload', guest: 'a', workload: workloadSpec('memhog', { name: 'db' }) },
      'start: a already runs a workload named "db"',
    );
    expectRefused(
      { type: 'startWorkload', guest: 'a', workload: workloadSpec('memhog', { name: 'm', sizePages: -1 }) },
      'start: m: size must be positive',
    );
    for (const [key, field, v] of [
      ['ws', 'workingSet', 1.5],
      ['ws', 'workingSet', Number.NaN],
      ['locality', 'locality', -0.1],
      ['write', 'writeFraction', 2],
    ] as const) {
      expectRefused(
        { type: 'startWorkload', guest: 'a', workload: workloadSpec('memhog', { name: 'm', [field]: v }) },
        `start: m: ${key} must be between 0 and 1, got ${v}`,
      );
    }
  });

  it('start: a trace needs a readable trace file', () => {
    expectRefused(
      { type: 'startWorkload', guest: 'a', workload: workloadSpec('trace', { name: 't' }) },
      'start: t: a trace workload needs file=PATH',
    );
    const missing = join(dir, 'missing.trace');
    expectRefused(
      { type: 'startWorkload', guest: 'a', workload: workloadSpec('trace', { name: 't', file: missing }) },
      new RegExp(`^start: t: ${missing}:0: cannot read the trace file: .*ENOENT`),
    );
    const bad = traceFile('bad.trace', 'R 1\nR x\n');
    expectRefused(
      { type: 'startWorkload', guest: 'a', workload: workloadSpec('trace', { name: 't', file: bad }) },
      `start: t: ${bad}:2: page "x" is not a non-negative integer`,
    );
  });

  it('stop: the workload must exist', () => {
    expectRefused(
      { type: 'stopWorkload', guest: 'a', workload: 'nope' },
      'stop: a has no workload "nope" (workloads: db)',
    );
    expectRefused(
      { type: 'stopWorkload', guest: 'z', workload: 'db' },
      'stop: z has no workload "db" (workloads: none)',
    );
  });

  it('resize: the workload must be running and the size positive', () => {
    expectRefused(
      { type: 'resizeWorkload', guest: 'a', workload: 'nope', pages: 10 },
      'resize: a has no running workload "nope" (workloads: db)',
    );
    expectRefused(
      { type: 'resizeWorkload', guest: 'a', workload: 'db', pages: 0 },
      'resize: a db: size must be positive',
    );
    expectRefused(
      { type: 'resizeWorkload', guest: 'a', workload: 'db', pages: -3 },
      'resize: a db: size must be positive',
    );
    // A trace that has finished is no longer running.
    const file = traceFile('short.trace', 'W 0 0 01\n');
    must(host, {
      type: 'startWorkload',
      guest: 'z',
      workload: workloadSpec('trace', { name: 't', sizePages: 2, file }),
    });
    const t = machineOf(host, 'z').workloads[0];
    tickUntil(host, () => t.state === 'done', 5);
    expectRefused(
      { type: 'resizeWorkload', guest: 'z', workload: 't', pages: 4 },
      'resize: z has no running workload "t" (workloads: t)',
    );
  });

  describe('add', () => {
    const add = (over: Parameters<typeof guestConfig>[2] = {}, name = 'x', memsz = 3000): Command => ({
      type: 'addGuest',
      guest: guestConfig(name, memsz, over),
    });

    it('needs a valid, new name', () => {
      for (const name of ['', 'has space', 'a/b', 'x'.repeat(33), 'é']) {
        expectRefused(
          add({}, name),
          `add: "${name}" is not a guest name (letters, digits, _ . -, at most 32)`,
        );
      }
      expectRefused(add({}, 'a'), 'add: a guest named "a" already exists');
      must(host, add({}, `A_b.c-${'9'.repeat(26)}`, 2600));
    });

    it('needs a positive memsz that fits the host with its overhead', () => {
      expectRefused(add({}, 'x', 0), 'add: x: memsz must be positive');
      expectRefused(add({}, 'x', -1), 'add: x: memsz must be positive');
      expectRefused(
        add({ overheadPages: 1 }, 'x', 16384),
        'add: x: memsz 64MB is larger than the host (64MB)',
      );
    });

    it('needs reservation <= memsz and limit >= reservation', () => {
      expectRefused(
        add({ reservationPages: 3001 }),
        `add: x: reservation ${mb(3001)} is above memsz ${mb(3000)}`,
      );
      expectRefused(
        add({ reservationPages: 2048, limitPages: 1024 }),
        'add: x: limit 4MB is below reservation 8MB',
      );
    });

    it('needs whole vcpus and positive shares', () => {
      for (const vcpus of [0, 1.5, -1]) {
        expectRefused(add({ vcpus, overheadPages: 100 }), 'add: x: vcpus must be a whole number >= 1');
      }
      for (const shares of [0, -10, Number.NaN])
        expectRefused(add({ shares }), 'add: x: shares must be positive');
    });

    it('needs free frames for the overhead, the kernel and one operation', () => {
      const free = host.pool.freeFrames;
      const overhead = free - 2048 - 8 + 1;
      expectRefused(
        add({ overheadPages: overhead }),
        `add: x: the host has ${mb(free)} free, power-on needs ${mb(overhead + 2048 + 8)}`,
      );
      must(host, add({ overheadPages: overhead - 1 }));
    });

    it('needs its reservation and overhead to fit in unreserved memory', () => {
      // 6853 unreserved (see busyHost); with 300 overhead a guest can reserve 6553 and no more.
      expectRefused(
        add({ reservationPages: 6554, overheadPages: 300 }, 'x', 7000),
        `add: x: reservation ${mb(6554)} does not fit (unreserved ${mb(6853)})`,
      );
      must(host, add({ reservationPages: 6553, overheadPages: 300 }, 'x', 7000));
    });

    it("needs what the personality's admission control asks for", () => {
      host.close();
      // Xen backs all of a domain's memory when it is created: 14336 usable pages, 8336 taken.
      host = makeHost(16384, 7, undefined, 'xen-tmem');
      must(host, add({}, 'x1', 8000));
      expectRefused(
        add({}, 'x2', 6000),
        "add: x2: xen-tmem: Xen backs all of a domain's memory at creation: 25 MB does not fit: 23 MB left",
      );
      must(host, add({ overheadPages: 100 }, 'x2', 5900));
    });

    it('needs distinct, valid workloads', () => {
      expectRefused(
        {
          type: 'addGuest',
          guest: guestConfig('x', 3000),
          workloads: [workloadSpec('idle', { name: 'w' }), workloadSpec('memhog', { name: 'w' })],
        },
        'add: x: two workloads named "w"',
      );
      expectRefused(
        {
          type: 'addGuest',
          guest: guestConfig('x', 3000),
          workloads: [workloadSpec('idle', { locality: 3 })],
        },
        'add: idle: locality must be between 0 and 1, got 3',
      );
      expectRefused(
        {
          type: 'addGuest',
          guest: guestConfig('x', 3000),
          workloads: [workloadSpec('trace', { name: 'tr' })],
        },
        'add: tr: a trace workload needs file=PATH',
      );
    });
  });
});

describe('sizes and limits that used to get through', () => {
  // Only `boot` gives size 0 a meaning (all free memory). A size-0 database used to be accepted and then
  // crashed Host.tick with "slot NaN was never written"; a size-0 file-copy leaked guest pages.
  it.each([
    'database',
    'java-heap',
    'memhog',
    'os-image',
    'file-copy',
    'kernel-compile',
    'idle',
    'trace',
  ] as WorkloadType[])('start refuses a %s workload of size 0', (type) => {
    const file = type === 'trace' ? traceFile('zero.trace', 'W 3 0 ab\nR 5\n') : undefined;
    expectRefused(
      {
        type: 'startWorkload',
        guest: 'z',
        workload: workloadSpec(type, { name: 'empty', sizePages: 0, ...(file ? { file } : {}) }),
      },
      'start: empty: size must be positive',
    );
  });

  it('start accepts boot of size 0: it clears all the memory the guest has free', () => {
    const m = machineOf(host, 'z');
    must(host, { type: 'startWorkload', guest: 'z', workload: workloadSpec('boot', { sizePages: 0 }) });
    tickUntil(host, () => m.workloads[0].state === 'done', 20);
    checkConservation(host);
  });

  it('refuses a boot of negative size instead of throwing half way through', () => {
    // checkWorkload exempts boot from the size check altogether, so -1 passes and Process throws
    // "Invalid typed array length: -1" out of applyCommand, after addGuest has already added the guest.
    expectRefused(
      { type: 'startWorkload', guest: 'z', workload: workloadSpec('boot', { name: 'b', sizePages: -1 }) },
      /^start: b: size must /,
    );
    expectRefused(
      {
        type: 'addGuest',
        guest: guestConfig('half', 2600),
        workloads: [workloadSpec('boot', { name: 'b', sizePages: -1 })],
      },
      /^add: b: size must /,
    );
  });

  it('add checks reservation, limit, swap and overhead as the other commands do', () => {
    const add = (over: Parameters<typeof guestConfig>[2]): Command => ({
      type: 'addGuest',
      guest: guestConfig('x', 2600, over),
    });
    // A negative reservation would add to unreserved memory and let later guests reserve more than the host has.
    expectRefused(add({ reservationPages: -100_000 }), 'add: x: reservation must not be negative');
    expectRefused(
      { type: 'setReservation', guest: 'z', pages: -100 },
      'reservation: z: must not be negative',
    );
    expectRefused(add({ limitPages: 0 }), 'add: x: a limit must be positive');
    expectRefused({ type: 'setLimit', guest: 'z', pages: 0 }, 'limit: z: a limit must be positive');
    expectRefused(add({ guestSwapPages: -1 }), 'add: x: swap must not be negative');
    expectRefused(add({ overheadPages: -1 }), 'add: x: overhead must not be negative');
    must(host, add({ guestSwapPages: 0, limitPages: 1 }));
  });

  it('stop stops the running workload, not a killed one of the same name, then clears the killed one', () => {
    must(host, {
      type: 'addGuest',
      guest: guestConfig('oom', 2600, { guestSwapPages: 0 }),
      workloads: [workloadSpec('memhog', { name: 'job', sizePages: 2000 })],
    });
    const m = machineOf(host, 'oom');
    const killed = m.workloads[0];
    tickUntil(host, () => killed.state === 'killed', 20);
    // The name is free again: start it anew, smaller.
    must(host, {
      type: 'startWorkload',
      guest: 'oom',
      workload: workloadSpec('memhog', { name: 'job', sizePages: 100 }),
    });
    host.tick();
    const running = m.workload('job')!;
    expect(running.state).toBe('running');
    must(host, { type: 'stopWorkload', guest: 'oom', workload: 'job' });
    // "oom stopped job": no workload named job is still running.
    expect(m.workload('job')).toBeUndefined();
    expect(running.state).toBe('done');
    expect(m.workloads).toEqual([killed]);
    must(host, { type: 'stopWorkload', guest: 'oom', workload: 'job' });
    expect(m.workloads).toEqual([]);
  });
});
