/**
 * Lessons (README: Learning with memvisor): a preset, then steps that explain, watch, ask the trainee to
 * act and check what they did, or ask a question. A lesson is checked as a whole when it loads, like
 * presets and scripts, every problem with file, line, column and field; its conditions and the values in
 * its texts are parsed and checked against the snapshot's fields, the guests its host can have and the
 * command names, with the column of the very name that is wrong.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { z } from 'zod';
import type { Expr } from '../lesson/expr.ts';
import { type CheckContext, checkExpr } from '../lesson/expr-check.ts';
import { ExprError, type Parsed, parseExpr } from '../lesson/expr-parse.ts';
import { parseText, type TextPart } from '../lesson/text.ts';
import { COMMAND_HELP } from './command-text.ts';
import { LessonSchema, STEP_KINDS, STEP_SCHEMAS, type StepKind } from './lesson-schema.ts';
import { leadingComment, loadPreset, type Preset, presetFromData, toProblem } from './preset.ts';
import { check } from './preset-schema.ts';
import { describe, type Finding, formatPath, type PathStep, PresetError, type Problem } from './problems.ts';
import { parseDuration, QuantityError } from './quantities.ts';
import { type Keystroke, parseKeys, parseTyped } from './script-keys.ts';
import { closest } from './suggest.ts';
import { checkGuests, parseCommandIn, type TextParse, type TimedCommand } from './timeline.ts';
import { isMapping, readMapping, type YamlSource } from './yaml-source.ts';

/** A condition as written, and its checked tree. */
export interface Cond {
  readonly text: string;
  readonly expr: Expr;
}

/** A text to show, with its live values (`{guest("vm4").SWCUR}`). */
export interface LessonText {
  readonly raw: string;
  readonly parts: readonly TextPart[];
}

/** One action of a model solution. */
export type SolutionAction =
  /** Keystrokes to the dashboard, as `keys` and `type` in scripts. */
  | { readonly kind: 'keys'; readonly text: string; readonly keys: readonly Keystroke[] }
  /** A command, typed on the `:` line as a trainee would. */
  | { readonly kind: 'command'; readonly text: string }
  /** Simulated time passing. */
  | { readonly kind: 'wait'; readonly text: string; readonly seconds: number };

export interface Hint {
  /** Simulated seconds into the step. */
  readonly after: number;
  readonly text: LessonText;
}

interface Placed {
  /** `steps[index]`, at this line and column. */
  readonly index: number;
  readonly line: number;
  readonly col: number;
}

export type LessonStep = Placed &
  (
    | { readonly kind: 'explain'; readonly text: LessonText; readonly pause: boolean }
    | { readonly kind: 'watch'; readonly text: LessonText; readonly until: Cond; readonly within: number }
    | {
        readonly kind: 'task';
        readonly text: LessonText;
        readonly check: Cond;
        /** Simulated seconds the trainee has; undefined: as long as they take. */
        readonly within?: number;
        readonly fails: readonly { readonly when: Cond; readonly say: LessonText }[];
        readonly hints: readonly Hint[];
        readonly solution: readonly SolutionAction[];
        readonly debrief: LessonText;
      }
    | {
        readonly kind: 'question';
        readonly text: LessonText;
        readonly choices: readonly string[];
        /** The right choice, from 0. */
        readonly answer: number;
        readonly explain: LessonText;
        /** What the host shows when the answer is right; --check fails the lesson when it does not hold. */
        readonly holds?: Cond;
      }
  );

export interface Lesson {
  readonly file: string;
  /** The file's name without `.yaml`. */
  readonly name: string;
  readonly title: string;
  /** The file's first comment line: the lesson in one line. */
  readonly description: string;
  readonly minutes: number;
  readonly preset: Preset;
  readonly seed?: number;
  readonly personality?: string;
  /** Personalities side by side (compare mode); the first is the one the other screens show. */
  readonly compare?: readonly string[];
  readonly screen?: 'esxtop' | 'xentop';
  /** The clock's speed when the lesson starts (simulated seconds per second). */
  readonly speed: number;
  readonly steps: readonly LessonStep[];
}

