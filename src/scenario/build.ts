/**
 * Engine configs from parsed fields: the defaults and the consistency rules that the command line and
 * presets share, so `add` and a preset's guest list accept exactly the same guests.
 */
import { defaultOverheadPages, type GuestConfig, type OsType, type WorkloadSpec } from '../engine/config.ts';
import { workloadSpec } from '../engine/workloads/defaults.ts';
import { checkTrace, TraceFormatError } from '../engine/workloads/tracefile.ts';
import { formatSize, resolveShareLevel, type ShareLevel } from './quantities.ts';

/** A problem with one field; the caller names the field its own way (`reservation=` or `guests[0].reservation`). */
export interface FieldProblem<Field extends string> {
  field: Field;
  message: string;
}

const NAME = /^[A-Za-z0-9_.-]{1,32}$/;

/** Guest and workload names appear in columns and command lines, so they are short and space-free. */
export function nameProblem(name: string): string | undefined {
  return NAME.test(name)
    ? undefined
    : `"${name}" is not a valid name: use 1 to 32 letters, digits, "_", "." or "-"`;
}

export interface GuestFields {
  name: string;
  memszPages: number;
  reservationPages?: number;
  /** null: no limit. */
  limitPages?: number | null;
  shares?: ShareLevel | number;
  vcpus?: number;
  os?: OsType;
  balloonDriver?: boolean;
  guestSwapPages?: number;
  overheadPages?: number;
}

export function buildGuest(fields: GuestFields): {
  config: GuestConfig;
  problems: FieldProblem<keyof GuestConfig>[];
} {
  const memsz = fields.memszPages;
  const vcpus = fields.vcpus ?? 1;
  const shares = fields.shares ?? 'normal';
  const config: GuestConfig = {
    name: fields.name,
    memszPages: memsz,
    reservationPages: fields.reservationPages ?? 0,
    limitPages: fields.limitPages ?? null,
    shares: typeof shares === 'number' ? shares : resolveShareLevel(shares, memsz),
    vcpus,
    os: fields.os ?? 'linux',
    balloonDriver: fields.balloonDriver ?? true,
    guestSwapPages: fields.guestSwapPages ?? Math.ceil(memsz / 2),
    overheadPages: fields.overheadPages ?? defaultOverheadPages(memsz, vcpus),
  };
  return { config, problems: guestProblems(config) };
}

/** reservation <= limit <= memsz, and memsz above 0. */
function guestProblems(g: GuestConfig): FieldProblem<keyof GuestConfig>[] {
  const problems: FieldProblem<keyof GuestConfig>[] = [];
  if (g.memszPages === 0) problems.push({ field: 'memszPages', message: 'must be more than 0MB' });
  if (g.limitPages !== null && g.reservationPages > g.limitPages) {
    problems.push({
      field: 'reservationPages',
      message: `${formatSize(g.reservationPages)} is larger than limit (${formatSize(g.limitPages)})`,
    });
  } else if (g.reservationPages > g.memszPages) {
    problems.push({
      field: 'reservationPages',
      message: `${formatSize(g.reservationPages)} is larger than memsz (${formatSize(g.memszPages)})`,
    });
  }
  // A limit above memsz is allowed: it limits nothing under ESX, and is the maximum under Hyper-V.
  return problems;
}

/** A guest must fit on the host with its overhead; reported against memsz. */
export function hostFitProblem(g: GuestConfig, hostMemoryPages: number): string | undefined {
  if (g.memszPages + g.overheadPages <= hostMemoryPages) return undefined;
  return (
    `${formatSize(g.memszPages)} plus ${formatSize(g.overheadPages)} overhead is larger than ` +
    `host memory (${formatSize(hostMemoryPages)})`
  );
}

export type WorkloadFields = Partial<Omit<WorkloadSpec, 'type'>>;

/** A full workload spec; a trace needs a file, and only a trace reads one. */
export function buildWorkload(
  type: WorkloadSpec['type'],
  fields: WorkloadFields,
): { spec: WorkloadSpec; problems: FieldProblem<'file'>[] } {
  const problems: FieldProblem<'file'>[] = [];
  if (type === 'trace' && fields.file === undefined) {
    problems.push({ field: 'file', message: 'required for a trace workload' });
  }
  if (type !== 'trace' && fields.file !== undefined) {
    problems.push({ field: 'file', message: `only a trace workload reads a file, not ${type}` });
  }
  return { spec: workloadSpec(type, fields), problems };
}

/**
 * Why a trace file cannot be replayed (it cannot be read, or a line is malformed: the message names
 * the file and line), or undefined. Checked when a preset or script is loaded, so a bad trace is bad
 * input before anything runs, wherever the file is named.
 */
export function traceFileProblem(file: string): string | undefined {
  try {
    checkTrace(file);
    return undefined;
  } catch (err) {
    if (err instanceof TraceFormatError) return err.message;
    throw err;
  }
}
