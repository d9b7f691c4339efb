/**
 * The shape of a lesson file (README: Learning with memvisor), built from the preset schema's pieces so
 * that lessons, presets and scripts read and report alike. A step is a map whose kind is the key it
 * starts with: `explain`, `watch`, `task` or `question`; each kind has its own keys.
 */
import { z } from 'zod';
import { PERSONALITY_NAMES } from '../engine/policy/index.ts';
import { expected, fromText, list, oneOf, strictMap } from './preset-schema.ts';
import { parseDuration } from './quantities.ts';
import { isMapping } from './yaml-source.ts';

/**
 * Text of the lesson. Prose often has a colon and a space, which YAML reads as a map: the message says
 * so, since "got a map" alone would puzzle the writer of a lesson.
 */
const words = (what: string) =>
  z
    .string({
      error: (issue) => {
        const v = issue.input;
        if (isMapping(v) && Object.keys(v).length === 1) {
          const [key] = Object.keys(v);
          return `expected ${what}, got a map: YAML reads "${key}: ..." as a key and a value; put the text in quotes`;
        }
        return expected(what)(issue);
      },
    })
    .refine((s) => s.trim() !== '', 'is empty');
const condition = words('a condition such as host.state == "high"');

export const LessonSchema = strictMap({
  lesson: words("the lesson's title"),
  preset: z.union([z.string(), z.record(z.string(), z.unknown())], {
    error: expected('a preset name, a preset file relative to the lesson, or a preset written here as a map'),
  }),
  seed: z.int({ error: expected('a whole number') }).optional(),
  personality: oneOf('personality', PERSONALITY_NAMES).optional(),
  /** Several personalities side by side on the compare screen (the first is the one the other screens show). */
  compare: z
    .array(oneOf('personality', PERSONALITY_NAMES), { error: expected('a list of personalities') })
    .min(2, 'name at least two personalities to compare')
    .refine((l) => new Set(l).size === l.length, 'names a personality twice')
    .optional(),
  screen: oneOf('screen', ['esxtop', 'xentop']).optional(),
  speed: z
    .number({ error: expected('simulated seconds per second, such as 2') })
    .gt(0, 'must be more than 0')
    .max(100, 'must be at most 100')
    .optional(),
  minutes: z
    .int({ error: expected('the minutes a trainee needs, such as 10') })
    .min(1, 'must be at least 1')
    .max(60, 'must be at most 60'),
  steps: list('a list of steps').refine((s) => s.length > 0, 'a lesson needs at least one step'),
});

export type LessonFields = z.output<typeof LessonSchema>;

export const STEP_KINDS = ['explain', 'watch', 'task', 'question'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

const within = fromText('a duration such as 2m', parseDuration).refine((s) => s > 0, 'must be more than 0s');

export const STEP_SCHEMAS = {
  explain: strictMap({
    explain: words('the text to show'),
    pause: z.boolean({ error: expected('true or false') }).optional(),
  }),
  watch: strictMap({
    watch: words('the text to show'),
    until: condition,
    within: within.optional(),
  }),
  task: strictMap({
    task: words('what the trainee is asked to do'),
    check: condition,
    within: within.optional(),
    fail: z
      .array(strictMap({ when: condition, say: words('what went wrong, for the trainee') }), {
        error: expected('a list of { when: CONDITION, say: TEXT }'),
      })
      .optional(),
    hints: list('a list of "after DURATION: hint" entries').optional(),
    solution: list('the model solution: a list of keys, type, wait and commands').refine(
      (s) => s.length > 0,
      'a task needs a model solution (memvisor lesson NAME --check runs it)',
    ),
    debrief: words('what happened and why'),
  }),
  question: strictMap({
    question: words('the question'),
    choices: z
      .array(words('a choice'), { error: expected('a list of choices') })
      .min(2, 'give at least two choices')
      .max(6, 'give at most six choices'),
    answer: z
      .int({ error: expected('the number of the right choice, counting from 1') })
      .min(1, 'counts from 1'),
    explain: words('the explanation shown after the answer'),
    /** What the host shows when the answer is right: --check fails the lesson when it does not hold. */
    holds: condition.optional(),
  }),
} as const;