/** How long a watch step waits by default before it says that what it waits for did not happen. */
export const WATCH_LIMIT = 600;

/** Commands that work the clock: the lesson runner keeps it, and a model solution waits with `wait`. */
const CLOCK_COMMANDS = ['pause', 'resume', 'step', 'speed'];
const SOLUTION_WORDS = ['keys', 'type', 'wait'];

/** A file is a lesson when its top level has `lesson` (its title). */
export function isLessonData(data: unknown): boolean {
  return isMapping(data) && 'lesson' in data;
}

export function loadLesson(path: string): Lesson {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PresetError([
      { file: path, line: 0, col: 0, path: '', message: `cannot read: ${(e as Error).message}` },
    ]);
  }
  return parseLesson(text, path);
}

/**
 * Reads conditions and texts: parsed at once (a syntax error is a problem at its column), checked
 * against the host's guests once every step's model solution is known (`checkAll`).
 */
class ExprReader {
  readonly problems: Problem[] = [];
  private readonly pending: {
    path: PathStep[];
    parsed: Parsed;
    offset: number;
    want: 'condition' | 'value';
  }[] = [];

  constructor(
    private readonly file: string,
    private readonly locateIn: YamlSource['locateIn'],
  ) {}

  cond(path: PathStep[], raw: string): Cond | undefined {
    try {
      const parsed = parseExpr(raw);
      this.pending.push({ path, parsed, offset: 0, want: 'condition' });
      return { text: raw, expr: parsed.expr };
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      this.problem(path, e.at, e.message);
      return undefined;
    }
  }

  text(path: PathStep[], raw: string): LessonText | undefined {
    try {
      const parts = parseText(raw);
      for (const part of parts) {
        if (part.kind === 'value')
          this.pending.push({ path, parsed: part.parsed, offset: part.at, want: 'value' });
      }
      return { raw, parts };
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      this.problem(path, e.at, e.message);
      return undefined;
    }
  }

  checkAll(context: CheckContext): void {
    for (const p of this.pending) {
      for (const q of checkExpr(p.parsed, context, p.want)) this.problem(p.path, p.offset + q.at, q.message);
    }
  }

  private problem(path: PathStep[], offset: number, message: string): void {
    this.problems.push({ file: this.file, ...this.locateIn(path, offset), path: formatPath(path), message });
  }
}

/** Parses lesson text; `file` names it in messages, and a preset path is relative to it. */
export function parseLesson(text: string, file: string): Lesson {
  const kind = { name: 'lesson', needs: 'lesson, preset, minutes and steps' };
  const { data, locate, locateIn } = readMapping(text, file, kind, 'lesson, preset, minutes and steps');
  const findings: Finding[] = [];
  const fields = check(LessonSchema, data, [], findings);
  const { preset, presetProblems } = readPreset(data.preset, file, locate, findings);
  const reader = new ExprReader(file, locateIn);
  const items = Array.isArray(data.steps) ? data.steps : [];
  const baseDir = dirname(file);
  const steps = items.flatMap((item, index) => {
    const step = readStep(item, index, baseDir, reader, findings);
    return step ? [{ ...step, index, ...locate(['steps', index]) } as LessonStep] : [];
  });
  // Conditions and texts are checked against the guests the host can have: the preset's, and those
  // its timeline and the model solutions add.
  const personalities = Array.isArray(data.compare) ? data.compare.map(String) : [];
  if (fields?.compare && fields.personality) {
    findings.push({
      path: ['personality'],
      message: 'a compare lesson runs the personalities in compare: drop personality',
    });
  }
  if (preset) reader.checkAll(checkContext(preset, steps, personalities, findings));
  const problems = [...findings.map((f) => toProblem(f, file, locate)), ...reader.problems].sort(
    (a, b) => a.line - b.line || a.col - b.col,
  );
  if (problems.length > 0 || presetProblems.length > 0 || !fields || !preset) {
    throw new PresetError([...problems, ...presetProblems]);
  }
  return {
    file,
    name: basename(file).replace(/\.ya?ml$/, ''),
    title: fields.lesson,
    description: leadingComment(text),
    minutes: fields.minutes,
    preset,
    ...(fields.seed === undefined ? {} : { seed: fields.seed }),
    ...(fields.personality === undefined ? {} : { personality: fields.personality }),
    ...(fields.compare === undefined ? {} : { compare: fields.compare }),
    ...(fields.screen === undefined ? {} : { screen: fields.screen }),
    speed: fields.speed ?? 1,
    steps,
  };
}

