/**
 * The dashboard's forms and menus as plain data: add a guest, edit one, start a workload, and the
 * workload menu. A form only builds command lines in the scenario language; the controller sends them
 * through `session.send`, so a form can do nothing a `:` command cannot, and refuses the same way.
 */
import { OS_TYPES, WORKLOAD_TYPES, type WorkloadType } from '../engine/config.ts';
import type { GuestSnapshot, HostSnapshot } from '../engine/snapshot.ts';
import { WORKLOAD_DEFAULTS } from '../engine/workloads/defaults.ts';
import { parseCommand } from '../scenario/command-text.ts';
import { parseLimit, parseSize } from '../scenario/quantities.ts';

export interface FormField {
  readonly key: string;
  readonly label: string;
  readonly kind: 'text' | 'choice';
  readonly value: string;
  readonly choices?: readonly string[];
  readonly hint: string;
}

export interface FormState {
  readonly title: string;
  readonly purpose: 'add' | 'edit' | 'start';
  readonly guest?: string;
  readonly workloadType?: WorkloadType;
  readonly fields: readonly FormField[];
  readonly focus: number;
  /**
   * Whether the focused field has been typed into since focus came to it. Until then its value is
   * selected, as in a dialog: the first key typed replaces it (a trainee who tabs to "none" and types
   * 96MB means 96MB, not none96MB); Backspace edits it instead.
   */
  readonly typing?: boolean;
  readonly error?: string;
  /** Values the form opened with (edit: only what changed is sent). */
  readonly original?: Readonly<Record<string, string>>;
}

const text = (key: string, label: string, value: string, hint: string): FormField => ({
  key,
  label,
  kind: 'text',
  value,
  hint,
});
const choice = (
  key: string,
  label: string,
  value: string,
  choices: readonly string[],
  hint: string,
): FormField => ({
  key,
  label,
  kind: 'choice',
  value,
  choices,
  hint,
});

/** A size as the form shows it: whole MB when it is one, else two decimals. */
export const sizeText = (mb: number): string =>
  Number.isInteger(mb) ? `${mb}MB` : `${mb.toFixed(2).replace(/0+$/, '').replace(/\.$/, '')}MB`;

export function nextGuestName(snap: HostSnapshot): string {
  const names = new Set(snap.guests.map((g) => g.name));
  for (let i = snap.guests.length + 1; ; i++) if (!names.has(`vm${i}`)) return `vm${i}`;
}

/** A MEMSZ to offer: 1 GB, or a quarter of a smaller host (in 64 MB steps). */
const defaultMemsz = (snap: HostSnapshot): number =>
  Math.max(64, Math.min(1024, Math.floor(snap.host.totalMB / 4 / 64) * 64));

export function addGuestForm(snap: HostSnapshot): FormState {
  return {
    title: 'Add a guest',
    purpose: 'add',
    focus: 0,
    fields: [
      text('name', 'Name', nextGuestName(snap), 'letters, digits, _ . -'),
      text('memsz', 'MEMSZ', `${defaultMemsz(snap)}MB`, 'configured memory, such as 512MB or 2GB'),
      text('reservation', 'Reservation', '0MB', 'host memory guaranteed (AMIN)'),
      text('limit', 'Limit', 'none', 'most host memory it may use (AMAX), or none'),
      text('shares', 'Shares', 'normal', 'low, normal, high or a number (ASHRS)'),
      text('vcpus', 'vCPUs', '1', 'virtual CPUs'),
      choice('os', 'OS', 'linux', OS_TYPES, 'guest operating system'),
      choice(
        'balloon',
        'Balloon driver',
        'yes',
        ['yes', 'no'],
        'without it the host cannot balloon this guest',
      ),
      text('swap', 'Guest swap', '', "the guest's own swap device; empty: half of MEMSZ"),
    ],
  };
}

