/** A preset's guest list: each guest and workload checked on its own, then against each other and the host. */
import { resolve } from 'node:path';
import type { z } from 'zod';
import type { GuestConfig, WorkloadSpec } from '../engine/config.ts';
import { buildGuest, buildWorkload, hostFitProblem, traceFileProblem } from './build.ts';
import { check, GuestSchema, WorkloadSchema } from './preset-schema.ts';
import type { Finding, PathStep } from './problems.ts';
import { isMapping } from './yaml-source.ts';

export interface PresetGuest {
  config: GuestConfig;
  workloads: WorkloadSpec[];
  /** Where the guest is written in its file (for a personality that refuses it at power-on). */
  line?: number;
  col?: number;
}

/** How a preset spells each GuestConfig field, to point problems at the right key. */
const KEY_OF: Record<keyof GuestConfig, string> = {
  name: 'name',
  memszPages: 'memsz',
  reservationPages: 'reservation',
  limitPages: 'limit',
  shares: 'shares',
  vcpus: 'vcpus',
  os: 'os',
  balloonDriver: 'balloon',
  guestSwapPages: 'guestSwap',
  overheadPages: 'overhead',
};

/** Every name written in the guest list, even on guests with other problems. */
export const guestNames = (items: unknown[]): { name: string; index: number }[] =>
  items.flatMap((item, index) =>
    isMapping(item) && typeof item.name === 'string' ? [{ name: item.name, index }] : [],
  );

/**
 * The guests that parsed; problems go to `findings`. Host memory is undefined when the host itself is
 * broken, and then the fit check is left out rather than guessed.
 */
export function readGuests(
  items: unknown[],
  hostMemoryPages: number | undefined,
  baseDir: string,
  findings: Finding[],
): PresetGuest[] {
  const firstWithName = new Map<string, number>();
  for (const { name, index } of guestNames(items)) {
    const first = firstWithName.get(name);
    if (first === undefined) firstWithName.set(name, index);
    else
      findings.push({
        path: ['guests', index, 'name'],
        message: `"${name}" is already used by guests[${first}]`,
      });
  }
  return items.flatMap((item, i) => readGuest(item, ['guests', i], hostMemoryPages, baseDir, findings) ?? []);
}

function readGuest(
  item: unknown,
  at: PathStep[],
  hostMemoryPages: number | undefined,
  baseDir: string,
  findings: Finding[],
): PresetGuest | undefined {
  const raw = check(GuestSchema, item, at, findings);
  // Workloads are checked even when their guest is not valid, so that one pass reports both.
  const items = isMapping(item) && Array.isArray(item.workloads) ? item.workloads : [];
  const workloads = readWorkloads(items, [...at, 'workloads'], baseDir, findings);
  // The checks across fields run on the fields that are valid, also when others are not: every problem
  // is reported every time. A field with a problem of its own counts as left out, and the defaults of
  // the fields it bounds (reservation 0, no limit, 1 vCPU) cannot make a false problem, except the
  // overhead's: the host fit is left out when the overhead written is not valid.
  const fields = raw ?? validFields(item);
  if (fields.memsz === undefined) return undefined;
  const { config, problems } = buildGuest({
    name: fields.name ?? '',
    memszPages: fields.memsz,
    reservationPages: fields.reservation,
    limitPages: fields.limit,
    shares: fields.shares,
    vcpus: fields.vcpus,
    os: fields.os,
    balloonDriver: fields.balloon,
    guestSwapPages: fields.guestSwap,
    overheadPages: fields.overhead,
  });
  for (const p of problems) findings.push({ path: [...at, KEY_OF[p.field]], message: p.message });
  const overheadUnknown = isMapping(item) && item.overhead !== undefined && fields.overhead === undefined;
  const fit =
    hostMemoryPages === undefined || overheadUnknown ? undefined : hostFitProblem(config, hostMemoryPages);
  if (fit !== undefined) findings.push({ path: [...at, 'memsz'], message: fit });
  return raw === undefined ? undefined : { config, workloads };
}

type GuestFields = z.output<typeof GuestSchema>;

/** The fields of a guest that are valid on their own, when the guest as a whole is not. */
function validFields(item: unknown): Partial<GuestFields> {
  if (!isMapping(item)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(GuestSchema.shape)) {
    const r = (schema as z.ZodType).safeParse(item[key]);
    if (r.success && r.data !== undefined) out[key] = r.data;
  }
  return out as Partial<GuestFields>;
}

/** One guest's workloads; trace files are resolved against the preset's directory. */
function readWorkloads(
  items: unknown[],
  at: PathStep[],
  baseDir: string,
  findings: Finding[],
): WorkloadSpec[] {
  const specs: WorkloadSpec[] = [];
  const firstWithName = new Map<string, number>();
  items.forEach((item, j) => {
    const path = [...at, j];
    const raw = check(WorkloadSchema, item, path, findings);
    if (raw === undefined) return;
    const { spec, problems } = buildWorkload(raw.type, {
      name: raw.name,
      sizePages: raw.size,
      workingSet: raw.ws,
      locality: raw.locality,
      writeFraction: raw.write,
      file: raw.file === undefined ? undefined : resolve(baseDir, raw.file),
    });
    for (const p of problems) findings.push({ path: [...path, p.field], message: p.message });
    const trace = spec.type === 'trace' && spec.file !== undefined ? traceFileProblem(spec.file) : undefined;
    if (trace !== undefined) findings.push({ path: [...path, 'file'], message: trace });
    const first = firstWithName.get(spec.name);
    if (first === undefined) {
      firstWithName.set(spec.name, j);
    } else {
      const why = raw.name === undefined ? ' (a workload is named after its type unless given a name)' : '';
      findings.push({
        path: [...path, 'name'],
        message: `"${spec.name}" is already used by workloads[${first}]${why}`,
      });
    }
    specs.push(spec);
  });
  return specs;
}
