/**
 * Where each panel of the wall goes for a terminal size: pure arithmetic, tested as data. Two layouts:
 * a small one for 80x24 (the big figures, the free-memory chart, the host's composition, the guests
 * and the log) and a large one from 120x36 that adds the selected guest shown large. The bottom row
 * is the status line. Every rectangle includes its border.
 */

export interface Rect {
  readonly top: number;
  readonly left: number;
  readonly width: number;
  readonly height: number;
}

export interface WallLayout {
  readonly cols: number;
  readonly rows: number;
  readonly large: boolean;
  readonly stateLcd: Rect;
  readonly freeLcd: Rect;
  readonly thresholds: Rect;
  readonly composition: Rect;
  readonly freeChart: Rect;
  /** The selected guest shown large: only in the large layout. */
  readonly selected: Rect | null;
  readonly guests: Rect;
  readonly log: Rect;
  readonly status: Rect;
}

export const MIN_COLS = 80;
export const MIN_ROWS = 24;
const LARGE_COLS = 120;
const LARGE_ROWS = 36;

/** Splits `total` cells into parts by fractions; the last part takes what rounding leaves. */
function split(total: number, fractions: readonly number[]): number[] {
  const out: number[] = [];
  let used = 0;
  fractions.forEach((f, i) => {
    const n = i === fractions.length - 1 ? total - used : Math.floor(total * f);
    out.push(n);
    used += n;
  });
  return out;
}

/** Rectangles side by side in one band of the screen. */
function band(top: number, height: number, widths: readonly number[]): Rect[] {
  let left = 0;
  return widths.map((width) => {
    const r = { top, left, width, height };
    left += width;
    return r;
  });
}

/** The layout for a terminal of `cols` x `rows` (at least 80x24: smaller sizes are laid out as 80x24 and cut). */
export function wallLayout(cols: number, rows: number): WallLayout {
  const c = Math.max(MIN_COLS, Math.floor(cols));
  const r = Math.max(MIN_ROWS, Math.floor(rows));
  const large = c >= LARGE_COLS && r >= LARGE_ROWS;
  const body = r - 1;
  const status = { top: body, left: 0, width: c, height: 1 };
  const base = { cols: c, rows: r, large, status };
  if (!large) {
    const [a, b, cc] = split(body, [0.27, 0.33, 0.4]);
    const [stateLcd, freeLcd, thresholds] = band(0, a, split(c, [0.32, 0.32, 0.36]));
    const [freeChart, composition] = band(a, b, split(c, [0.58, 0.42]));
    const [guests, log] = band(a + b, cc, split(c, [0.6, 0.4]));
    return { ...base, stateLcd, freeLcd, thresholds, composition, freeChart, selected: null, guests, log };
  }
  const [a, b, cc] = split(body, [0.25, 0.33, 0.42]);
  const [stateLcd, freeLcd, thresholds, composition] = band(0, a, split(c, [0.25, 0.25, 0.25, 0.25]));
  const [freeChart, selected] = band(a, b, split(c, [0.58, 0.42]));
  const [guests, log] = band(a + b, cc, split(c, [0.58, 0.42]));
  return { ...base, stateLcd, freeLcd, thresholds, composition, freeChart, selected, guests, log };
}

/** The text area inside a panel's border. */
export const inner = (r: Rect): { width: number; height: number } => ({
  width: Math.max(0, r.width - 2),
  height: Math.max(0, r.height - 2),
});