export function editGuestForm(g: GuestSnapshot): FormState {
  const original = {
    memsz: sizeText(g.MEMSZ),
    reservation: sizeText(g.AMIN),
    limit: g.AMAX < 0 ? 'none' : sizeText(g.AMAX),
    shares: String(g.ASHRS),
  };
  return {
    title: `Edit ${g.name}`,
    purpose: 'edit',
    guest: g.name,
    focus: 0,
    original,
    fields: [
      text('memsz', 'MEMSZ', original.memsz, 'grow (hot-add) or shrink (only free memory)'),
      text('reservation', 'Reservation', original.reservation, 'host memory guaranteed (AMIN)'),
      text('limit', 'Limit', original.limit, 'most host memory it may use (AMAX), or none'),
      text('shares', 'Shares', original.shares, 'low, normal, high or a number (ASHRS)'),
    ],
  };
}

const fraction = (x: number): string => String(Number(x.toFixed(3)));

export function startWorkloadForm(guest: GuestSnapshot, type: WorkloadType): FormState {
  const d = WORKLOAD_DEFAULTS[type];
  const taken = new Set(guest.workloads.map((w) => w.name));
  let name: string = type;
  for (let i = 2; taken.has(name); i++) name = `${type}-${i}`;
  const fields: FormField[] = [
    text('name', 'Name', name, 'unique in the guest'),
    text('size', 'Size', d.sizeMB > 0 ? `${d.sizeMB}MB` : '', 'address space; empty: the default'),
    text('ws', 'Working set', fraction(d.workingSet), 'hot fraction of the size, 0..1 or 30%'),
    text('locality', 'Locality', fraction(d.locality), 'fraction of accesses to the working set'),
    text('write', 'Writes', fraction(d.writeFraction), 'fraction of accesses that write'),
  ];
  if (type === 'trace') fields.push(text('file', 'Trace file', '', 'path of the trace to replay'));
  return {
    title: `Start ${type} in ${guest.name}: ${d.summary}`,
    purpose: 'start',
    guest: guest.name,
    workloadType: type,
    focus: 0,
    fields,
  };
}

// ---- editing ------------------------------------------------------------------------------------

const setField = (f: FormState, i: number, value: string): FormState => ({
  ...f,
  typing: true,
  error: undefined,
  fields: f.fields.map((x, j) => (j === i ? { ...x, value } : x)),
});

export function formInsert(f: FormState, typed: string): FormState {
  const field = f.fields[f.focus];
  if (!field) return f;
  if (field.kind === 'choice') {
    const pick = field.choices?.find((c) => c.startsWith(typed.toLowerCase()));
    return pick ? setField(f, f.focus, pick) : f;
  }
  return setField(f, f.focus, (f.typing ? field.value : '') + typed);
}

export function formErase(f: FormState): FormState {
  const field = f.fields[f.focus];
  if (!field || field.kind === 'choice') return f;
  return setField(f, f.focus, field.value.slice(0, -1));
}

export function formClear(f: FormState): FormState {
  const field = f.fields[f.focus];
  if (!field || field.kind === 'choice') return f;
  return setField(f, f.focus, '');
}

export const formMove = (f: FormState, by: number): FormState => ({
  ...f,
  typing: false,
  focus: (f.focus + by + f.fields.length) % f.fields.length,
});

export function formChoice(f: FormState, by: number): FormState {
  const field = f.fields[f.focus];
  if (field?.kind !== 'choice' || !field.choices) return f;
  const i = field.choices.indexOf(field.value);
  return setField(f, f.focus, field.choices[(i + by + field.choices.length) % field.choices.length]);
}

// ---- commands -----------------------------------------------------------------------------------

/** One command to send, and the command that undoes it (edit forms undo what they did if a later step fails). */
export interface Step {
  readonly command: string;
  readonly undo?: string;
}

export type FormPlan = { ok: true; steps: Step[] } | { ok: false; error: string };

const value = (f: FormState, key: string): string =>
  (f.fields.find((x) => x.key === key)?.value ?? '').replace(/\s+/g, '');

