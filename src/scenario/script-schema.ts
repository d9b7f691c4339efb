/**
 * The shape of a script file, built from the preset schema's pieces so that both read and report alike:
 * the same quantities, the same "unknown key (did you mean ...)" and the same messages.
 */
import { z } from 'zod';
import { PERSONALITY_NAMES } from '../engine/policy/index.ts';
import { expected, fromText, list, oneOf, positiveDuration, strictMap, text } from './preset-schema.ts';
import { parseDuration } from './quantities.ts';

/** Whole numbers in a range, with the range in the message. */
const whole = (what: string, min: number, max: number) =>
  z
    .int({ error: expected(what) })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** The recording's terminal: both sizes, within what a player shows and the dashboard can lay out. */
const terminal = strictMap({
  cols: whole('a number of columns such as 120', 60, 400),
  rows: whole('a number of rows such as 36', 16, 200),
});

const duration = fromText('a duration such as 100ms', parseDuration);

export const ScriptSchema = strictMap({
  preset: text('a preset file, relative to the script'),
  seed: z.int({ error: expected('a whole number') }).optional(),
  personality: oneOf('personality', PERSONALITY_NAMES).optional(),
  title: text('a title').optional(),
  terminal: terminal.optional(),
  speed: z
    .number({ error: expected('simulated seconds per recorded second, such as 4') })
    .gt(0, 'must be more than 0')
    .max(1000, 'must be at most 1000')
    .optional(),
  delay: duration.refine((s) => s >= 0.1, 'must be at least 100ms').optional(),
  typing: duration.refine((s) => s <= 5, 'must be at most 5s').optional(),
  theme: text('a theme name such as dark').optional(),
  color: z.boolean({ error: expected('true or false') }).optional(),
  screen: oneOf('screen', ['esxtop', 'xentop']).optional(),
  duration: positiveDuration,
  steps: list('a list of "at DURATION: step" entries'),
});

export type ScriptFields = z.output<typeof ScriptSchema>;
