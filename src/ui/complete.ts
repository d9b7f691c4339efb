/**
 * Tab completion for the `:` line, driven by COMMAND_HELP's usage lines: the command name first, then
 * its positional arguments (guest names, workload types or names, keywords such as `none` and `max`),
 * then its `key=` options and their values where they are a fixed set.
 */
import { OS_TYPES, WORKLOAD_TYPES } from '../engine/config.ts';
import { COMMAND_HELP } from '../scenario/command-text.ts';

export interface CompletionContext {
  readonly guests: readonly string[];
  readonly workloadsOf: (guest: string) => readonly string[];
}

export interface Completion {
  readonly text: string;
  readonly cursor: number;
  /** What could follow, when more than one thing could (shown above the line). */
  readonly candidates: readonly string[];
}

interface UsageShape {
  readonly positional: string[];
  readonly optional: string[];
  readonly options: string[];
}

/** `start NAME WORKLOAD [name=N] [size=SIZE]` -> positional NAME WORKLOAD, options name= size=. */
export function usageShape(usage: string): UsageShape {
  const words = usage.split(/\s+/).slice(1);
  const positional: string[] = [];
  const optional: string[] = [];
  const options: string[] = [];
  for (const w of words) {
    const bracket = w.startsWith('[');
    const inner = w.replace(/^\[|\]$/g, '');
    const eq = inner.indexOf('=');
    if (eq > 0) options.push(inner.slice(0, eq + 1));
    else if (bracket) optional.push(inner);
    else positional.push(inner);
  }
  return { positional, optional, options };
}

const OPTION_VALUES: Record<string, readonly string[]> = {
  'os=': OS_TYPES,
  'balloon=': ['yes', 'no'],
  'shares=': ['low', 'normal', 'high'],
  'limit=': ['none'],
};

function argCandidates(
  command: string,
  slot: string,
  words: string[],
  ctx: CompletionContext,
): readonly string[] {
  if (slot === 'NAME') return ctx.guests;
  if (slot === 'WORKLOAD') return command === 'start' ? WORKLOAD_TYPES : ctx.workloadsOf(words[1] ?? '');
  const keywords = slot.split('|').filter((k) => /^[a-z]+$/.test(k));
  return keywords;
}

const commonPrefix = (xs: readonly string[]): string => {
  if (xs.length === 0) return '';
  let p = xs[0];
  for (const x of xs) while (!x.startsWith(p)) p = p.slice(0, -1);
  return p;
};

/** Completes the word before the cursor. */
export function complete(text: string, cursor: number, ctx: CompletionContext): Completion {
  const before = text.slice(0, cursor);
  const after = text.slice(cursor);
  const words = before.split(/\s+/).filter((w, i, a) => w !== '' || i === a.length - 1);
  if (words.length === 0) words.push('');
  const current = words[words.length - 1];
  const index = words.length - 1;
  let candidates: readonly string[];
  let prefix = current;
  let head = '';
  if (index === 0) candidates = COMMAND_HELP.map((c) => c.name);
  else {
    const spec = COMMAND_HELP.find((c) => c.name === words[0]);
    if (!spec) return { text, cursor, candidates: [] };
    const shape = usageShape(spec.usage);
    const eq = current.indexOf('=');
    if (eq >= 0) {
      head = current.slice(0, eq + 1);
      prefix = current.slice(eq + 1);
      candidates = OPTION_VALUES[head] ?? [];
    } else {
      const positionalSoFar = words.slice(1, -1).filter((w) => !w.includes('=')).length;
      const slots = [...shape.positional, ...shape.optional];
      const slot = slots[positionalSoFar];
      const used = new Set(
        words
          .slice(1, -1)
          .filter((w) => w.includes('='))
          .map((w) => w.slice(0, w.indexOf('=') + 1)),
      );
      const optionNames =
        positionalSoFar >= shape.positional.length ? shape.options.filter((o) => !used.has(o)) : [];
      candidates = [...(slot ? argCandidates(words[0], slot, words, ctx) : []), ...optionNames];
    }
  }
  const matching = candidates.filter((c) => c.startsWith(prefix));
  if (matching.length === 0) return { text, cursor, candidates: [] };
  const start = before.length - current.length;
  if (matching.length === 1) {
    const word = head + matching[0];
    const suffix = word.endsWith('=') ? '' : ' ';
    const nextText = before.slice(0, start) + word + suffix + after.replace(/^ /, '');
    return { text: nextText, cursor: start + word.length + suffix.length, candidates: [] };
  }
  const common = head + commonPrefix(matching);
  const nextText = before.slice(0, start) + common + after;
  return { text: nextText, cursor: start + common.length, candidates: matching };
}

/** The usage line of the command being typed, for the hint above the `:` line. */
export function usageHint(text: string): string | undefined {
  const name = text.trim().split(/\s+/)[0];
  const spec = COMMAND_HELP.find((c) => c.name === name);
  return spec ? `${spec.usage}  - ${spec.summary}` : undefined;
}