/** The preset: a file relative to the lesson, or a map written in the lesson itself. */
function readPreset(
  ref: unknown,
  file: string,
  locate: YamlSource['locate'],
  findings: Finding[],
): { preset?: Preset; presetProblems: Problem[] } {
  try {
    if (isMapping(ref)) {
      return {
        preset: presetFromData(ref, { file, locate, description: '', prefix: ['preset'] }),
        presetProblems: [],
      };
    }
    if (typeof ref !== 'string') return { presetProblems: [] };
    const path = resolve(dirname(file), ref);
    if (!existsSync(path)) {
      findings.push({
        path: ['preset'],
        message: `no such file: ${path} (the path is relative to the lesson)`,
      });
      return { presetProblems: [] };
    }
    return { preset: loadPreset(path), presetProblems: [] };
  } catch (e) {
    if (!(e instanceof PresetError)) throw e;
    // A preset in the lesson reports its own problems at their places; a file is pointed at first.
    if (!isMapping(ref))
      findings.push({ path: ['preset'], message: `${String(ref)} has problems (listed below)` });
    return { presetProblems: e.problems };
  }
}

type StepBody = DistributiveOmit<LessonStep, 'index' | 'line' | 'col'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** One step; undefined (with its problems reported) when anything in it is wrong. */
function readStep(
  item: unknown,
  index: number,
  baseDir: string,
  reader: ExprReader,
  findings: Finding[],
): StepBody | undefined {
  const at: PathStep[] = ['steps', index];
  if (!isMapping(item)) {
    findings.push({
      path: at,
      message: `expected a step (a map starting with ${STEP_KINDS.join(', ')}), got ${describe(item)}`,
    });
    return undefined;
  }
  const kind = stepKind(item, at, findings);
  if (kind === undefined) return undefined;
  const schema: z.ZodType<Record<string, unknown>> = STEP_SCHEMAS[kind];
  const fields = check(schema, item, at, findings);
  if (!fields) return undefined;
  const text = (key: string): LessonText | undefined => reader.text([...at, key], String(item[key]));
  const cond = (key: string): Cond | undefined => reader.cond([...at, key], String(item[key]));
  const body = text(kind);
  switch (kind) {
    case 'explain':
      return body && { kind, text: body, pause: (fields.pause as boolean | undefined) ?? false };
    case 'watch': {
      const until = cond('until');
      return (
        body &&
        until && { kind, text: body, until, within: (fields.within as number | undefined) ?? WATCH_LIMIT }
      );
    }
    case 'question': {
      const explain = text('explain');
      const choices = fields.choices as string[];
      const answer = fields.answer as number;
      if (answer > choices.length) {
        findings.push({
          path: [...at, 'answer'],
          message: `there are ${choices.length} choices: the answer is one of 1 to ${choices.length}`,
        });
        return undefined;
      }
      const holds = item.holds === undefined ? undefined : cond('holds');
      if (item.holds !== undefined && !holds) return undefined;
      return (
        body &&
        explain && { kind, text: body, choices, answer: answer - 1, explain, ...(holds ? { holds } : {}) }
      );
    }
    case 'task': {
      const check = cond('check');
      const debrief = text('debrief');
      const failItems = (fields.fail as { when: string; say: string }[] | undefined) ?? [];
      const fails = failItems.map((f, i) => ({
        when: reader.cond([...at, 'fail', i, 'when'], f.when),
        say: reader.text([...at, 'fail', i, 'say'], f.say),
      }));
      const hints = readHints(
        (item.hints as unknown[] | undefined) ?? [],
        [...at, 'hints'],
        reader,
        findings,
      );
      const solution = readSolution(item.solution as unknown[], [...at, 'solution'], baseDir, findings);
      if (!body || !check || !debrief || !hints || !solution) return undefined;
      if (fails.some((f) => !f.when || !f.say)) return undefined;
      return {
        kind,
        text: body,
        check,
        ...(fields.within === undefined ? {} : { within: fields.within as number }),
        fails: fails as { when: Cond; say: LessonText }[],
        hints,
        solution,
        debrief,
      };
    }
  }
}

