/**
 * An experiment's report as text: a table (what a terminal shows and the README quotes), CSV (one
 * line per row) or JSON (one object per experiment), and a braille chart per curve, drawn by the same
 * chart renderer as the dashboard's panes.
 */
import { brailleArea } from '../render/braille.ts';
import { padLeft, padRight, wrap } from '../render/text.ts';
import type { Chart } from './outcome.ts';
import type { Report } from './run.ts';

export const FORMATS = ['table', 'csv', 'json'] as const;
export type Format = (typeof FORMATS)[number];

const COLUMNS = [
  { head: 'configuration', share: 0.3 },
  { head: 'measured', share: 0.25 },
  { head: 'published', share: 0.3 },
  { head: 'verdict', share: 0.15 },
] as const;

/** The report as a table `width` characters wide, with its charts and notes. */
export function reportTable(r: Report, width = 100): string {
  const out: string[] = [];
  out.push(`${r.name}: ${r.title}`);
  for (const l of wrap(`measures: ${r.figure}`, width)) out.push(l);
  for (const l of wrap(`published: ${r.source}`, width)) out.push(l);
  out.push('');
  const gap = 2;
  const widths = COLUMNS.map((c) => Math.max(8, Math.floor((width - gap * (COLUMNS.length - 1)) * c.share)));
  const row = (cells: readonly string[]): string[] => {
    const wrapped = cells.map((c, i) => wrap(c, widths[i]));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, k) =>
      wrapped
        .map((w, i) => padRight(w[k] ?? '', widths[i]))
        .join(' '.repeat(gap))
        .trimEnd(),
    );
  };
  out.push(...row(COLUMNS.map((c) => c.head.toUpperCase())));
  for (const x of r.outcome.rows) {
    out.push(...row([x.configuration, x.measured, x.published, x.verdict.word]));
    for (const l of wrap(`why: ${x.verdict.reason}`, width - 4)) out.push(`    ${l}`);
  }
  for (const c of r.outcome.charts) out.push('', ...chartText(c, Math.min(width, 100)));
  if (r.outcome.notes.length > 0) {
    out.push('');
    for (const n of r.outcome.notes) {
      const [first, ...rest] = wrap(n, width - 2);
      out.push(`- ${first}`, ...rest.map((l) => `  ${l}`));
    }
  }
  return `${out.join('\n')}\n`;
}

/** A chart: each curve in braille beside the others, over the same x range, with its y range. */
export function chartText(c: Chart, width: number): string[] {
  const n = c.curves.length;
  const cw = Math.max(12, Math.floor((width - 2 * (n - 1)) / n));
  const xs = c.curves.flatMap((k) => k.points.map((p) => p[0]));
  const ys = c.curves.flatMap((k) => k.points.map((p) => p[1]));
  const xLo = Math.min(...xs);
  const xHi = Math.max(...xs);
  const yHi = Math.max(0, ...ys.filter(Number.isFinite));
  const height = 5;
  const blocks = c.curves.map((k) => {
    const values = resample(k.points, 2 * cw, xLo, xHi);
    const body = brailleArea(values, cw, height, { min: 0, max: yHi > 0 ? yHi : 1 });
    return [padRight(`${k.name}`.slice(0, cw), cw), ...body];
  });
  const lines = [c.title];
  for (let i = 0; i < height + 1; i++) lines.push(blocks.map((b) => b[i]).join('  '));
  const down = c.curves.some((k) => k.points.length > 1 && k.points[0][0] > k.points[k.points.length - 1][0]);
  const [left, right] = down ? [formatX(xHi), formatX(xLo)] : [formatX(xLo), formatX(xHi)];
  const axis = `${left}${padLeft(right, cw - left.length)}`;
  lines.push(Array.from({ length: n }, () => axis).join('  '));
  lines.push(`x: ${c.x}; y: ${c.y}, 0 to ${yHi.toFixed(2)}`);
  return lines;
}

const formatX = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1));

/**
 * `count` samples of a curve across x from `hi` at the left to `lo` at the right when the points run
 * downward (a limit stepping down), else from `lo` to `hi`: each sample is the nearest point's y.
 */
function resample(
  points: readonly (readonly [number, number])[],
  count: number,
  lo: number,
  hi: number,
): number[] {
  if (points.length === 0) return [];
  const down = points.length > 1 && points[0][0] > points[points.length - 1][0];
  return Array.from({ length: count }, (_, i) => {
    const f = count === 1 ? 0 : i / (count - 1);
    const x = down ? hi - f * (hi - lo) : lo + f * (hi - lo);
    let best = points[0];
    for (const p of points) if (Math.abs(p[0] - x) < Math.abs(best[0] - x)) best = p;
    return best[1];
  });
}

/** CSV: a header, then a line per row of every report (RFC 4180 quoting). */
export function reportsCsv(reports: readonly Report[]): string {
  const q = (s: string | number): string => `"${String(s).replace(/"/g, '""')}"`;
  const lines = [
    ['experiment', 'configuration', 'measured', 'published', 'verdict', 'reason'].map(q).join(','),
  ];
  for (const r of reports)
    for (const x of r.outcome.rows)
      lines.push(
        [r.name, x.configuration, x.measured, x.published, x.verdict.word, x.verdict.reason].map(q).join(','),
      );
  return `${lines.join('\n')}\n`;
}

/** JSON: one object per experiment, a line each. */
export const reportsJson = (reports: readonly Report[]): string =>
  reports.map((r) => JSON.stringify(r)).join('\n') + (reports.length > 0 ? '\n' : '');
