/**
 * The share protocol: newline-delimited JSON, one message a line, each with the protocol version `v`
 * and a `type`. The host sends `hello` (its name), the `history` its charts have (so a late viewer's
 * charts start where the host's do), then `snapshot`s (the newest only: a slow viewer skips frames,
 * it never gets a backlog), and `bye` when it quits, or `refused` (why) before closing a
 * viewer it will not serve. A viewer sends one message, its `hello` (with the token over TCP), and
 * nothing else: there is no message by which a viewer could change the host.
 *
 * Every message is checked against these schemas on arrival; the snapshot schema is typed against
 * HostSnapshot, so a field added to the snapshot without being added here fails to compile.
 */
import { z } from 'zod';
import type { HostSnapshot } from '../engine/snapshot.ts';
import { GUEST_SERIES, type HistoryData, HOST_SERIES } from '../render/history.ts';

export const PROTOCOL_VERSION = 1;
/** Longest line a viewer may send (its hello). */
export const MAX_VIEWER_LINE = 4096;
/** Longest line a host may send (a snapshot of a few hundred guests is well under a MiB). */
export const MAX_HOST_LINE = 16 * 1024 * 1024;

const num = z.number();
const mbOrNull = z.number().nullable();
const state = z.enum(['high', 'soft', 'hard', 'low']);

const eventSchema = z.object({
  t: num,
  kind: z.enum(['state', 'guest', 'workload', 'reclaim', 'error', 'warning', 'command']),
  guest: z.string().optional(),
  message: z.string(),
});

const guestSchema = z.object({
  GID: num,
  name: z.string(),
  os: z.string(),
  vcpus: num,
  state: z.enum(['running', 'blocked', 'paused', 'faulted']),
  fault: z.string().nullable(),
  MEMSZ: num,
  GRANT: num,
  CNSM: num,
  SZTGT: num,
  TCHD: num,
  TCHD_W: num,
  '%ACTV': num,
  '%ACTVS': num,
  '%ACTVF': num,
  '%ACTVN': num,
  'MCTL?': z.boolean(),
  MCTLSZ: mbOrNull,
  MCTLTGT: mbOrNull,
  MCTLMAX: mbOrNull,
  SWCUR: mbOrNull,
  SWTGT: mbOrNull,
  'SWR/s': mbOrNull,
  'SWW/s': mbOrNull,
  CACHESZ: mbOrNull,
  CACHEUSD: mbOrNull,
  'ZIP/s': mbOrNull,
  'UNZIP/s': mbOrNull,
  zippedMB: mbOrNull,
  SHRD: mbOrNull,
  ZERO: mbOrNull,
  SHRDSVD: mbOrNull,
  COWH: mbOrNull,
  doublePaging: num,
  OVHD: num,
  AMIN: num,
  AMAX: num,
  ASHRS: num,
  'Curr eph pages': mbOrNull,
  'Succ eph gets': mbOrNull,
  'Succ pers puts': mbOrNull,
  'Succ pers gets': mbOrNull,
  tmem: z
    .object({
      persPages: num,
      failedEphPuts: num,
      failedPersPuts: num,
      failedEphGets: num,
      flushes: num,
    })
    .nullable(),
  THRU: num,
  cpuSeconds: num,
  cpuPercent: num,
  guestOs: z.object({
    freeMB: num,
    kernelMB: num,
    anonMB: num,
    cacheCleanMB: num,
    cacheDirtyMB: num,
    balloonMB: num,
    swapUsedMB: num,
    swapTotalMB: num,
    committedMB: num,
    swapInsPerSec: num,
    swapOutsPerSec: num,
    swapIns: num,
    storageReads: num,
    storageWrites: num,
    storageReadsPerSec: num,
    storageWritesPerSec: num,
  }),
  workloads: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      state: z.enum(['running', 'done', 'killed']),
      sizeMB: num,
      residentMB: num,
      swappedMB: num,
      THRU: num,
    }),
  ),
});

export const snapshotSchema: z.ZodType<HostSnapshot> = z.object({
  t: num,
  tick: num,
  seed: num,
  personality: z.string(),
  screen: z.enum(['esxtop', 'xentop']),
  clock: z.object({
    paused: z.boolean(),
    speed: z.union([num, z.literal('max')]),
    achieved: num.nullable(),
  }),
  powerOn: z.object({ done: num, of: num }).nullable(),
  mechanisms: z.object({
    sharing: z.boolean(),
    balloon: z.boolean(),
    zip: z.boolean(),
    swap: z.boolean(),
    tmem: z.boolean(),
  }),
  host: z.object({
    state,
    thresholdsMB: z.object({ high: num, soft: num, hard: num, low: num }),
    totalMB: num,
    freeMB: num,
    privateMB: num,
    sharedMB: num,
    compressedMB: num,
    tmemMB: num,
    overheadMB: num,
    vmkMB: num,
    overcommit: z.tuple([num, num, num]),
    pshare: z.object({ shared: num, common: num, saving: num }),
    swap: z.object({ curr: num, rclmtgt: num, readMBs: num, writeMBs: num }),
    zip: z.object({ zipped: num, saved: num }),
    memctl: z.object({ curr: num, target: num, max: num }),
    THRU: num,
  }),
  guests: z.array(guestSchema),
  events: z.array(eventSchema),
  eventCount: num,
});

const samples = z.array(num.nullable());

export const historySchema: z.ZodType<HistoryData> = z.object({
  tick: num,
  host: z.record(z.enum(HOST_SERIES), samples),
  guests: z.array(z.object({ gid: num, series: z.record(z.enum(GUEST_SERIES), samples) })),
});

const v = z.literal(PROTOCOL_VERSION);

export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ v, type: z.literal('hello'), host: z.string().max(200) }),
  z.object({ v, type: z.literal('history'), history: historySchema }),
  z.object({ v, type: z.literal('snapshot'), snapshot: snapshotSchema }),
  z.object({ v, type: z.literal('bye'), reason: z.string().max(500) }),
  z.object({ v, type: z.literal('refused'), reason: z.string().max(500) }),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;

export const viewerHelloSchema = z.strictObject({
  v,
  type: z.literal('hello'),
  /** Which program is looking: for the host's log. */
  viewer: z.enum(['attach', 'wall']),
  token: z.string().max(256).optional(),
});
export type ViewerHello = z.infer<typeof viewerHelloSchema>;

/** One message as one NDJSON line. */
export const encode = (m: HostMessage | ViewerHello | { v: number; type: string }): string =>
  `${JSON.stringify(m)}\n`;

export type Decoded<T> = { ok: true; message: T } | { ok: false; error: string };

/**
 * A line checked against a schema: not JSON, another protocol version, or the wrong shape are each an
 * error in one short sentence (never the line itself, which may be long or hostile).
 */
export function decode<T>(line: string, schema: z.ZodType<T>): Decoded<T> {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return { ok: false, error: 'sent something that is not JSON' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { ok: false, error: 'sent JSON that is not a message object' };
  const version = (data as { v?: unknown }).v;
  if (version !== PROTOCOL_VERSION) {
    const said = typeof version === 'number' ? `version ${version}` : 'no version';
    return { ok: false, error: `speaks share protocol ${said}, not ${PROTOCOL_VERSION}` };
  }
  const r = schema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join('.') : 'message';
    return { ok: false, error: `sent a message that is not the share protocol (${where}: ${issue.message})` };
  }
  return { ok: true, message: r.data };
}
