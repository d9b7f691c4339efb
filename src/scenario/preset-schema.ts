/**
 * The shape of a preset file, checked with zod. Each field carries its own message, so errors read
 * `expected a size such as 512MB, got a list` rather than zod's wording; quantities go through
 * quantities.ts and arrive in engine units. The building blocks are exported: scripts (script-schema.ts)
 * are checked with the same ones.
 */
import { z } from 'zod';
import {
  DEFAULT_THRESHOLDS,
  OPTIONAL_MECHANISMS,
  OS_TYPES,
  VICTIM_POLICIES,
  WORKLOAD_TYPES,
} from '../engine/config.ts';
import { PERSONALITY_NAMES } from '../engine/policy/index.ts';
import { parseMomRule } from '../engine/policy/mom.ts';
import { nameProblem } from './build.ts';
import { describe, type Finding, type PathStep } from './problems.ts';
import {
  parseCount,
  parseDuration,
  parseFraction,
  parseLimit,
  parseShareSpec,
  parseSize,
  QuantityError,
} from './quantities.ts';
import { hint } from './suggest.ts';

/** The message for a wrong type; a missing key reaches here as `undefined`. */
export const expected =
  (what: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'missing (required)' : `expected ${what}, got ${describe(issue.input)}`;

/** A value written as text (or a bare YAML number, which gets the same "has no unit" advice), then parsed. */
export const fromText = <T>(what: string, parse: (text: string) => T) =>
  z.union([z.string(), z.number()], { error: expected(what) }).transform((value, ctx) => {
    try {
      return parse(String(value));
    } catch (e) {
      if (!(e instanceof QuantityError)) throw e;
      ctx.addIssue({ code: 'custom', message: e.message });
      return z.NEVER;
    }
  });

export const oneOf = <T extends string>(what: string, choices: readonly [T, ...T[]]) =>
  z.enum(choices, {
    error: (issue) =>
      typeof issue.input === 'string'
        ? `unknown ${what} "${issue.input}" (${hint(issue.input, choices)})`
        : expected(`one of ${choices.join(', ')}`)(issue),
  });

/**
 * A map with these keys and no others. Unknown keys are reported one by one with the nearest known key.
 * The report comes from the catch-all schema, which zod runs for every other key while it parses the map,
 * so it is made even when a known field fails (a refinement on the map would be skipped then), and one
 * pass reports everything. `check` words the message, since only it knows the key's name.
 */
export const strictMap = <Shape extends z.ZodRawShape>(shape: Shape) => {
  const known = Object.keys(shape);
  return z.object(shape, { error: expected('a map') }).catchall(
    z.unknown().superRefine((_, ctx) => {
      ctx.addIssue({ code: 'custom', message: 'unknown key', params: { at: 'key', known } });
    }),
  );
};

const size = fromText('a size such as 512MB', parseSize);
const positiveSize = size.refine((pages) => pages > 0, 'must be more than 0MB');
const limit = fromText('a size such as 1GB, or none', parseLimit);
const fraction = fromText('a fraction such as 30% or 0.3', parseFraction);
export const positiveDuration = fromText('a duration such as 30s', parseDuration).refine(
  (s) => s > 0,
  'must be more than 0s',
);
export const count = (what: string) => fromText(what, parseCount);
const name = z.string({ error: expected('a name') }).superRefine((text, ctx) => {
  const problem = nameProblem(text);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});
export const text = (what: string) => z.string({ error: expected(what) });
export const list = (what: string) => z.array(z.unknown(), { error: expected(what) });

const percent = z
  .number({ error: expected('a percent of host memory such as 6') })
  .gt(0, 'must be more than 0')
  .lt(100, 'must be less than 100');

const thresholds = strictMap({
  high: percent.optional(),
  soft: percent.optional(),
  hard: percent.optional(),
  low: percent.optional(),
})
  .transform((t) => ({
    high: t.high ?? DEFAULT_THRESHOLDS.high,
    soft: t.soft ?? DEFAULT_THRESHOLDS.soft,
    hard: t.hard ?? DEFAULT_THRESHOLDS.hard,
    low: t.low ?? DEFAULT_THRESHOLDS.low,
  }))
  .superRefine((t, ctx) => {
    if (t.high > t.soft && t.soft > t.hard && t.hard > t.low) return;
    ctx.addIssue({
      code: 'custom',
      message: `must fall strictly from high to low, but are high ${t.high}, soft ${t.soft}, hard ${t.hard}, low ${t.low}`,
    });
  });

/** The top level; host, guests and timeline items are checked on their own so one bad part hides nothing. */
export const RootSchema = strictMap({
  seed: z.int({ error: expected('a whole number') }).optional(),
  personality: oneOf('personality', PERSONALITY_NAMES).optional(),
  host: z.unknown().optional(),
  guests: list('a list of guests').optional(),
  timeline: list('a list of "at DURATION: command" entries').optional(),
});

export const HostSchema = strictMap({
  memory: positiveSize,
  thresholds: thresholds.optional(),
  idleTax: fraction.optional(),
  samplePeriod: positiveDuration.optional(),
  samplePages: count('a whole number of pages').optional(),
  tick: positiveDuration.optional(),
  swapDir: text('a directory').optional(),
  // Mechanism and personality settings (README: Personalities).
  shareScanTime: positiveDuration.optional(),
  ksmPagesToScan: count('a whole number of pages').optional(),
  ksmSleep: positiveDuration.optional(),
  eviction: oneOf('eviction algorithm', VICTIM_POLICIES).optional(),
  compressionCache: fraction.optional(),
  mom: z
    .array(
      z
        .string({ error: expected('a rule such as "hostFree < 20% -> balloon +5%"') })
        .superRefine((rule, ctx) => {
          const r = parseMomRule(rule);
          if (typeof r === 'string') ctx.addIssue({ code: 'custom', message: r });
        }),
      { error: expected('a list of rules') },
    )
    .optional(),
  hypervBuffer: fraction.optional(),
  nodeLimit: positiveSize.optional(),
  without: z
    .array(oneOf('mechanism', OPTIONAL_MECHANISMS), { error: expected('a list of mechanisms') })
    .optional(),
});

export type HostFields = z.output<typeof HostSchema>;

/** Workloads are a list checked item by item, like guests. */
export const GuestSchema = strictMap({
  name,
  memsz: size,
  reservation: size.optional(),
  limit: limit.optional(),
  shares: fromText('low, normal, high or a number of shares', parseShareSpec).optional(),
  vcpus: count('a whole number of vCPUs').optional(),
  os: oneOf('os', OS_TYPES).optional(),
  balloon: z.boolean({ error: expected('true or false') }).optional(),
  guestSwap: size.optional(),
  overhead: size.optional(),
  workloads: list('a list of workloads').optional(),
});

export const WorkloadSchema = strictMap({
  type: oneOf('workload', WORKLOAD_TYPES),
  name: name.optional(),
  size: size.optional(),
  ws: fraction.optional(),
  locality: fraction.optional(),
  write: fraction.optional(),
  file: text('a file path').optional(),
});

/** Checks `value` (found at `at` in the file), adding a finding per problem; undefined if there were any. */
export function check<T>(
  schema: z.ZodType<T>,
  value: unknown,
  at: PathStep[],
  findings: Finding[],
): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path.map((step) => (typeof step === 'number' ? step : String(step)));
    const unknownKey = issue.code === 'custom' && issue.params?.at === 'key';
    const known: string[] = unknownKey ? (issue.params?.known ?? []) : [];
    findings.push({
      path: [...at, ...path],
      message: unknownKey ? `unknown key (${hint(String(path[path.length - 1]), known)})` : issue.message,
      ...(unknownKey ? { at: 'key' as const } : {}),
    });
  }
  return undefined;
}
