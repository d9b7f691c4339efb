/**
 * Styled text for the dashboard: a screen is a list of lines, a line a list of spans, each span some
 * text and the theme role that colours it. Render functions build lines; `plain` gives their text (what
 * the tests compare) and the theme's painter turns them into escape codes (one string per table row).
 * Everything drawn here is one terminal cell per character (ASCII, braille and block elements).
 */
import type { ClockState } from '../engine/snapshot.ts';

export type Role =
  | 'text'
  | 'dim'
  | 'title'
  | 'label'
  | 'value'
  | 'tableHeader'
  | 'sortHeader'
  | 'sortCell'
  | 'selected'
  | 'na'
  | 'ok'
  | 'warn'
  | 'error'
  | 'high'
  | 'soft'
  | 'hard'
  | 'low'
  | 'key'
  | 'keyActive'
  | 'border'
  | 'accent'
  | 'input'
  | 'cursor'
  | 'paused'
  | 'memFree'
  | 'memPrivate'
  | 'memShared'
  | 'memCompressed'
  | 'memTmem'
  | 'memOverhead'
  | 'memCache'
  | 'memSwap'
  | 'memBalloon'
  | 'series1'
  | 'series2'
  | 'series3'
  | 'series4'
  | 'series5'
  | 'series6'
  | 'series7'
  | 'series8';

/** The chart series colours, in order. */
export const SERIES: readonly Role[] = [
  'series1',
  'series2',
  'series3',
  'series4',
  'series5',
  'series6',
  'series7',
  'series8',
];

export const ROLES: readonly Role[] = [
  'text',
  'dim',
  'title',
  'label',
  'value',
  'tableHeader',
  'sortHeader',
  'sortCell',
  'selected',
  'na',
  'ok',
  'warn',
  'error',
  'high',
  'soft',
  'hard',
  'low',
  'key',
  'keyActive',
  'border',
  'accent',
  'input',
  'cursor',
  'paused',
  'memFree',
  'memPrivate',
  'memShared',
  'memCompressed',
  'memTmem',
  'memOverhead',
  'memCache',
  'memSwap',
  'memBalloon',
  ...SERIES,
];

export interface Span {
  readonly text: string;
  readonly role?: Role;
}

/** One terminal row. `role` styles the whole row on top of its spans (the selected guest's bar). */
export interface Line {
  readonly spans: readonly Span[];
  readonly role?: Role;
}

export const span = (text: string, role?: Role): Span => (role ? { text, role } : { text });
export const line = (...spans: (Span | string)[]): Line => ({
  spans: spans.map((s) => (typeof s === 'string' ? { text: s } : s)),
});
export const blank: Line = { spans: [] };

export const plain = (l: Line): string => l.spans.map((s) => s.text).join('');
export const plainLines = (ls: readonly Line[]): string[] => ls.map(plain);
export const lineWidth = (l: Line): number => l.spans.reduce((n, s) => n + s.text.length, 0);

/** Cuts a line to `width` cells; with `pad`, fills it with spaces to exactly `width`. */
export function clip(l: Line, width: number, pad = false): Line {
  const out: Span[] = [];
  let left = Math.max(0, width);
  for (const s of l.spans) {
    if (left <= 0) break;
    if (s.text.length <= left) {
      out.push(s);
      left -= s.text.length;
    } else {
      out.push({ ...s, text: s.text.slice(0, left) });
      left = 0;
    }
  }
  if (pad && left > 0) out.push({ text: ' '.repeat(left) });
  return l.role ? { spans: out, role: l.role } : { spans: out };
}

/** Drops the first `n` cells of a line (horizontal scrolling). */
export function skip(l: Line, n: number): Line {
  if (n <= 0) return l;
  const out: Span[] = [];
  let drop = n;
  for (const s of l.spans) {
    if (drop >= s.text.length) {
      drop -= s.text.length;
      continue;
    }
    out.push(drop > 0 ? { ...s, text: s.text.slice(drop) } : s);
    drop = 0;
  }
  return l.role ? { spans: out, role: l.role } : { spans: out };
}

