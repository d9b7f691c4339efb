/** Parameter types experiment files share, with messages in the words of preset errors. */
import { z } from 'zod';
import { expected } from '../scenario/preset-schema.ts';

/** Simulated seconds, written as a number. */
export const seconds = z
  .number({ error: expected('a number of seconds, such as 30') })
  .positive('must be more than 0');

/** A fraction in (0, 1]: of a guest's memory, of a host's. */
export const fraction = (of: string) =>
  z
    .number({ error: expected(`a fraction of ${of}, such as 0.8`) })
    .gt(0, 'must be more than 0')
    .lte(1, 'must be at most 1');

/** A list of at least `min` items. */
export const listOf = <T extends z.ZodType>(item: T, min: number, what: string) =>
  z.array(item, { error: expected(`a list of ${what}`) }).min(min, `needs at least ${min} ${what}`);
