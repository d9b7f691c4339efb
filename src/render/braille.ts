/**
 * The one chart component: an area chart drawn in braille, two samples per cell across and four dots
 * per cell up, the newest sample at the right edge. Used for every chart on every pane.
 */
import { type Line, padLeft, padRight, type Role, span } from './text.ts';

/** Dot bits of a braille cell: [column][row from the top]. */
const DOT = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
];

export interface ChartScale {
  readonly min?: number;
  readonly max?: number;
}

/**
 * `values` oldest first (NaN: no sample); the last `2 * width` are drawn. Returns `height` strings of
 * `width` braille cells. A sample at the minimum still shows its bottom dot, so a flat zero reads as a line.
 */
export function brailleArea(
  values: ArrayLike<number>,
  width: number,
  height: number,
  scale: ChartScale = {},
): string[] {
  const w = Math.max(0, Math.floor(width));
  const h = Math.max(0, Math.floor(height));
  if (w === 0 || h === 0) return Array.from({ length: h }, () => '');
  const points = 2 * w;
  const n = values.length;
  const start = Math.max(0, n - points);
  let lo = scale.min ?? 0;
  let hi = scale.max ?? Number.NEGATIVE_INFINITY;
  if (scale.max === undefined) for (let i = start; i < n; i++) if (values[i] > hi) hi = values[i];
  if (scale.min === undefined) for (let i = start; i < n; i++) if (values[i] < lo) lo = values[i];
  if (!(hi > lo)) hi = lo + 1;
  const rows = h * 4;
  const cells = new Uint8Array(w * h);
  // Right-align: the newest sample is the last dot column.
  const offset = points - (n - start);
  for (let i = start; i < n; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    const x = offset + (i - start);
    const frac = Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
    const dots = Math.max(1, Math.round(frac * rows));
    const cx = x >> 1;
    const bit = x & 1;
    for (let d = 0; d < dots; d++) {
      const yFromTop = rows - 1 - d;
      const cy = yFromTop >> 2;
      cells[cy * w + cx] |= DOT[bit][yFromTop & 3];
    }
  }
  const out: string[] = [];
  for (let cy = 0; cy < h; cy++) {
    let s = '';
    for (let cx = 0; cx < w; cx++) s += String.fromCharCode(0x2800 + cells[cy * w + cx]);
    out.push(s);
  }
  return out;
}

export interface ChartSpec {
  readonly title: string;
  /** The latest value as text, shown after the title. */
  readonly now: string;
  readonly values: ArrayLike<number>;
  readonly role: Role;
  readonly scale?: ChartScale;
  /** How the top of the scale is printed. */
  readonly maxLabel?: (max: number) => string;
}

/** A titled chart `width` cells wide: a title line, then `height` lines of braille. */
export function chartBlock(spec: ChartSpec, width: number, height: number): Line[] {
  const w = Math.max(1, width);
  let max = spec.scale?.max;
  if (max === undefined) {
    max = 0;
    const n = spec.values.length;
    for (let i = Math.max(0, n - 2 * w); i < n; i++) if (spec.values[i] > max) max = spec.values[i];
  }
  const top = spec.maxLabel ? spec.maxLabel(max) : '';
  const head = `${spec.title} ${spec.now}`;
  const title =
    top && head.length + top.length + 1 <= w ? padRight(head, w - top.length) + top : head.slice(0, w);
  const lines: Line[] = [{ spans: [span(padRight(title.slice(0, w), w), 'label')] }];
  const body = brailleArea(spec.values, w, Math.max(0, height), {
    min: spec.scale?.min ?? 0,
    max: max > 0 ? max : 1,
  });
  for (const row of body) lines.push({ spans: [span(row, spec.role)] });
  return lines;
}

/** Charts laid out in a grid of `columns` across, each `chartHeight` braille lines high. */
export function chartGrid(
  specs: readonly ChartSpec[],
  width: number,
  columns: number,
  chartHeight: number,
): Line[] {
  const cols = Math.max(1, Math.min(columns, specs.length));
  const gap = 2;
  const cw = Math.max(4, Math.floor((width - gap * (cols - 1)) / cols));
  const out: Line[] = [];
  for (let i = 0; i < specs.length; i += cols) {
    const blocks = specs.slice(i, i + cols).map((s) => chartBlock(s, cw, chartHeight));
    const height = Math.max(...blocks.map((b) => b.length));
    for (let r = 0; r < height; r++) {
      const spans = blocks.flatMap((b, bi) => {
        const l = b[r] ?? { spans: [span(' '.repeat(cw))] };
        return bi === 0 ? [...l.spans] : [span(' '.repeat(gap)), ...l.spans];
      });
      out.push({ spans });
    }
  }
  return out;
}

/** The largest chart height that fits `rows` lines for `count` charts in `columns` columns (title line included). */
export function chartHeightFor(rows: number, count: number, columns: number): number {
  const gridRows = Math.ceil(count / Math.max(1, columns));
  return Math.floor(rows / Math.max(1, gridRows)) - 1;
}

export const fmtAxis = (unit: string) => (max: number) =>
  `${padLeft(max >= 100 ? max.toFixed(0) : max.toFixed(1), 1)}${unit}`;