/** The kind of a step: the one of explain, watch, task and question it has (a question's `explain` is its answer's). */
function stepKind(item: Record<string, unknown>, at: PathStep[], findings: Finding[]): StepKind | undefined {
  const kinds = STEP_KINDS.filter((k) => k in item && !(k === 'explain' && 'question' in item));
  if (kinds.length === 1) return kinds[0];
  const keys = Object.keys(item);
  if (kinds.length > 1) {
    findings.push({ path: at, message: `a step is of one kind, but this has ${kinds.join(' and ')}` });
    return undefined;
  }
  const near = keys.map((k) => closest(k, STEP_KINDS)).find((k) => k !== undefined);
  findings.push({
    path: at,
    message:
      `a step starts with one of ${STEP_KINDS.join(', ')}` +
      (near ? ` (did you mean "${near}"?)` : `, but this has ${keys.join(', ') || 'nothing'}`),
  });
  return undefined;
}

/** `- after 30s: text` entries, in the order they come due. */
function readHints(
  items: unknown[],
  at: PathStep[],
  reader: ExprReader,
  findings: Finding[],
): Hint[] | undefined {
  const out: Hint[] = [];
  let ok = true;
  for (const [i, item] of items.entries()) {
    const hint = readHint(item, [...at, i], reader);
    if (typeof hint === 'string') findings.push({ path: [...at, i], message: hint });
    if (typeof hint !== 'object') ok = false;
    else out.push(hint);
  }
  return ok ? out.sort((a, b) => a.after - b.after) : undefined;
}

/** One hint; a message when it is malformed, undefined when its text has problems (reported). */
function readHint(item: unknown, at: PathStep[], reader: ExprReader): Hint | string | undefined {
  const pairs = isMapping(item) ? Object.entries(item) : [];
  if (pairs.length !== 1)
    return 'expected one "after DURATION: hint" entry, such as "after 30s: look at MCTLSZ"';
  const [[key, value]] = pairs;
  const when = /^after\s+(.+)$/.exec(key);
  if (!when) return `expected "after DURATION" before the colon, got "${key}"`;
  if (typeof value !== 'string' || value.trim() === '') return `expected the hint's text after "${key}:"`;
  let after: number;
  try {
    after = parseDuration(when[1]);
  } catch (e) {
    if (!(e instanceof QuantityError)) throw e;
    return e.message;
  }
  const text = reader.text([...at, key], value);
  return text && { after, text };
}

/** The model solution: keys, typed text, waits and commands, each checked now. */
function readSolution(
  items: unknown[],
  at: PathStep[],
  baseDir: string,
  findings: Finding[],
): SolutionAction[] | undefined {
  const out: SolutionAction[] = [];
  let ok = true;
  items.forEach((item, i) => {
    const r =
      typeof item === 'string'
        ? parseAction(item, baseDir)
        : {
            ok: false as const,
            error: `expected an action such as "keys g", "wait 30s" or "limit vm4 none", got ${describe(item)}`,
          };
    if (r.ok) out.push(r.value);
    else {
      findings.push({ path: [...at, i], message: r.error });
      ok = false;
    }
  });
  return ok ? out : undefined;
}