/** Puts lines side by side: each left line padded to `leftWidth`, then `gap` spaces, then the right line. */
export function beside(left: readonly Line[], leftWidth: number, right: readonly Line[], gap = 2): Line[] {
  const n = Math.max(left.length, right.length);
  const out: Line[] = [];
  for (let i = 0; i < n; i++) {
    const l = clip(left[i] ?? blank, leftWidth, true);
    const r = right[i] ?? blank;
    out.push({ spans: [...l.spans, { text: ' '.repeat(gap) }, ...r.spans] });
  }
  return out;
}

/** Exactly `height` lines: cut, or filled with blank lines. */
export function frame(lines: readonly Line[], height: number): Line[] {
  const out = lines.slice(0, Math.max(0, height));
  while (out.length < height) out.push(blank);
  return out;
}

export const padLeft = (s: string, w: number): string => (s.length >= w ? s : ' '.repeat(w - s.length) + s);
export const padRight = (s: string, w: number): string => (s.length >= w ? s : s + ' '.repeat(w - s.length));

/** Cuts or pads `s` to exactly `w` cells. */
export const cell = (s: string, w: number, align: 'left' | 'right' = 'right'): string =>
  s.length > w ? s.slice(0, w) : align === 'left' ? padRight(s, w) : padLeft(s, w);

/** Words wrapped to `width`, long words cut; at least one (maybe empty) line. */
export function wrap(text: string, width: number): string[] {
  if (width <= 0) return [text];
  const out: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let w = word;
    while (w.length > width) {
      if (cur) {
        out.push(cur);
        cur = '';
      }
      out.push(w.slice(0, width));
      w = w.slice(width);
    }
    if (!cur) cur = w;
    else if (cur.length + 1 + w.length <= width) cur += ` ${w}`;
    else {
      out.push(cur);
      cur = w;
    }
  }
  if (cur || out.length === 0) out.push(cur);
  return out;
}

// ---- numbers ------------------------------------------------------------------------------------

/** esxtop prints MB with two decimals. */
export const mb2 = (x: number): string => x.toFixed(2);
/** A chart's top in MB: whole above 10, else two decimals, so a small peak never reads as 0. */
export const mbScale = (x: number): string => (Math.abs(x) >= 10 ? x.toFixed(0) : x.toFixed(2));
/** A whole number of MB with a unit, for prose: "1536 MB", "12.5 GB" above 10 GB. */
export function mbText(x: number): string {
  if (Math.abs(x) >= 10240) return `${(x / 1024).toFixed(1)} GB`;
  if (Math.abs(x) >= 10 || x === 0) return `${Math.round(x)} MB`;
  return `${x.toFixed(1)} MB`;
}

/** A compact count: 950, 12.3k, 4.5M. */
export function compact(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (a >= 100 || Number.isInteger(x)) return x.toFixed(0);
  return x.toFixed(1);
}

/** Simulated seconds as H:MM:SS (hours grow past 24). */
export function clock(t: number): string {
  const s = Math.floor(t);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Simulated seconds as HH:MM:SS within a day, as xentop prints its clock. */
export function clock24(t: number): string {
  const s = Math.floor(t) % 86400;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** A rate of simulated seconds per wall second: 31x, 2.5x, 0.17x. */
export const rateText = (x: number): string =>
  `${x >= 10 ? x.toFixed(0) : x >= 1 ? Number(x.toFixed(1)) : Number(x.toFixed(2))}x`;

/** The share of the asked speed below which the header says the engine is not keeping up. */
const KEEPING_UP = 0.8;

/**
 * The clock's speed as the header says it: the speed asked, and, when the engine does not keep up (or
 * runs as fast as it can), the speed achieved: `10x`, `100x asked, 31x running`, `max, 31x running`.
 */
export function speedText(c: ClockState): { text: string; behind: boolean } {
  const asked = c.speed === 'max' ? 'max' : rateText(c.speed);
  if (c.paused || c.achieved === null) return { text: asked, behind: false };
  if (c.speed === 'max') return { text: `max, ${rateText(c.achieved)} running`, behind: false };
  if (c.achieved >= c.speed * KEEPING_UP) return { text: asked, behind: false };
  return { text: `${asked} asked, ${rateText(c.achieved)} running`, behind: true };
}
