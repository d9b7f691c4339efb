/**
 * Scripts: a preset plus a timeline of steps for a recording (README: Scripts and recordings). A step is
 * a command of the `:` line, keystrokes (`keys`, `type`), a `caption` or a `hold`. Scripts are checked
 * like presets, as a whole, every problem with file, line, column and field path, and the preset they
 * name is loaded and checked with them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { COMMAND_HELP, type ParsedCommand } from './command-text.ts';
import { leadingComment, loadPreset, type Preset, toProblem } from './preset.ts';
import { check } from './preset-schema.ts';
import { type Finding, PresetError, type Problem } from './problems.ts';
import { parseDuration, QuantityError } from './quantities.ts';
import { type Keystroke, parseKeys, parseTyped } from './script-keys.ts';
import { ScriptSchema } from './script-schema.ts';
import { closest } from './suggest.ts';
import { checkGuests, parseCommandIn, readTimed, type TextParse, type TimedCommand } from './timeline.ts';
import { isMapping, readMapping } from './yaml-source.ts';

export type { Keystroke } from './script-keys.ts';

export type StepAction =
  | { readonly kind: 'command'; readonly command: ParsedCommand }
  | { readonly kind: 'keys'; readonly keys: readonly Keystroke[] }
  | { readonly kind: 'caption'; readonly text: string }
  | { readonly kind: 'hold'; readonly seconds: number };

export interface ScriptStep {
  /** Simulated seconds from the start. */
  readonly at: number;
  /** The step as written. */
  readonly text: string;
  /** Where it is: `steps[index]`, at this line and column of the script. */
  readonly index: number;
  readonly line: number;
  readonly col: number;
  readonly action: StepAction;
}

export interface Script {
  readonly file: string;
  /** The file's first comment line. */
  readonly description: string;
  /** The recording's title: `title`, else the description, else the file's name. */
  readonly title: string;
  readonly preset: Preset;
  /** Overrides of the preset's seed and personality. */
  readonly seed?: number;
  readonly personality?: string;
  readonly cols: number;
  readonly rows: number;
  /** Simulated seconds per recorded second. */
  readonly speed: number;
  /** Recorded seconds between screen updates; undefined: the dashboard's default. */
  readonly delay?: number;
  /** Recorded seconds between keystrokes. */
  readonly typing: number;
  readonly theme?: string;
  readonly color: boolean;
  readonly screen?: 'esxtop' | 'xentop';
  /** Simulated seconds at which the recording ends. */
  readonly duration: number;
  /** Sorted by time; steps at the same time in file order. */
  readonly steps: readonly ScriptStep[];
}

export const SCRIPT_DEFAULTS = { cols: 120, rows: 36, speed: 1, typing: 0.1 } as const;

/** The words a step may start with besides the commands. */
const STEP_WORDS = ['keys', 'type', 'caption', 'hold'];
/** Commands that work the clock: a recording's clock is its script's. */
const CLOCK_COMMANDS = ['pause', 'resume', 'step', 'speed'];

/** A file is a script when its top level names a preset or has steps; presets have neither. */
export function isScriptData(data: unknown): boolean {
  return isMapping(data) && ('preset' in data || 'steps' in data);
}

export interface ScriptOptions {
  /** The themes there are; when given, `theme` must be one of them. */
  readonly themes?: readonly string[];
}

export function loadScript(path: string, options: ScriptOptions = {}): Script {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PresetError([
      { file: path, line: 0, col: 0, path: '', message: `cannot read: ${(e as Error).message}` },
    ]);
  }
  return parseScript(text, path, options);
}

/** Parses script text; `file` names it in messages, and the preset is found relative to it. */
export function parseScript(text: string, file: string, options: ScriptOptions = {}): Script {
  const kind = { name: 'script', needs: 'preset, duration and steps' };
  const { data, locate } = readMapping(text, file, kind, 'preset, duration and steps');
  const findings: Finding[] = [];
  const fields = check(ScriptSchema, data, [], findings);
  const baseDir = dirname(file);
  const { preset, presetProblems } = readPreset(data.preset, baseDir, findings);
  // Read from the data, not `fields`, so that these are reported even when another field failed.
  const theme = data.theme;
  if (typeof theme === 'string' && options.themes && !options.themes.includes(theme)) {
    const near = closest(theme, options.themes);
    const choices = near ? `did you mean "${near}"?` : `one of ${options.themes.join(', ')}`;
    findings.push({ path: ['theme'], message: `unknown theme "${theme}" (${choices})` });
  }
  const duration = durationOf(data.duration);
  const lineOf = (path: (string | number)[]): number => locate(path).line;
  const items = Array.isArray(data.steps) ? data.steps : [];
  const steps = readTimed(items, 'steps', (t) => parseStep(t, baseDir), lineOf, findings);
  if (preset) checkStepGuests(steps, preset, findings);
  for (const s of steps) {
    if (duration !== undefined && s.at > duration + 1e-9) {
      findings.push({
        path: ['steps', s.index],
        message: `at ${s.at}s is after the end of the recording (duration: ${duration}s)`,
      });
    }
  }
  const problems: Problem[] = findings
    .map((f) => toProblem(f, file, locate))
    .sort((a, b) => a.line - b.line || a.col - b.col);
  if (problems.length > 0 || presetProblems.length > 0 || !fields || !preset) {
    throw new PresetError([...problems, ...presetProblems]);
  }
  const description = leadingComment(text);
  return {
    file,
    description,
    title: fields.title ?? (description || basename(file)),
    preset,
    ...(fields.seed === undefined ? {} : { seed: fields.seed }),
    ...(fields.personality === undefined ? {} : { personality: fields.personality }),
    cols: fields.terminal?.cols ?? SCRIPT_DEFAULTS.cols,
    rows: fields.terminal?.rows ?? SCRIPT_DEFAULTS.rows,
    speed: fields.speed ?? SCRIPT_DEFAULTS.speed,
    ...(fields.delay === undefined ? {} : { delay: fields.delay }),
    typing: fields.typing ?? SCRIPT_DEFAULTS.typing,
    ...(fields.theme === undefined ? {} : { theme: fields.theme }),
    color: fields.color ?? true,
    ...(fields.screen === undefined ? {} : { screen: fields.screen }),
    duration: fields.duration,
    steps: steps.map(({ at, text, index, line, value }) => ({
      at,
      text,
      index,
      line,
      col: locate(['steps', index]).col,
      action: value,
    })),
  };
}

