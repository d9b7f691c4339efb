/** A preset's timeline: `- at 30s: limit vm2 1024MB` items, into commands in the order they will run. */
import { resolve } from 'node:path';
import { hostFitProblem } from './build.ts';
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

type Indexed = TimelineEntry & { index: number };

/** The entries sorted by time (ties keep file order); problems go to `findings`, at each item's line. */
export function readTimeline(
  items: unknown[],
  context: TimelineContext,
  findings: Finding[],
): TimelineEntry[] {
  const entries = items.flatMap((item, index) => readEntry(item, index, context, findings) ?? []);
  entries.sort((a, b) => a.at - b.at);
  checkGuests(entries, context, findings);
  return entries.map(({ index: _, ...entry }) => entry);
}

function readEntry(
  item: unknown,
  index: number,
  context: TimelineContext,
  findings: Finding[],
): Indexed | undefined {
  const path: PathStep[] = ['timeline', index];
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
  const parsed = parseCommand(text);
  if (!parsed.ok) return fail(parsed.error);
  const command = withTraceDir(parsed.command, context.baseDir);
  return { index, at, text, command, line: context.lineOf(path) };
}

/** A relative `file=` means the preset's directory, as in the guest list, not wherever the program runs. */
function withTraceDir(command: ParsedCommand, baseDir: string): ParsedCommand {
  if (command.type !== 'startWorkload' || command.workload.file === undefined) return command;
  return { ...command, workload: { ...command.workload, file: resolve(baseDir, command.workload.file) } };
}

/** Each command must name a guest that exists when it runs: in the preset, or added earlier and not removed. */
function checkGuests(sorted: Indexed[], context: TimelineContext, findings: Finding[]): void {
  const names = new Set(context.guests);
  for (const { index, at, text, command } of sorted) {
    const fail = (message: string): void => {
      findings.push({ path: ['timeline', index], message: `${text.trim().split(/\s+/)[0]}: ${message}` });
    };
    if (command.type === 'addGuest') {
      const name = command.guest.name;
      if (names.has(name)) fail(`guest "${name}" already exists at ${at}s`);
      const fit =
        context.hostMemoryPages === undefined
          ? undefined
          : hostFitProblem(command.guest, context.hostMemoryPages);
      if (fit !== undefined) fail(`memsz: ${fit}`);
      names.add(name);
    } else if ('guest' in command) {
      if (!names.has(command.guest)) {
        const others = names.size === 0 ? 'there are none' : hint(command.guest, [...names]);
        fail(`no guest "${command.guest}" at ${at}s (${others})`);
      }
      if (command.type === 'removeGuest') names.delete(command.guest);
    }
  }
}