export function parseAction(text: string, baseDir: string): TextParse<SolutionAction> {
  const trimmed = text.trim();
  const word = trimmed.split(/\s/, 1)[0] ?? '';
  const rest = trimmed.slice(word.length).trim();
  switch (word) {
    case 'keys': {
      const keys = parseKeys(rest);
      return keys.ok ? { ok: true, value: { kind: 'keys', text, keys: keys.value } } : keys;
    }
    case 'type': {
      const keys = parseTyped(text.replace(/^\s*type\s/, ''));
      return keys.ok ? { ok: true, value: { kind: 'keys', text, keys: keys.value } } : keys;
    }
    case 'wait':
      try {
        const seconds = parseDuration(rest);
        if (seconds <= 0) return { ok: false, error: 'wait: must be more than 0s' };
        return { ok: true, value: { kind: 'wait', text, seconds } };
      } catch (e) {
        if (e instanceof QuantityError) return { ok: false, error: `wait: ${e.message}` };
        throw e;
      }
  }
  if (CLOCK_COMMANDS.includes(word)) {
    return {
      ok: false,
      error: `${word}: the lesson keeps the clock; a model solution lets time pass with "wait 30s"`,
    };
  }
  const commands = COMMAND_HELP.map((c) => c.name);
  if (!commands.includes(word)) {
    const choices = [...SOLUTION_WORDS, ...commands];
    const near = closest(word, choices);
    return {
      ok: false,
      error: `unknown action "${word}" (${near ? `did you mean "${near}"?` : `one of ${choices.join(', ')}`})`,
    };
  }
  const command = parseCommandIn(trimmed, baseDir);
  return command.ok ? { ok: true, value: { kind: 'command', text: trimmed } } : command;
}

/** The guests and workloads the host can have, following the timeline and the solutions' commands. */
function checkContext(
  preset: Preset,
  steps: LessonStep[],
  personalities: readonly string[],
  findings: Finding[],
): CheckContext {
  const timed: TimedCommand[] = preset.timeline.map((e) => ({ at: e.at, text: e.text, command: e.command }));
  const workloads = new Map<string, Set<string>>();
  for (const g of preset.guests) workloads.set(g.config.name, new Set(g.workloads.map((w) => w.name)));
  const guests = new Set(preset.guests.map((g) => g.config.name));
  const commands: { text: string; path: PathStep[] }[] = [];
  for (const s of steps) {
    if (s.kind !== 'task') continue;
    s.solution.forEach((a, j) => {
      if (a.kind === 'command') commands.push({ text: a.text, path: ['steps', s.index, 'solution', j] });
    });
  }
  // Solutions run after the timeline has started; the order among them is the lesson's.
  for (const c of commands) {
    const parsed = parseCommandIn(c.text, '.');
    if (parsed.ok) {
      const when = 'when the model solution sends it';
      timed.push({ at: Number.MAX_SAFE_INTEGER, text: c.text, command: parsed.value, path: c.path, when });
    }
  }
  checkGuests(timed, [...guests], preset.host.memoryPages, findings);
  for (const t of timed) {
    if (t.command.type === 'addGuest') {
      guests.add(t.command.guest.name);
      workloads.set(t.command.guest.name, new Set());
    }
    if (t.command.type === 'startWorkload') {
      const set = workloads.get(t.command.guest) ?? new Set<string>();
      set.add(t.command.workload.name);
      workloads.set(t.command.guest, set);
    }
  }
  return {
    guests: [...guests],
    workloads: (g) => (workloads.has(g) ? [...(workloads.get(g) ?? [])] : undefined),
    commands: COMMAND_HELP.map((c) => c.name),
    personalities,
  };
}
