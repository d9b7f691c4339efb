/**
 * Held against a published figure, a measured one is reproduced (within the published range), shows
 * the direction only (on the published side of a reference, such as 1.0 for a ratio or 0 for a
 * saving, but outside the range), or is not reproduced. Pure: the same figures give the same words.
 */

export type VerdictWord = 'reproduced' | 'direction only' | 'not reproduced';

export interface Verdict {
  readonly word: VerdictWord;
  readonly reason: string;
}

/** A published figure: a range (a single value is a range of one), and the reference its direction is read against. */
export interface Published {
  readonly low: number;
  readonly high: number;
  /** The side of this the published range lies on is the published direction; none: only the range counts. */
  readonly reference?: number;
  /** How a number of this figure is written (default: up to two decimals). */
  readonly format?: (x: number) => string;
}

const TWO = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2));

export function publishedText(p: Published): string {
  const f = p.format ?? TWO;
  return p.low === p.high ? f(p.low) : `${f(p.low)}-${f(p.high)}`;
}

export function verdict(measured: number | null, published: Published): Verdict {
  const f = published.format ?? TWO;
  const range = publishedText(published);
  if (measured === null || Number.isNaN(measured)) {
    return { word: 'not reproduced', reason: 'nothing was measured' };
  }
  const m = f(measured);
  if (measured >= published.low && measured <= published.high) {
    return { word: 'reproduced', reason: `${m} is within the published ${range}` };
  }
  const ref = published.reference;
  if (ref !== undefined) {
    const side = Math.sign((published.low + published.high) / 2 - ref);
    if (side === 0) return { word: 'not reproduced', reason: `${m} is outside the published ${range}` };
    // A figure that reads the same as the reference (a cut of 2 reads a second is "0 %") shows no direction.
    if (m === f(ref) || Number.parseFloat(m) === Number.parseFloat(f(ref))) {
      return { word: 'not reproduced', reason: `${m} is no different from ${f(ref)}; published ${range}` };
    }
    if (Math.sign(measured - ref) === side) {
      const how = measured < published.low ? 'below' : 'above';
      return {
        word: 'direction only',
        reason: `${m} is on the published side of ${f(ref)}, but ${how} the published ${range}`,
      };
    }
    return {
      word: 'not reproduced',
      reason: `${m} is on the other side of ${f(ref)} from the published ${range}`,
    };
  }
  return { word: 'not reproduced', reason: `${m} is outside the published ${range}` };
}

/** A claim checked as true or false (an order, a trend): reproduced or not, with the reason given either way. */
export function holds(ok: boolean, yes: string, no: string): Verdict {
  return ok ? { word: 'reproduced', reason: yes } : { word: 'not reproduced', reason: no };
}