/** The commands a form stands for, checked for syntax first: a plan with an error sends nothing. */
export function formPlan(f: FormState): FormPlan {
  let steps: Step[];
  if (f.purpose === 'add') {
    const name = value(f, 'name');
    if (!name) return { ok: false, error: 'Name: required' };
    const memsz = value(f, 'memsz');
    if (!memsz) return { ok: false, error: 'MEMSZ: required, such as 1GB' };
    let cmd = `add ${name} memsz=${memsz}`;
    for (const key of ['reservation', 'limit', 'shares', 'vcpus', 'os', 'balloon', 'swap']) {
      const v = value(f, key);
      if (v) cmd += ` ${key}=${v}`;
    }
    steps = [{ command: cmd }];
  } else if (f.purpose === 'start') {
    let cmd = `start ${f.guest} ${f.workloadType}`;
    for (const key of ['name', 'size', 'ws', 'locality', 'write', 'file']) {
      const v = value(f, key);
      if (v) cmd += ` ${key}=${v}`;
    }
    steps = [{ command: cmd }];
  } else {
    const plan = editSteps(f);
    if (!plan.ok) return plan;
    steps = plan.steps;
    if (steps.length === 0) return { ok: false, error: 'nothing changed' };
  }
  for (const s of steps) {
    const parsed = parseCommand(s.command);
    if (!parsed.ok) return { ok: false, error: parsed.error };
  }
  return { ok: true, steps };
}

function editSteps(f: FormState): FormPlan {
  const o = f.original ?? {};
  const g = f.guest ?? '';
  const changed = (k: string): boolean => value(f, k) !== (o[k] ?? '').replace(/\s+/g, '');
  const pages = (text: string, limit = false): number | null | undefined => {
    try {
      return limit ? parseLimit(text) : parseSize(text);
    } catch {
      return undefined;
    }
  };
  const step = (k: string): Step => ({ command: `${k} ${g} ${value(f, k)}`, undo: `${k} ${g} ${o[k]}` });
  for (const k of ['memsz', 'reservation', 'limit', 'shares'])
    if (changed(k) && !value(f, k)) return { ok: false, error: `${k}: empty` };
  const grow = (k: string, limit = false): boolean => {
    const a = pages(o[k] ?? '', limit);
    const b = pages(value(f, k), limit);
    if (a === undefined || b === undefined) return true;
    if (b === null) return true;
    if (a === null) return false;
    return b >= a;
  };
  const steps: Step[] = [];
  if (changed('memsz') && grow('memsz')) steps.push(step('memsz'));
  if (changed('reservation') && !grow('reservation')) steps.push(step('reservation'));
  if (changed('limit')) steps.push(step('limit'));
  if (changed('reservation') && grow('reservation')) steps.push(step('reservation'));
  if (changed('shares')) steps.push(step('shares'));
  if (changed('memsz') && !grow('memsz')) steps.push(step('memsz'));
  return { ok: true, steps };
}

// ---- the workload menu --------------------------------------------------------------------------

export type MenuAction =
  | { readonly kind: 'stop'; readonly workload: string }
  | { readonly kind: 'resize'; readonly workload: string; readonly sizeMB: number }
  | { readonly kind: 'start'; readonly type: WorkloadType };

export interface MenuItem {
  readonly label: string;
  readonly detail: string;
  readonly action: MenuAction;
}

export interface MenuState {
  readonly title: string;
  readonly guest: string;
  readonly items: readonly MenuItem[];
  readonly index: number;
}

export function workloadMenu(g: GuestSnapshot): MenuState {
  const items: MenuItem[] = [];
  for (const w of g.workloads) {
    if (w.state !== 'running') continue;
    const info = `${w.type}, ${w.sizeMB.toFixed(0)} MB, resident ${w.residentMB.toFixed(0)} MB, ${w.THRU.toFixed(0)} ops/s`;
    items.push({ label: `stop ${w.name}`, detail: info, action: { kind: 'stop', workload: w.name } });
    items.push({
      label: `resize ${w.name}`,
      detail: 'grow or shrink its address space',
      action: { kind: 'resize', workload: w.name, sizeMB: w.sizeMB },
    });
  }
  for (const type of WORKLOAD_TYPES) {
    items.push({
      label: `start ${type}`,
      detail: WORKLOAD_DEFAULTS[type].summary,
      action: { kind: 'start', type },
    });
  }
  return { title: `Workloads of ${g.name}`, guest: g.name, items, index: 0 };
}
