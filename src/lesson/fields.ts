/**
 * What a condition can read, and of what type: the snapshot's fields under the names the screens and the
 * batch output use (host.state, SWCUR, MCTL?, Succ eph gets), the dashboard's view, and the functions of
 * the language. The tables name every field of the snapshot types (the compiler holds them to that), so
 * a lesson can ask about anything a screen shows, and a misspelt field is an error when it loads.
 */
import { OS_TYPES, WORKLOAD_TYPES } from '../engine/config.ts';
import type { EngineEvent } from '../engine/events.ts';
import { PERSONALITY_NAMES } from '../engine/policy/index.ts';
import type { GuestOsSnapshot, GuestSnapshot, HostCounters, WorkloadSnapshot } from '../engine/snapshot.ts';

export type Type =
  /** Counters a personality lacks are null at run time (shown n/a): a comparison with them is false. */
  | { readonly kind: 'number' }
  /** `values`: the only ones there are (a state, an OS), so a misspelt literal is an error. */
  | { readonly kind: 'string'; readonly values?: readonly string[] }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'null' }
  | { readonly kind: 'object'; readonly what: string; readonly fields: Readonly<Record<string, Type>> }
  | { readonly kind: 'list'; readonly what: string; readonly of: Type };

export const NUMBER: Type = { kind: 'number' };
export const BOOLEAN: Type = { kind: 'boolean' };
export const STRING: Type = { kind: 'string' };
const oneOf = (values: readonly string[]): Type => ({ kind: 'string', values });
const object = (what: string, fields: Readonly<Record<string, Type>>): Type => ({
  kind: 'object',
  what,
  fields,
});

export const FREE_STATES = ['high', 'soft', 'hard', 'low'] as const;

const THRESHOLDS = { high: NUMBER, soft: NUMBER, hard: NUMBER, low: NUMBER };

const HOST_FIELDS = {
  state: oneOf(FREE_STATES),
  thresholdsMB: object('host.thresholdsMB', THRESHOLDS),
  totalMB: NUMBER,
  freeMB: NUMBER,
  privateMB: NUMBER,
  sharedMB: NUMBER,
  compressedMB: NUMBER,
  tmemMB: NUMBER,
  overheadMB: NUMBER,
  vmkMB: NUMBER,
  overcommit: { kind: 'list', what: 'host.overcommit (1, 5 and 15 minutes)', of: NUMBER },
  pshare: object('host.pshare', { shared: NUMBER, common: NUMBER, saving: NUMBER }),
  swap: object('host.swap', { curr: NUMBER, rclmtgt: NUMBER, readMBs: NUMBER, writeMBs: NUMBER }),
  zip: object('host.zip', { zipped: NUMBER, saved: NUMBER }),
  memctl: object('host.memctl', { curr: NUMBER, target: NUMBER, max: NUMBER }),
  THRU: NUMBER,
} as const satisfies Record<keyof HostCounters, Type>;

const GUEST_OS_FIELDS = {
  freeMB: NUMBER,
  kernelMB: NUMBER,
  anonMB: NUMBER,
  cacheCleanMB: NUMBER,
  cacheDirtyMB: NUMBER,
  balloonMB: NUMBER,
  swapUsedMB: NUMBER,
  swapTotalMB: NUMBER,
  committedMB: NUMBER,
  swapInsPerSec: NUMBER,
  swapOutsPerSec: NUMBER,
  swapIns: NUMBER,
  storageReads: NUMBER,
  storageWrites: NUMBER,
  storageReadsPerSec: NUMBER,
  storageWritesPerSec: NUMBER,
} as const satisfies Record<keyof GuestOsSnapshot, Type>;

export const WORKLOAD_FIELDS = {
  name: STRING,
  type: oneOf(WORKLOAD_TYPES),
  state: oneOf(['running', 'done', 'killed']),
  sizeMB: NUMBER,
  residentMB: NUMBER,
  swappedMB: NUMBER,
  THRU: NUMBER,
} as const satisfies Record<keyof WorkloadSnapshot, Type>;

const TMEM_FIELDS = {
  persPages: NUMBER,
  failedEphPuts: NUMBER,
  failedPersPuts: NUMBER,
  failedEphGets: NUMBER,
  flushes: NUMBER,
} as const satisfies Record<keyof NonNullable<GuestSnapshot['tmem']>, Type>;

