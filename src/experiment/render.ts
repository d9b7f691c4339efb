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
  out.push(...wrap(`${r.name}: ${r.title}`, width));
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
  if (r.outcome.notes.length > 0) out.push('', ...bullets(r.outcome.notes, width));
  if (r.shortfalls.length > 0) out.push('', 'Where the model falls short:', ...bullets(r.shortfalls, width));
  return `${out.join('\n')}\n`;
}

/** Sentences as a list, each wrapped under its dash. */
function bullets(items: readonly string[], width: number): string[] {
  return items.flatMap((n) => {
    const [first, ...rest] = wrap(n, width - 2);
    return [`- ${first}`, ...rest.map((l) => `  ${l}`)];
  });
}

/**
 * A chart. A few points that every curve shares (a sweep: limit steps, guest counts, tax rates) are
 * drawn as block bars, a row per x with a bar per curve, so the values at one x can be read side by
 * side; a longer curve (over time) in braille, each curve beside the others over the same x range.
 */
export function chartText(c: Chart, width: number): string[] {
  const xs = c.curves[0]?.points.map((p) => p[0]) ?? [];
  const shared = c.curves.every(
    (k) => k.points.length === xs.length && k.points.every((p, i) => p[0] === xs[i]),
  );
  return shared && xs.length <= MAX_BARS ? barChart(c, width) : brailleChart(c, width);
}

const MAX_BARS = 12;
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar `cells` wide at most for `f` in [0, 1], in eighths of a cell. */
function bar(f: number, cells: number): string {
  const eighths = Math.round(Math.min(1, Math.max(0, f)) * cells * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

function barChart(c: Chart, width: number): string[] {
  const xs = c.curves[0].points.map((p) => p[0]);
  const ys = c.curves.flatMap((k) => k.points.map((p) => p[1])).filter(Number.isFinite);
  const yHi = Math.max(0, ...ys);
  const value = (y: number): string =>
    !Number.isFinite(y) ? 'n/a' : yHi >= 10 ? y.toFixed(0) : y.toFixed(2);
  const labelW = Math.max(...xs.map((x) => formatX(x).length));
  const valueW = Math.max(4, ...ys.map((y) => value(y).length));
  const n = c.curves.length;
  // Each curve: its bar, a space and its value; two spaces between curves.
  const cw = Math.max(8, Math.floor((width - labelW - 2 * n) / n));
  const barW = cw - valueW - 1;
  const lines = [
    c.title,
    `${' '.repeat(labelW)}  ${c.curves.map((k) => padRight(k.name.slice(0, cw), cw)).join('  ')}`.trimEnd(),
  ];
  xs.forEach((x, i) => {
    const cells = c.curves.map((k) => {
      const y = k.points[i][1];
      return `${padRight(bar(yHi > 0 ? y / yHi : 0, barW), barW)} ${padLeft(value(y), valueW)}`;
    });
    lines.push(`${padLeft(formatX(x), labelW)}  ${cells.join('  ')}`.trimEnd());
  });
  lines.push(...wrap(`rows: ${c.x}; bars: ${c.y}, 0 to ${value(yHi)}`, width));
  return lines;
}

function brailleChart(c: Chart, width: number): string[] {
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
  for (let i = 0; i < height + 1; i++)
    lines.push(
      blocks
        .map((b) => b[i])
        .join('  ')
        .trimEnd(),
    );
  const down = c.curves.some((k) => k.points.length > 1 && k.points[0][0] > k.points[k.points.length - 1][0]);
  const [left, right] = down ? [formatX(xHi), formatX(xLo)] : [formatX(xLo), formatX(xHi)];
  const axis = `${left}${padLeft(right, cw - left.length)}`;
  lines.push(Array.from({ length: n }, () => axis).join('  '));
  lines.push(...wrap(`x: ${c.x}; y: ${c.y}, 0 to ${yHi.toFixed(2)}`, width));
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
