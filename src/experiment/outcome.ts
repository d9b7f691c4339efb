/**
 * What an experiment's analysis gives: the table (a row per configuration or claim, measured beside
 * published, with a verdict), charts where the result is a curve, and notes in words. Plain data, so
 * the same outcome prints as a table, CSV or JSON.
 */
import { z } from 'zod';
import { expected } from '../scenario/preset-schema.ts';
import type { JobResult } from './job.ts';
import type { Verdict } from './verdict.ts';

export interface Row {
  readonly configuration: string;
  readonly measured: string;
  readonly published: string;
  readonly verdict: Verdict;
}

export interface Curve {
  readonly name: string;
  /** [x, y], in the order they are drawn. */
  readonly points: readonly (readonly [number, number])[];
}

export interface Chart {
  readonly title: string;
  /** What x and y are, in words with their units. */
  readonly x: string;
  readonly y: string;
  readonly curves: readonly Curve[];
}

export interface Outcome {
  readonly rows: readonly Row[];
  readonly charts: readonly Chart[];
  readonly notes: readonly string[];
}

/** A published figure as an experiment file gives it: the range, what it says and where. */
const number = z.number({ error: expected('a number') });
const words = (what: string) => z.string({ error: expected(what) });
export const FigureSchema = z.object({
  low: number,
  high: number,
  reference: number.optional(),
  text: words('what the source says, in words'),
  source: words('where the source says it (its seed and section)'),
});
export type Figure = z.output<typeof FigureSchema>;

/** A claim the source makes in words (an order, a trend), with where it makes it. */
export const ClaimSchema = z.object({
  text: words('what the source says, in words'),
  source: words('where the source says it (its seed and section)'),
});
export type Claim = z.output<typeof ClaimSchema>;

/** The values of a numeric probe with simulated time in [from, to). */
export function window(r: JobResult, probe: string, from: number, to: number): number[] {
  const values = r.series[probe];
  if (!values) throw new Error(`no probe ${probe} in ${r.id}`);
  const out: number[] = [];
  r.t.forEach((t, i) => {
    const v = values[i];
    if (t > from + 1e-9 && t <= to + 1e-9 && typeof v === 'number') out.push(v);
  });
  return out;
}

export const mean = (xs: readonly number[]): number =>
  xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;

/** The last numeric value of a probe. */
export function last(r: JobResult, probe: string): number {
  const values = r.series[probe] ?? [];
  for (let i = values.length - 1; i >= 0; i--) if (typeof values[i] === 'number') return values[i] as number;
  return Number.NaN;
}

/** A number as the tables print it. */
export const fixed = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
export const pct = (x: number, digits = 0): string =>
  Number.isFinite(x) ? `${(100 * x).toFixed(digits)} %` : 'n/a';
