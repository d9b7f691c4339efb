/**
 * A strict reader of asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/), so the tests check
 * recordings without asciinema installed (`.ci/run` still plays them with `asciinema cat`): every line
 * ends in a newline and none is empty; the first is the header, a JSON object with `version` 2, whole
 * `width` and `height` above 0 and only the optional keys the format names, each of its type; every
 * other line is an event, `[time, code, data]`, with a time in seconds that never goes back, a code of
 * o (output), i (input), m (marker) or r (resize, data `COLSxROWS`), and text data.
 * No npm package reads v2 strictly (load-asciicast normalises several versions for a player and
 * accepts what it can), hence this one.
 */
import { z } from 'zod';

export const CAST_CODES = ['o', 'i', 'm', 'r'] as const;
export type CastCode = (typeof CAST_CODES)[number];
export type CastEvent = [time: number, code: CastCode, data: string];

const COLOR = /^#[0-9a-fA-F]{6}$/;

const HeaderSchema = z.strictObject({
  version: z.literal(2, { error: 'version must be 2' }),
  width: z.int().positive(),
  height: z.int().positive(),
  timestamp: z.int().optional(),
  duration: z.number().nonnegative().optional(),
  idle_time_limit: z.number().positive().optional(),
  command: z.string().optional(),
  title: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  theme: z
    .strictObject({
      fg: z.string().regex(COLOR, 'a colour is #rrggbb'),
      bg: z.string().regex(COLOR, 'a colour is #rrggbb'),
      palette: z.string().refine((p) => {
        const colors = p.split(':');
        return (colors.length === 8 || colors.length === 16) && colors.every((c) => COLOR.test(c));
      }, 'the palette is 8 or 16 #rrggbb colours separated by ":"'),
    })
    .optional(),
});

export type CastHeaderRead = z.output<typeof HeaderSchema>;

export interface Cast {
  header: CastHeaderRead;
  events: CastEvent[];
}

/** What is wrong, and on which line (1 is the header). */
export class CastFormatError extends Error {
  override name = 'CastFormatError';

  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`line ${line}: ${detail}`);
  }
}

const EventSchema = z.tuple([z.number().nonnegative(), z.enum(CAST_CODES), z.string()]);

/** Reads a whole recording; throws CastFormatError at the first line that breaks the format. */
export function readCast(text: string): Cast {
  if (text === '') throw new CastFormatError(1, 'empty file: no header');
  if (!text.endsWith('\n'))
    throw new CastFormatError(text.split('\n').length, 'the last line has no newline');
  const lines = text.slice(0, -1).split('\n');
  const header = parseLine(lines[0], 1, HeaderSchema, 'the header');
  const events: CastEvent[] = [];
  let last = 0;
  for (let i = 1; i < lines.length; i++) {
    const event = parseLine(lines[i], i + 1, EventSchema, 'an event') as CastEvent;
    const [time, code, data] = event;
    if (time < last)
      throw new CastFormatError(i + 1, `time ${time} is before the previous event's (${last})`);
    if (code === 'r' && !/^[1-9]\d*x[1-9]\d*$/.test(data)) {
      throw new CastFormatError(i + 1, `a resize is "COLSxROWS", got ${JSON.stringify(data)}`);
    }
    last = time;
    events.push(event);
  }
  return { header, events };
}

function parseLine<T>(line: string, n: number, schema: z.ZodType<T>, what: string): T {
  if (line === '') throw new CastFormatError(n, `empty line where ${what} should be`);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new CastFormatError(n, `${what} is not JSON: ${(err as Error).message}`);
  }
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const at = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new CastFormatError(n, `${what}: ${at}${issue.message}`);
}
