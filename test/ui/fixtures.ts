import type { Key } from 'ink';
import type { GuestSnapshot, HostSnapshot } from '../../src/engine/snapshot.ts';
import { type Line, plain } from '../../src/render/text.ts';
import { parsePreset } from '../../src/scenario/preset.ts';
import { Session } from '../../src/session/session.ts';

/** A guest snapshot with round numbers; fields added to the snapshot later are left out on purpose. */
export function guest(over: Partial<Record<keyof GuestSnapshot, unknown>> = {}): GuestSnapshot {
  const base = {
    GID: 1,
    name: 'vm1',
    os: 'linux',
    vcpus: 1,
    state: 'running',
    fault: null,
    MEMSZ: 1024,
    GRANT: 512.5,
    CNSM: 500.25,
    SZTGT: 600,
    TCHD: 100,
    TCHD_W: 50,
    '%ACTV': 12,
    '%ACTVS': 11,
    '%ACTVF': 13,
    '%ACTVN': 10,
    'MCTL?': true,
    MCTLSZ: 64,
    MCTLTGT: 128,
    MCTLMAX: 665.6,
    SWCUR: 0,
    SWTGT: 0,
    'SWR/s': 0,
    'SWW/s': 0,
    CACHESZ: 102.4,
    CACHEUSD: 10,
    'ZIP/s': 0,
    'UNZIP/s': 0,
    zippedMB: 0,
    SHRD: 20,
    ZERO: 5,
    SHRDSVD: 15,
    COWH: 1,
    doublePaging: 0,
    OVHD: 12.24,
    AMIN: 0,
    AMAX: -1,
    ASHRS: 10240,
    'Curr eph pages': 0,
    'Succ eph gets': 0,
    'Succ pers puts': 0,
    'Succ pers gets': 0,
    tmem: null,
    THRU: 1234,
    cpuSeconds: 42.7,
    cpuPercent: 55.55,
    guestOs: {
      freeMB: 300,
      kernelMB: 24,
      anonMB: 500,
      cacheCleanMB: 100,
      cacheDirtyMB: 10,
      balloonMB: 64,
      swapUsedMB: 0,
      swapTotalMB: 512,
      committedMB: 700,
      swapInsPerSec: 0,
      swapIns: 7,
      storageReads: 1234,
      storageWrites: 56,
      storageReadsPerSec: 12,
      storageWritesPerSec: 3,
      swapOutsPerSec: 0,
    },
    workloads: [
      {
        name: 'database',
        type: 'database',
        state: 'running',
        sizeMB: 512,
        residentMB: 400,
        swappedMB: 0,
        THRU: 1234,
      },
    ],
  };
  return { ...base, ...over } as unknown as GuestSnapshot;
}

export function snapshot(
  over: Partial<Record<keyof HostSnapshot, unknown>> = {},
  host: Record<string, unknown> = {},
): HostSnapshot {
  const base = {
    t: 3725,
    tick: 3725,
    seed: 42,
    personality: 'esx',
    screen: 'esxtop',
    clock: { paused: false, speed: 1, achieved: null },
    powerOn: null,
    mechanisms: { sharing: true, balloon: true, zip: true, swap: true, tmem: false },
    host: {
      state: 'high',
      thresholdsMB: { high: 245.76, soft: 163.84, hard: 81.92, low: 40.96 },
      totalMB: 4096,
      freeMB: 2048,
      privateMB: 1800,
      sharedMB: 20,
      compressedMB: 10,
      tmemMB: 0,
      overheadMB: 218,
      vmkMB: 61.44,
      overcommit: [0.5, 0.25, 0.1],
      pshare: { shared: 40, common: 20, saving: 20 },
      swap: { curr: 0, rclmtgt: 0, readMBs: 0, writeMBs: 0 },
      zip: { zipped: 20, saved: 10 },
      memctl: { curr: 64, target: 128, max: 1331.2 },
      THRU: 2468,
      ...host,
    },
    guests: [
      guest(),
      guest({
        GID: 2,
        name: 'web-server-long-name',
        MEMSZ: 2048,
        AMAX: 1536,
        SWCUR: null,
        MCTLSZ: null,
        'MCTL?': false,
        THRU: 1234,
      }),
    ],
    events: [],
  };
  const merged = { ...base, ...over };
  // The host has logged the events shown, unless a test says it logged more.
  return { eventCount: (merged.events as unknown[]).length, ...merged } as unknown as HostSnapshot;
}

export const text = (lines: readonly Line[]): string[] => lines.map(plain);

/**
 * A real session on a small host, built from preset text (the preset format is the stable contract);
 * guests have no workloads unless given, so ticks are cheap. `timeline` entries read like a preset's
 * (`at 3s: limit a 64MB`).
 */
export function session(
  guests: { name: string; memszMB: number; extra?: string }[] = [],
  hostMB = 1024,
  timeline: readonly string[] = [],
): Session {
  const lines = ['# ui test', 'seed: 7', 'personality: esx', 'host:', `  memory: ${hostMB}MB`, 'guests:'];
  if (guests.length === 0) lines[lines.length - 1] = 'guests: []';
  for (const g of guests) {
    lines.push(`  - name: ${g.name}`, `    memsz: ${g.memszMB}MB`);
    if (g.extra) lines.push(...g.extra.split('\n').map((l) => `    ${l}`));
  }
  if (timeline.length > 0) lines.push('timeline:', ...timeline.map((t) => `  - ${t}`));
  return new Session(parsePreset(lines.join('\n'), 'ui-test.yaml'));
}

/** A guest's `extra` preset text giving it one workload. */
export const workload = (type: string, size: string): string =>
  `workloads:\n  - type: ${type}\n    size: ${size}`;

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping escape codes
export const stripAnsi = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** Ink's key flags with none set: a plain character. */
export const noKey: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
