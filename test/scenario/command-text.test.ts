import { describe, expect, it } from 'vitest';
import { defaultOverheadPages, type GuestConfig } from '../../src/engine/config.ts';
import { workloadSpec } from '../../src/engine/workloads/defaults.ts';
import {
  COMMAND_HELP,
  type ParsedCommand,
  parseCommand,
  resolveShareLevel,
} from '../../src/scenario/command-text.ts';

const MB = 256;
const GB = 1024 * MB;

function commandOf(text: string): ParsedCommand {
  const parsed = parseCommand(text);
  if (!parsed.ok) throw new Error(`expected ${text} to parse, got: ${parsed.error}`);
  return parsed.command;
}

function errorOf(text: string): string {
  const parsed = parseCommand(text);
  if (parsed.ok) throw new Error(`expected ${text} to be refused, got ${JSON.stringify(parsed.command)}`);
  return parsed.error;
}

describe('add', () => {
  it('fills every field a guest needs from its defaults', () => {
    const guest: GuestConfig = {
      name: 'vm3',
      memszPages: 2 * GB,
      reservationPages: 0,
      limitPages: null,
      shares: 10 * 2048,
      vcpus: 1,
      os: 'linux',
      balloonDriver: true,
      guestSwapPages: GB,
      overheadPages: defaultOverheadPages(2 * GB, 1),
    };
    expect(commandOf('add vm3 memsz=2GB')).toEqual({ type: 'addGuest', guest });
  });

  it('takes every option, in any order', () => {
    const text =
      'add db-1 os=windows overhead=50MB swap=256MB balloon=no vcpus=4 shares=high limit=768MB ' +
      'reservation=256MB memsz=1GB';
    const guest: GuestConfig = {
      name: 'db-1',
      memszPages: GB,
      reservationPages: 256 * MB,
      limitPages: 768 * MB,
      shares: 20 * 1024,
      vcpus: 4,
      os: 'windows',
      balloonDriver: false,
      guestSwapPages: 256 * MB,
      overheadPages: 50 * MB,
    };
    expect(commandOf(text)).toEqual({ type: 'addGuest', guest });
  });

  it('computes the default overhead from the given vCPUs, and takes share counts and limit=none', () => {
    const command = commandOf('add vm4 memsz=1GB vcpus=2 shares=500 limit=none');
    expect(command).toMatchObject({
      guest: { overheadPages: defaultOverheadPages(GB, 2), shares: 500, limitPages: null },
    });
  });
});

describe('commands on a guest or the clock', () => {
  it.each<[string, ParsedCommand]>([
    ['remove vm1', { type: 'removeGuest', guest: 'vm1' }],
    ['memsz vm1 3GB', { type: 'setMemsz', guest: 'vm1', pages: 3 * GB }],
    ['limit vm2 1024MB', { type: 'setLimit', guest: 'vm2', pages: GB }],
    ['limit vm2 none', { type: 'setLimit', guest: 'vm2', pages: null }],
    ['reservation vm2 512MB', { type: 'setReservation', guest: 'vm2', pages: 512 * MB }],
    ['shares vm2 2500', { type: 'setShares', guest: 'vm2', shares: 2500 }],
    ['shares vm2 high', { type: 'setShareLevel', guest: 'vm2', level: 'high' }],
    ['shares vm2 low', { type: 'setShareLevel', guest: 'vm2', level: 'low' }],
    ['stop vm1 db', { type: 'stopWorkload', guest: 'vm1', workload: 'db' }],
    ['resize vm1 db 2GB', { type: 'resizeWorkload', guest: 'vm1', workload: 'db', pages: 2 * GB }],
    ['pause', { type: 'pause' }],
    ['resume', { type: 'resume' }],
    ['step', { type: 'step', ticks: 1 }],
    ['step 10', { type: 'step', ticks: 10 }],
    ['speed 4', { type: 'speed', speed: 4 }],
    ['speed 0.5', { type: 'speed', speed: 0.5 }],
    ['speed max', { type: 'speed', speed: 'max' }],
    ['  limit   vm2\t1GB  ', { type: 'setLimit', guest: 'vm2', pages: GB }],
  ])('%s', (text, command) => {
    expect(commandOf(text)).toEqual(command);
  });

  it('resolves a share level against memsz, for the caller that knows it', () => {
    expect(resolveShareLevel('normal', 2 * GB)).toBe(20480);
  });
});