/** The duration as written, or undefined when it is not one (the schema reports why). */
function durationOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return parseDuration(value);
  } catch (e) {
    if (e instanceof QuantityError) return undefined;
    throw e;
  }
}

/** The preset the script names, loaded; its own problems are reported with its own file and lines. */
function readPreset(
  ref: unknown,
  baseDir: string,
  findings: Finding[],
): { preset?: Preset; presetProblems: Problem[] } {
  if (typeof ref !== 'string') return { presetProblems: [] };
  const path = resolve(baseDir, ref);
  if (!existsSync(path)) {
    findings.push({
      path: ['preset'],
      message: `no such file: ${path} (the path is relative to the script)`,
    });
    return { presetProblems: [] };
  }
  try {
    return { preset: loadPreset(path), presetProblems: [] };
  } catch (e) {
    if (!(e instanceof PresetError)) throw e;
    findings.push({ path: ['preset'], message: `${ref} has problems (listed below)` });
    return { presetProblems: e.problems };
  }
}

/** One step's text: a recording action, or a command of the `:` line. */
export function parseStep(text: string, baseDir: string): TextParse<StepAction> {
  const trimmed = text.trim();
  const word = trimmed.split(/\s/, 1)[0] ?? '';
  const rest = trimmed.slice(word.length).trim();
  switch (word) {
    case 'keys': {
      const keys = parseKeys(rest);
      return keys.ok ? { ok: true, value: { kind: 'keys', keys: keys.value } } : keys;
    }
    case 'type': {
      // The text as written after "type ", inner spaces and all.
      const keys = parseTyped(text.replace(/^\s*type\s/, ''));
      return keys.ok ? { ok: true, value: { kind: 'keys', keys: keys.value } } : keys;
    }
    case 'caption':
      return { ok: true, value: { kind: 'caption', text: rest } };
    case 'hold':
      return hold(rest);
  }
  if (CLOCK_COMMANDS.includes(word)) {
    const advice = word === 'pause' && rest !== '' ? `hold ${rest}` : 'hold 3s';
    return {
      ok: false,
      error:
        `${word}: a recording's clock follows its script: to hold the picture write "${advice}"; ` +
        'the pace is speed: at the top of the script',
    };
  }
  const commands = COMMAND_HELP.map((c) => c.name);
  if (word !== '' && !commands.includes(word)) {
    const near = closest(word, [...STEP_WORDS, ...commands]);
    const choices = near ? `did you mean "${near}"?` : `one of ${[...STEP_WORDS, ...commands].join(', ')}`;
    return { ok: false, error: `unknown step "${word}" (${choices})` };
  }
  const command = parseCommandIn(trimmed, baseDir);
  return command.ok ? { ok: true, value: { kind: 'command', command: command.value } } : command;
}

function hold(rest: string): TextParse<StepAction> {
  if (rest === '') return { ok: false, error: 'hold: give how long, as in "hold 3s"' };
  try {
    const seconds = parseDuration(rest);
    if (seconds <= 0) return { ok: false, error: 'hold: must be more than 0s' };
    return { ok: true, value: { kind: 'hold', seconds } };
  } catch (e) {
    if (e instanceof QuantityError) return { ok: false, error: `hold: ${e.message}` };
    throw e;
  }
}

/**
 * Guests named by the script's commands must exist when they run: the preset's guests, as its own timeline
 * adds and removes them, and the script's. At the same time the preset's timeline goes first, as it runs.
 */
function checkStepGuests(
  steps: { index: number; at: number; text: string; value: StepAction }[],
  preset: Preset,
  findings: Finding[],
): void {
  const timed: TimedCommand[] = preset.timeline.map((e) => ({ at: e.at, text: e.text, command: e.command }));
  for (const s of steps) {
    if (s.value.kind === 'command') {
      timed.push({ at: s.at, text: s.text, command: s.value.command, path: ['steps', s.index] });
    }
  }
  timed.sort((a, b) => a.at - b.at);
  checkGuests(
    timed,
    preset.guests.map((g) => g.config.name),
    preset.host.memoryPages,
    findings,
  );
}
