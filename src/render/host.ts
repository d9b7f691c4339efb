/** The host pane (key `g`): the free-state gauge, what host memory holds, and charts over time. */
import type { HostSnapshot, Mechanisms } from '../engine/snapshot.ts';
import { type ChartSpec, chartGrid, chartHeightFor } from './braille.ts';
import { freeStateGauge, hostSegments, stackedBar } from './gauge.ts';
import type { History, HostSeries } from './history.ts';
import { blank, compact, frame, type Line, line, mb2, mbScale, type Role, span } from './text.ts';

interface HostChart {
  readonly key: HostSeries;
  readonly title: string;
  readonly unit: string;
  readonly role: Role;
  /** The mechanism behind the series: a personality without it has no such chart. */
  readonly needs?: keyof Mechanisms;
}

const HOST_CHARTS: readonly HostChart[] = [
  { key: 'free', title: 'free', unit: 'MB', role: 'memFree' },
  { key: 'private', title: 'private', unit: 'MB', role: 'memPrivate' },
  { key: 'shared', title: 'shared', unit: 'MB', role: 'memShared', needs: 'sharing' },
  { key: 'balloon', title: 'balloon (MEMCTL)', unit: 'MB', role: 'memBalloon', needs: 'balloon' },
  { key: 'swapped', title: 'host swap', unit: 'MB', role: 'memSwap', needs: 'swap' },
  { key: 'compressed', title: 'compression cache', unit: 'MB', role: 'memCompressed', needs: 'zip' },
  { key: 'tmem', title: 'tmem', unit: 'MB', role: 'memTmem', needs: 'tmem' },
  { key: 'overhead', title: 'overhead', unit: 'MB', role: 'memOverhead' },
  { key: 'thru', title: 'throughput', unit: 'ops/s', role: 'series8' },
];

/** The charts this personality has (of `keys`, when given). */
const chartsOf = (snap: HostSnapshot, keys?: readonly HostSeries[]): HostChart[] =>
  HOST_CHARTS.filter((c) => (!keys || keys.includes(c.key)) && (!c.needs || snap.mechanisms[c.needs]));

export function hostCharts(snap: HostSnapshot, history: History, keys?: readonly HostSeries[]): ChartSpec[] {
  const total = snap.host.totalMB;
  return chartsOf(snap, keys).map((c) => {
    const values = history.host[c.key].values();
    const last = values.length > 0 ? values[values.length - 1] : Number.NaN;
    const isMB = c.unit === 'MB';
    return {
      title: c.title,
      now: Number.isNaN(last) ? 'n/a' : isMB ? `${mb2(last)} MB` : `${compact(last)} ${c.unit}`,
      values,
      role: c.role,
      scale: isMB && (c.key === 'free' || c.key === 'private') ? { min: 0, max: total } : undefined,
      maxLabel: (max: number) => (isMB ? `max ${mbScale(max)}` : `max ${compact(max)}`),
    };
  });
}

export function hostPane(snap: HostSnapshot, history: History, width: number, height: number): Line[] {
  const h = snap.host;
  const out: Line[] = [];
  out.push(
    line(
      span('Host ', 'title'),
      `${snap.personality}  ${mb2(h.totalMB)} MB  ${snap.guests.length} guests  vmk ${mb2(h.vmkMB)} MB  ` +
        `overcommit ${h.overcommit.map((x) => x.toFixed(2)).join(', ')}`,
    ),
  );
  out.push(...freeStateGauge(h, Math.min(width, 120)));
  out.push(blank);
  out.push(
    line(
      span('Host memory', 'label'),
      span(
        `  ${hostSegments(h, snap.mechanisms)
          .map((x) => x.label)
          .join(' + ')} = total`,
        'dim',
      ),
    ),
  );
  out.push(...stackedBar(hostSegments(h, snap.mechanisms), h.totalMB, Math.min(width, 120)));
  out.push(blank);
  const left = height - out.length;
  const columns = width >= 150 ? 3 : 2;
  let keys: HostSeries[] | undefined;
  let chartH = chartHeightFor(left, chartsOf(snap).length, columns);
  if (chartH < 2) {
    keys = ['free', 'private', 'shared', 'balloon', 'swapped', 'thru'];
    chartH = chartHeightFor(left, chartsOf(snap, keys).length, columns);
  }
  if (chartH < 1) {
    keys = ['free', 'thru'];
    chartH = chartHeightFor(left, keys.length, columns);
  }
  if (chartH >= 1)
    out.push(...chartGrid(hostCharts(snap, history, keys), width, columns, Math.min(chartH, 8)));
  return frame(out, height);
}
