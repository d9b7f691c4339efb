/** A preset's guest list: each guest and workload checked on its own, then against each other and the host. */
import { resolve } from 'node:path';
import type { GuestConfig, WorkloadSpec } from '../engine/config.ts';
import { buildGuest, buildWorkload, hostFitProblem } from './build.ts';
import { check, GuestSchema, WorkloadSchema } from './preset-schema.ts';
import type { Finding, PathStep } from './problems.ts';
import { isMapping } from './yaml-source.ts';

export interface PresetGuest {
  config: GuestConfig;
  workloads: WorkloadSpec[];
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
  if (raw === undefined) return undefined;
  const { config, problems } = buildGuest({
    name: raw.name,
    memszPages: raw.memsz,
    reservationPages: raw.reservation,
    limitPages: raw.limit,
    shares: raw.shares,
    vcpus: raw.vcpus,
    os: raw.os,
    balloonDriver: raw.balloon,
    guestSwapPages: raw.guestSwap,
    overheadPages: raw.overhead,
  });
  for (const p of problems) findings.push({ path: [...at, KEY_OF[p.field]], message: p.message });
  const fit = hostMemoryPages === undefined ? undefined : hostFitProblem(config, hostMemoryPages);
  if (fit !== undefined) findings.push({ path: [...at, 'memsz'], message: fit });
  return { config, workloads };
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
