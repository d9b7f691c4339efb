/**
 * Timed lists: `- at 30s: limit vm2 1024MB` items. A preset's timeline holds commands; a script's steps
 * (script.ts) hold commands and recording actions, read by the same `readTimed` with its own parser, and
 * both check the guests their commands name with `checkGuests`.
 */
import { resolve } from 'node:path';
import { hostFitProblem, traceFileProblem } from './build.ts';
import { type ParsedCommand, parseCommand } from './command-text.ts';
import { describe, type Finding, type PathStep } from './problems.ts';
import { parseDuration, QuantityError } from './quantities.ts';
import { hint } from './suggest.ts';
import { isMapping } from './yaml-source.ts';

export interface TimelineEntry {
  /** Simulated seconds from the start. */
  at: number;
  /** The command as written, for logs. */
  text: string;
  command: ParsedCommand;
  line: number;
}

export interface TimelineContext {
  /** The preset's guests, which commands may name from the start. */
  guests: string[];
  /** For `add`; undefined when the host is broken. */
  hostMemoryPages: number | undefined;
  /** Where relative trace files are. */
  baseDir: string;
  lineOf(path: PathStep[]): number;
}

/** One item of a timed list, read: where it was (`index` in the list, `line`), when, and what it says. */
export interface TimedItem<T> {
  index: number;
  /** Simulated seconds from the start. */
  at: number;
  /** The text after the colon, as written. */
  text: string;
  value: T;
  line: number;
}

export type TextParse<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * The items of the list under `key` (`timeline`, `steps`) sorted by time, ties in file order; each item's
 * text goes through `parse`. Problems go to `findings`, at each item's path.
 */
export function readTimed<T>(
  items: unknown[],
  key: string,
  parse: (text: string) => TextParse<T>,
  lineOf: (path: PathStep[]) => number,
  findings: Finding[],
): TimedItem<T>[] {
  const read = items.flatMap((item, index) => readItem(item, [key, index], parse, lineOf, findings) ?? []);
  return read.sort((a, b) => a.at - b.at);
}

function readItem<T>(
  item: unknown,
  path: [string, number],
  parse: (text: string) => TextParse<T>,
  lineOf: (path: PathStep[]) => number,
  findings: Finding[],
): TimedItem<T> | undefined {
  const fail = (message: string): undefined => {
    findings.push({ path, message });
    return undefined;
  };
  const pairs = isMapping(item) ? Object.entries(item) : [];
  if (pairs.length !== 1) {
    return fail('expected one "at DURATION: command" entry, such as "at 30s: limit vm1 1GB"');
  }
  const [[key, text]] = pairs;
  const when = /^at\s+(.+)$/.exec(key);
  if (!when) return fail(`expected "at DURATION" before the colon, got "${key}"`);
  let at: number;
  try {
    at = parseDuration(when[1]);
  } catch (e) {
    if (e instanceof QuantityError) return fail(e.message);
    throw e;
  }
  if (typeof text !== 'string') return fail(`expected a command after "${key}:", got ${describe(text)}`);
  const parsed = parse(text);
  if (!parsed.ok) return fail(parsed.error);
  return { index: path[1], at, text, value: parsed.value, line: lineOf(path) };
}

/** A preset's timeline: every item a command, in the order they will run. */
export function readTimeline(
  items: unknown[],
  context: TimelineContext,
  findings: Finding[],
): TimelineEntry[] {
  const entries = readTimed(
    items,
    'timeline',
    (text) => parseCommandIn(text, context.baseDir),
    context.lineOf,
    findings,
  );
  checkGuests(
    entries.map((e) => ({ at: e.at, text: e.text, command: e.value, path: ['timeline', e.index] })),
    context.guests,
    context.hostMemoryPages,
    findings,
  );
  return entries.map(({ at, text, value, line }) => ({ at, text, command: value, line }));
}

/** A command as a timed item's value; a relative `file=` is resolved against `baseDir`, and the trace read. */
export function parseCommandIn(text: string, baseDir: string): TextParse<ParsedCommand> {
  const parsed = parseCommand(text);
  if (!parsed.ok) return parsed;
  const command = withTraceDir(parsed.command, baseDir);
  const file = command.type === 'startWorkload' ? command.workload.file : undefined;
  const trace = file === undefined ? undefined : traceFileProblem(file);
  return trace === undefined ? { ok: true, value: command } : { ok: false, error: `start: file: ${trace}` };
}

/** A relative `file=` means the preset's directory, as in the guest list, not wherever the program runs. */
function withTraceDir(command: ParsedCommand, baseDir: string): ParsedCommand {
  if (command.type !== 'startWorkload' || command.workload.file === undefined) return command;
  return { ...command, workload: { ...command.workload, file: resolve(baseDir, command.workload.file) } };
}

/** A command at its time; problems with it are reported at `path`, or not at all without one. */
export interface TimedCommand {
  at: number;
  text: string;
  command: ParsedCommand;
  path?: PathStep[];
  /** When it runs, in messages (default `at 30s`). */
  when?: string;
}

/**
 * Each command must name a guest that exists when it runs: one of `guests` (there from the start), or
 * added earlier and not removed. `sorted` is in the order the commands run.
 */
export function checkGuests(
  sorted: TimedCommand[],
  guests: string[],
  hostMemoryPages: number | undefined,
  findings: Finding[],
): void {
  const names = new Set(guests);
  for (const { at, text, command, path, when = `at ${at}s` } of sorted) {
    const fail = (message: string): void => {
      if (path) findings.push({ path, message: `${text.trim().split(/\s+/)[0]}: ${message}` });
    };
    if (command.type === 'addGuest') {
      const name = command.guest.name;
      if (names.has(name)) fail(`guest "${name}" already exists ${when}`);
      const fit = hostMemoryPages === undefined ? undefined : hostFitProblem(command.guest, hostMemoryPages);
      if (fit !== undefined) fail(`memsz: ${fit}`);
      names.add(name);
    } else if ('guest' in command) {
      if (!names.has(command.guest)) {
        const others = names.size === 0 ? 'there are none' : hint(command.guest, [...names]);
        fail(`no guest "${command.guest}" ${when} (${others})`);
      }
      if (command.type === 'removeGuest') names.delete(command.guest);
    }
  }
}
