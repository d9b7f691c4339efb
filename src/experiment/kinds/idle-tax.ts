/**
 * The idle memory tax (seed 002, 4; Waldspurger, OSDI 2002, 5.3): two guests with equal shares, one
 * busy and one holding idle memory, on an overcommitted host, once per tax rate. What each ends up
 * consuming is compared: equal without a tax, more to the busy guest as the tax rises.
 */
import { z } from 'zod';
import type { ExperimentSpec } from '../experiment-spec.ts';
import type { Job, JobResult } from '../job.ts';
import { ClaimSchema, FigureSchema, fixed, mean, type Outcome, type Row, window } from '../outcome.ts';
import { listOf, seconds } from '../params.ts';
import { holds, verdict } from '../verdict.ts';
import { presetText } from './build.ts';
import type { Kind } from './kind.ts';

const Params = z.object({
  /** Tax rates, 0 to 0.99, in the order they are compared. */
  taxes: listOf(z.number().min(0).max(0.99), 2, 'tax rates'),
  busy: z.string(),
  idle: z.string(),
  duration: seconds,
  /** The last seconds of the run, averaged. */
  measure: seconds,
  published: z.object({ equal: FigureSchema, grows: ClaimSchema }),
});
type P = z.output<typeof Params>;

const id = (tax: number): string => `tax ${Math.round(tax * 100)} %`;

export const idleTax: Kind<P> = {
  params: Params,

  jobs(spec: ExperimentSpec, p: P): Job[] {
    return p.taxes.map((tax) => ({
      id: id(tax),
      file: `${spec.file} (${id(tax)})`,
      preset: presetText(`${spec.name}: ${id(tax)}`, {
        ...spec.preset,
        host: { ...(spec.preset.host as object), idleTax: `${Math.round(tax * 100)}%` },
      }),
      seed: spec.seed,
      seconds: p.duration,
      probes: [p.busy, p.idle].flatMap((g) => [`guest.${g}.CNSM`, `guest.${g}.SZTGT`]),
    }));
  },

  analyse(_spec: ExperimentSpec, p: P, results: ReadonlyMap<string, JobResult>): Outcome {
    const held = (tax: number, g: string): number =>
      mean(window(results.get(id(tax))!, `guest.${g}.CNSM`, p.duration - p.measure, p.duration));
    const ratio = (tax: number): number => held(tax, p.busy) / held(tax, p.idle);
    const mb = (tax: number): string =>
      `${p.busy} ${held(tax, p.busy).toFixed(0)} MB, ${p.idle} ${held(tax, p.idle).toFixed(0)} MB: ${fixed(ratio(tax))}`;
    const rows: Row[] = p.taxes.map((tax, i) =>
      i === 0
        ? {
            configuration: `${id(tax)}: ${p.busy} / ${p.idle}`,
            measured: mb(tax),
            published: `${p.published.equal.text} (${p.published.equal.source})`,
            verdict: verdict(ratio(tax), p.published.equal),
          }
        : {
            configuration: `${id(tax)}: ${p.busy} / ${p.idle}`,
            measured: mb(tax),
            published: `${p.published.grows.text} (${p.published.grows.source})`,
            verdict: holds(
              ratio(tax) > ratio(p.taxes[i - 1]),
              `more than at ${id(p.taxes[i - 1])} (${fixed(ratio(p.taxes[i - 1]))})`,
              `not more than at ${id(p.taxes[i - 1])} (${fixed(ratio(p.taxes[i - 1]))})`,
            ),
          },
    );
    return {
      rows,
      charts: [
        {
          title: 'memory each guest holds against the idle tax',
          x: 'idle memory tax, %',
          y: 'MB consumed',
          curves: [p.busy, p.idle].map((g) => ({
            name: g,
            points: p.taxes.map((tax) => [100 * tax, held(tax, g)] as const),
          })),
        },
      ],
      notes: [],
    };
  },
};