describe('start', () => {
  it('uses the workload defaults for whatever is not given', () => {
    expect(commandOf('start vm1 database')).toEqual({
      type: 'startWorkload',
      guest: 'vm1',
      workload: workloadSpec('database'),
    });
  });

  it('takes every parameter', () => {
    expect(commandOf('start vm1 memhog name=hog size=256MB ws=50% locality=0.9 write=10%')).toEqual({
      type: 'startWorkload',
      guest: 'vm1',
      workload: {
        type: 'memhog',
        name: 'hog',
        sizePages: 256 * MB,
        workingSet: 0.5,
        locality: 0.9,
        writeFraction: 0.1,
      },
    });
  });

  it('passes a trace its file', () => {
    expect(commandOf('start vm1 trace file=traces/a.trace')).toMatchObject({
      workload: { type: 'trace', file: 'traces/a.trace' },
    });
  });
});

describe('errors name the command and the argument', () => {
  it.each([
    ['', 'empty command'],
    ['   ', 'empty command'],
    ['limt vm1 1GB', 'unknown command "limt" (did you mean "limit"?)'],
    ['remvoe vm1', 'unknown command "remvoe" (did you mean "remove"?)'],
    [
      'frobnicate',
      'unknown command "frobnicate" (one of add, remove, memsz, limit, reservation, shares, start, stop, ' +
        'resize, pause, resume, step, speed)',
    ],
    ['limit vm1 12', 'limit: "12" has no unit: write 12MB or 12GB'],
    ['limit vm1', 'limit: missing SIZE|none (usage: limit NAME SIZE|none)'],
    ['limit', 'limit: missing NAME (usage: limit NAME SIZE|none)'],
    ['limit vm1 1GB 2GB', 'limit: unexpected "2GB" (usage: limit NAME SIZE|none)'],
    [
      'limit vm1 size=1GB',
      'limit: takes no options, got "size=1GB"; missing SIZE|none (usage: limit NAME SIZE|none)',
    ],
    ['memsz vm1 -1GB', 'memsz: "-1GB" is negative: a size must be 0 or more'],
    ['reservation vm1 lots', 'reservation: "lots" is not a size: write one such as 512MB'],
    [
      'shares vm1 hihg',
      'shares: "hihg" is not low, normal, high or a whole number of shares above 0 (did you mean "high"?)',
    ],
    ['resize vm1 db 2', 'resize: "2" has no unit: write 2MB or 2GB'],
    ['stop vm1', 'stop: missing WORKLOAD (usage: stop NAME WORKLOAD)'],
    ['pause now', 'pause: unexpected "now" (usage: pause)'],
    ['resume 1', 'resume: unexpected "1" (usage: resume)'],
    ['step 0', 'step: "0" is not a whole number above 0'],
    ['step 1.5', 'step: "1.5" is not a whole number above 0'],
    ['step 1 2', 'step: unexpected "2" (usage: step [N])'],
    ['speed 0', 'speed: "0" is not a number above 0 or max'],
    ['speed fast', 'speed: "fast" is not a number above 0 or max'],
    ['speed', 'speed: missing X|max (usage: speed X|max)'],
  ])('%j', (text, error) => {
    expect(errorOf(text)).toBe(error);
  });

  it.each([
    ['add vm3', 'add: memsz= is required, as in add vm3 memsz=1GB'],
    ['add memsz=1GB', expect.stringMatching(/^add: missing NAME \(usage: add NAME memsz=SIZE /)],
    ['add vm3 memsz=2048', 'add: memsz: "2048" has no unit: write 2048MB or 2GB'],
    [
      'add vm3 memzs=1GB',
      'add: unknown option "memzs" (did you mean "memsz"?); memsz= is required, as in add vm3 memsz=1GB',
    ],
    [
      'add vm3 memsz=1GB colour=red',
      'add: unknown option "colour" (one of memsz, reservation, limit, shares, vcpus, os, balloon, swap, overhead)',
    ],
    ['add vm3 memsz=1GB memsz=2GB', 'add: memsz= is given twice'],
    ['add vm3 memsz=', 'add: memsz= needs a value'],
    ['add vm3 memsz=1GB limit=12', 'add: limit: "12" has no unit: write 12MB or 12GB'],
    ['add vm3 memsz=1GB os=linx', 'add: os: unknown os "linx" (did you mean "linux"?)'],
    ['add vm3 memsz=1GB os=beos', 'add: os: unknown os "beos" (one of linux, windows, solaris, freebsd)'],
    ['add vm3 memsz=1GB balloon=true', 'add: balloon: "true" is not yes or no'],
    ['add vm3 memsz=1GB vcpus=0', 'add: vcpus: "0" is not a whole number above 0'],
    [
      'add vm3 memsz=1GB shares=0',
      'add: shares: "0" is not low, normal, high or a whole number of shares above 0',
    ],
    ['add vm/3 memsz=1GB', 'add: "vm/3" is not a valid name: use 1 to 32 letters, digits, "_", "." or "-"'],
    ['add vm3 memsz=0MB', 'add: memsz: must be more than 0MB'],
    ['add vm3 memsz=1GB reservation=2GB', 'add: reservation: 2GB is larger than memsz (1GB)'],
    [
      'add vm3 memsz=1GB limit=512MB reservation=768MB',
      'add: reservation: 768MB is larger than limit (512MB)',
    ],
    // Every problem of the line, not the first.
    [
      'add db1 memsz=768MB reservation=900MB shares=lots',
      'add: shares: "lots" is not low, normal, high or a whole number of shares above 0; ' +
        'reservation: 900MB is larger than memsz (768MB)',
    ],
    [
      'add vm/3 memsz=1GB memzs=2GB os=linx vcpus=0',
      'add: unknown option "memzs" (did you mean "memsz"?); "vm/3" is not a valid name: use 1 to 32 ' +
        'letters, digits, "_", "." or "-"; vcpus: "0" is not a whole number above 0; ' +
        'os: unknown os "linx" (did you mean "linux"?)',
    ],
    ['add vm3 memsz=1GBB reservation=2GB', 'add: memsz: "1GBB" has an unknown unit "GBB": use KB, MB or GB'],
  ])('%j', (text, error) => {
    expect(errorOf(text)).toEqual(error);
  });

  it.each([
    [
      'start vm1 kernel',
      'start: unknown workload "kernel" (one of boot, os-image, kernel-compile, database, java-heap, idle, ' +
        'memhog, file-copy, trace)',
    ],
    ['start vm1 databse', 'start: unknown workload "databse" (did you mean "database"?)'],
    [
      'start vm1',
      'start: missing WORKLOAD (usage: start NAME WORKLOAD [name=N] [size=SIZE] [ws=FRACTION] ' +
        '[locality=FRACTION] [write=FRACTION] [file=PATH])',
    ],
    ['start vm1 trace', 'start: file: required for a trace workload'],
    ['start vm1 idle file=x.trace', 'start: file: only a trace workload reads a file, not idle'],
    ['start vm1 idle size=512', 'start: size: "512" has no unit: write 512MB or 512GB'],
    [
      'start vm1 idle size=512 ws=60 file=x',
      'start: size: "512" has no unit: write 512MB or 512GB; ws: "60" is more than 1: write 60% or 0.6; ' +
        'file: only a trace workload reads a file, not idle',
    ],
    ['start vm1 idle ws=60', 'start: ws: "60" is more than 1: write 60% or 0.6'],
    ['start vm1 idle locality=2', 'start: locality: "2" is more than 1: write 2% or 0.02'],
    ['start vm1 idle write=-1%', 'start: write: "-1%" is negative: a fraction is between 0 and 1'],
    [
      'start vm1 idle name=a:b',
      'start: name: "a:b" is not a valid name: use 1 to 32 letters, digits, "_", "." or "-"',
    ],
    ['start vm1 idle nmae=x', 'start: unknown option "nmae" (did you mean "name"?)'],
  ])('%j', (text, error) => {
    expect(errorOf(text)).toBe(error);
  });
});

describe('COMMAND_HELP', () => {
  it('describes every command the parser knows, and no other', () => {
    for (const { name, usage, summary } of COMMAND_HELP) {
      expect(usage.startsWith(`${name}`)).toBe(true);
      expect(summary.length).toBeGreaterThan(0);
      expect(errorOf(`${name} a b c d e f=g`)).not.toMatch(/^unknown command/);
    }
    expect(COMMAND_HELP.map((c) => c.name).sort()).toEqual([
      'add',
      'limit',
      'memsz',
      'pause',
      'remove',
      'reservation',
      'resize',
      'resume',
      'shares',
      'speed',
      'start',
      'step',
      'stop',
    ]);
  });
});