export const GUEST_FIELDS = {
  GID: NUMBER,
  name: STRING,
  os: oneOf(OS_TYPES),
  vcpus: NUMBER,
  state: oneOf(['running', 'blocked', 'paused', 'faulted']),
  fault: STRING,
  MEMSZ: NUMBER,
  GRANT: NUMBER,
  CNSM: NUMBER,
  SZTGT: NUMBER,
  TCHD: NUMBER,
  TCHD_W: NUMBER,
  '%ACTV': NUMBER,
  '%ACTVS': NUMBER,
  '%ACTVF': NUMBER,
  '%ACTVN': NUMBER,
  'MCTL?': BOOLEAN,
  MCTLSZ: NUMBER,
  MCTLTGT: NUMBER,
  MCTLMAX: NUMBER,
  SWCUR: NUMBER,
  SWTGT: NUMBER,
  'SWR/s': NUMBER,
  'SWW/s': NUMBER,
  CACHESZ: NUMBER,
  CACHEUSD: NUMBER,
  'ZIP/s': NUMBER,
  'UNZIP/s': NUMBER,
  zippedMB: NUMBER,
  SHRD: NUMBER,
  ZERO: NUMBER,
  SHRDSVD: NUMBER,
  COWH: NUMBER,
  doublePaging: NUMBER,
  OVHD: NUMBER,
  AMIN: NUMBER,
  AMAX: NUMBER,
  ASHRS: NUMBER,
  'Curr eph pages': NUMBER,
  'Succ eph gets': NUMBER,
  'Succ pers puts': NUMBER,
  'Succ pers gets': NUMBER,
  tmem: object('tmem', TMEM_FIELDS),
  THRU: NUMBER,
  cpuSeconds: NUMBER,
  cpuPercent: NUMBER,
  guestOs: object('guestOs', GUEST_OS_FIELDS),
  workloads: { kind: 'list', what: 'workloads', of: object('workload', WORKLOAD_FIELDS) },
} as const satisfies Record<keyof GuestSnapshot, Type>;

/** The dashboard's screens, as `view.screen` names them. */
export const VIEW_SCREENS = ['esxtop', 'xentop', 'host', 'events', 'detail', 'compare'] as const;

/** What the trainee has on screen: the screen, and the selected guest's name (null: none). */
export interface View {
  readonly screen: (typeof VIEW_SCREENS)[number];
  readonly guest: string | null;
}

export const HOST = object('host', HOST_FIELDS);
export const GUEST = object('guest', GUEST_FIELDS);
export const WORKLOAD = object('workload', WORKLOAD_FIELDS);
export const VIEW = object('view', {
  screen: oneOf(VIEW_SCREENS),
  guest: STRING,
} satisfies Record<keyof View, Type>);

/** The names a condition starts from, and what each is. */
export const NAMES: Readonly<Record<string, { type: Type; help: string }>> = {
  host: { type: HOST, help: 'the host counters: host.state, host.freeMB, host.pshare.saving ...' },
  t: { type: NUMBER, help: 'simulated seconds since the host started' },
  elapsed: { type: NUMBER, help: 'simulated seconds since this step began' },
  view: { type: VIEW, help: 'what the trainee has on screen: view.screen, view.guest' },
  personality: { type: oneOf(PERSONALITY_NAMES), help: 'the personality the host runs' },
};

/** The kinds of events in the event log, for logged("state", ...). */
const EVENT_KIND_SET: Record<EngineEvent['kind'], true> = {
  state: true,
  guest: true,
  workload: true,
  reclaim: true,
  error: true,
  warning: true,
  command: true,
};
export const EVENT_KINDS = Object.keys(EVENT_KIND_SET);

export interface FunctionSpec {
  /** The arguments' types; `literal` ones must be written as text in quotes (checked when the lesson loads). */
  readonly args: readonly { readonly name: string; readonly type: Type; readonly literal?: boolean }[];
  /** How many of the trailing arguments may be left out. */
  readonly optional?: number;
  readonly result: Type;
  /** The result is this argument's, of whatever type it is (`on`). */
  readonly resultOf?: number;
  readonly help: string;
}

export const FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  guest: {
    args: [{ name: 'name', type: STRING, literal: true }],
    result: GUEST,
    help: 'guest("vm4"): that guest\'s columns (null once it is gone)',
  },
  workload: {
    args: [
      { name: 'guest', type: STRING, literal: true },
      { name: 'workload', type: STRING, literal: true },
    ],
    result: WORKLOAD,
    help: 'workload("vm4", "db"): one program of a guest',
  },
  sent: {
    args: [
      { name: 'command', type: STRING, literal: true },
      { name: 'guest', type: STRING, literal: true },
    ],
    optional: 1,
    result: NUMBER,
    help: 'sent("limit", "vm4"): commands of that kind the trainee had accepted during this step',
  },
  logged: {
    args: [
      { name: 'kind', type: STRING, literal: true },
      { name: 'text', type: STRING, literal: true },
    ],
    optional: 1,
    result: NUMBER,
    help: 'logged("state", "-> low"): events of that kind (with that text) in the event log during this step',
  },
  on: {
    args: [
      { name: 'personality', type: STRING, literal: true },
      { name: 'value', type: NUMBER },
    ],
    result: NUMBER,
    resultOf: 1,
    help: 'on("kvm", guest("db1").SWCUR): a value on the host of that personality (compare lessons)',
  },
  ever: {
    args: [{ name: 'condition', type: BOOLEAN }],
    result: BOOLEAN,
    help: 'ever(host.state == "hard"): the condition held at some moment of this step',
  },
  min: {
    args: [
      { name: 'a', type: NUMBER },
      { name: 'b', type: NUMBER },
    ],
    result: NUMBER,
    help: 'the smaller of two numbers',
  },
  max: {
    args: [
      { name: 'a', type: NUMBER },
      { name: 'b', type: NUMBER },
    ],
    result: NUMBER,
    help: 'the larger of two numbers',
  },
  abs: { args: [{ name: 'x', type: NUMBER }], result: NUMBER, help: 'the size of a number' },
};
