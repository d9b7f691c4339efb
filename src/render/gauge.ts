/**
 * The free-memory state gauge and the host memory composition bar. The gauge's scale is split: its left
 * 60 % spans 0 to twice the high threshold, so the four thresholds (6/4/2/1 % by default) sit apart and
 * can be seen, and the rest spans up to 100 %. Cells are coloured by the state their level belongs to.
 */
import type { FreeState, HostCounters, Mechanisms } from '../engine/snapshot.ts';
import { type Line, line, mbText, padRight, type Role, type Span, span } from './text.ts';

const KNEE_AT = 0.6;

/** Free percent -> position 0..1 on the gauge. */
export function gaugePosition(pct: number, highPct: number): number {
  const knee = Math.min(100, 2 * highPct);
  const p = Math.min(100, Math.max(0, pct));
  if (p <= knee) return (p / knee) * KNEE_AT;
  return KNEE_AT + ((p - knee) / Math.max(1e-9, 100 - knee)) * (1 - KNEE_AT);
}

/** Position 0..1 -> free percent. */
function gaugePercent(pos: number, highPct: number): number {
  const knee = Math.min(100, 2 * highPct);
  if (pos <= KNEE_AT) return (pos / KNEE_AT) * knee;
  return knee + ((pos - KNEE_AT) / (1 - KNEE_AT)) * (100 - knee);
}

export interface ThresholdPercents {
  readonly high: number;
  readonly soft: number;
  readonly hard: number;
  readonly low: number;
}

/** Threshold percents from the MB the snapshot gives. */
export function thresholdPercents(h: HostCounters): ThresholdPercents {
  const t = h.totalMB > 0 ? h.totalMB : 1;
  const p = (mb: number): number => Math.round((mb / t) * 1000) / 10;
  return {
    high: p(h.thresholdsMB.high),
    soft: p(h.thresholdsMB.soft),
    hard: p(h.thresholdsMB.hard),
    low: p(h.thresholdsMB.low),
  };
}

function zone(pct: number, t: ThresholdPercents): FreeState {
  if (pct < t.low) return 'low';
  if (pct < t.hard) return 'hard';
  if (pct < t.soft) return 'soft';
  return 'high';
}

const fmtPct = (x: number): string => (Number.isInteger(x) ? `${x}%` : `${x.toFixed(1)}%`);

/** Three lines: the state in words, the bar, and the threshold marks under it. */
export function freeStateGauge(h: HostCounters, width: number): Line[] {
  const t = thresholdPercents(h);
  const freePct = h.totalMB > 0 ? (100 * h.freeMB) / h.totalMB : 0;
  const barW = Math.max(10, width - 2);
  const filled = Math.round(gaugePosition(freePct, t.high) * barW);
  const bar: Span[] = [span('[', 'border')];
  let run = '';
  let runRole: Role | undefined;
  for (let i = 0; i < barW; i++) {
    const pct = gaugePercent((i + 0.5) / barW, t.high);
    const glyph = i < filled ? '█' : '·';
    const role: Role = i < filled ? zone(pct, t) : 'dim';
    if (role !== runRole && run) {
      bar.push(span(run, runRole));
      run = '';
    }
    runRole = role;
    run += glyph;
  }
  if (run) bar.push(span(run, runRole));
  bar.push(span(']', 'border'));

  const marks = new Array<string>(barW + 2).fill(' ');
  const labels = new Array<string>(barW + 2).fill(' ');
  const put = (pct: number, label: string): void => {
    const x = 1 + Math.min(barW - 1, Math.round(gaugePosition(pct, t.high) * barW));
    marks[x] = '^';
    for (let k = 0; k < label.length && x + k < labels.length; k++) labels[x + k] = label[k];
  };
  for (const [pct, label] of [
    [t.low, fmtPct(t.low)],
    [t.hard, fmtPct(t.hard)],
    [t.soft, fmtPct(t.soft)],
    [t.high, fmtPct(t.high)],
    [50, '50%'],
  ] as const)
    put(pct, label);

  return [
    line(
      span('free state ', 'label'),
      span(h.state.toUpperCase(), h.state),
      `  ${freePct.toFixed(1)} % free (${mbText(h.freeMB)} of ${mbText(h.totalMB)})`,
      span(
        `   thresholds: high ${fmtPct(t.high)}  soft ${fmtPct(t.soft)}  hard ${fmtPct(t.hard)}  low ${fmtPct(t.low)}`,
        'dim',
      ),
    ),
    { spans: bar },
    line(span(marks.join('').trimEnd(), 'dim')),
    line(span(labels.join('').trimEnd(), 'dim')),
  ];
}

export interface Segment {
  readonly label: string;
  readonly mb: number;
  readonly glyph: string;
  readonly role: Role;
}

/** What host memory holds; a use the personality has no mechanism for is left out (not shown as 0). */
export function hostSegments(h: HostCounters, m?: Mechanisms): Segment[] {
  return [
    { label: 'private', mb: h.privateMB, glyph: '█', role: 'memPrivate' },
    ...(m?.sharing === false
      ? []
      : [{ label: 'shared', mb: h.sharedMB, glyph: '▓', role: 'memShared' } as const]),
    ...(m?.zip === false
      ? []
      : [{ label: 'compression cache', mb: h.compressedMB, glyph: '▒', role: 'memCompressed' } as const]),
    ...(m?.tmem === false ? [] : [{ label: 'tmem', mb: h.tmemMB, glyph: '░', role: 'memTmem' } as const]),
    { label: 'overhead', mb: h.overheadMB, glyph: '#', role: 'memOverhead' },
    { label: 'free', mb: h.freeMB, glyph: '.', role: 'memFree' },
  ];
}

/**
 * A stacked bar of `total` split into segments (largest remainder, so the cells add up to the width; a
 * segment that is not zero gets at least one cell when there is room), and a legend wrapped to `width`.
 */
export function stackedBar(segments: readonly Segment[], total: number, width: number): Line[] {
  const w = Math.max(4, width);
  const sum = total > 0 ? total : segments.reduce((a, s) => a + s.mb, 0) || 1;
  const exact = segments.map((s) => (Math.max(0, s.mb) / sum) * w);
  const cells = exact.map(Math.floor);
  let left = w - cells.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r);
  for (const { i } of order) {
    if (left <= 0) break;
    cells[i]++;
    left--;
  }
  // Give tiny non-zero segments a cell, taken from the largest.
  segments.forEach((s, i) => {
    if (s.mb > 0 && cells[i] === 0) {
      const big = cells.indexOf(Math.max(...cells));
      if (cells[big] > 1) {
        cells[big]--;
        cells[i]++;
      }
    }
  });
  const bar: Span[] = segments.map((s, i) => span(s.glyph.repeat(cells[i]), s.role)).filter((s) => s.text);
  const legend: Line[] = [];
  let cur: Span[] = [];
  let curW = 0;
  for (const s of segments) {
    const pct = (100 * s.mb) / sum;
    const text = `${s.glyph} ${s.label} ${mbText(s.mb)} (${pct < 10 ? pct.toFixed(1) : pct.toFixed(0)}%)`;
    const item = [span(s.glyph, s.role), span(padRight(text.slice(1), 0))];
    if (curW > 0 && curW + 3 + text.length > w) {
      legend.push({ spans: cur });
      cur = [];
      curW = 0;
    }
    if (curW > 0) cur.push(span('   '));
    cur.push(...item);
    curW += (curW > 0 ? 3 : 0) + text.length;
  }
  if (cur.length) legend.push({ spans: cur });
  return [{ spans: bar }, ...legend];
}
