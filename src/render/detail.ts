/**
 * Guest detail (Enter on a guest): charts of what the host does to it, the guest OS's own view (what the
 * hypervisor cannot see), its settings and its workloads.
 */
import type { GuestSnapshot, HostSnapshot } from '../engine/snapshot.ts';
import { type ChartSpec, chartGrid, chartHeightFor } from './braille.ts';
import { type Segment, stackedBar } from './gauge.ts';
import type { GuestSeries, History } from './history.ts';
import {
  beside,
  blank,
  cell,
  compact,
  frame,
  type Line,
  line,
  mb2,
  mbScale,
  mbText,
  type Role,
  span,
} from './text.ts';

interface GuestChart {
  readonly key: GuestSeries;
  readonly title: string;
  readonly role: Role;
}

const GUEST_CHARTS: readonly GuestChart[] = [
  { key: 'consumed', title: 'consumed', role: 'memPrivate' },
  { key: 'active', title: 'active', role: 'series3' },
  { key: 'balloon', title: 'balloon', role: 'memBalloon' },
  { key: 'swapped', title: 'swapped', role: 'memSwap' },
  { key: 'shared', title: 'shared', role: 'memShared' },
  { key: 'compressed', title: 'compressed', role: 'memCompressed' },
  { key: 'tmem', title: 'tmem', role: 'memTmem' },
  { key: 'thru', title: 'throughput', role: 'series8' },
];

export function guestCharts(g: GuestSnapshot, history: History, keys?: readonly GuestSeries[]): ChartSpec[] {
  const rings = history.guest(g.GID);
  return GUEST_CHARTS.filter((c) => !keys || keys.includes(c.key)).map((c) => {
    const values = rings ? rings[c.key].values() : new Float64Array(0);
    const last = values.length > 0 ? values[values.length - 1] : Number.NaN;
    const thru = c.key === 'thru';
    return {
      title: c.title,
      now: Number.isNaN(last) ? 'n/a' : thru ? `${compact(last)} ops/s` : `${mb2(last)} MB`,
      values,
      role: c.role,
      scale: thru ? undefined : { min: 0, max: g.MEMSZ > 0 ? g.MEMSZ : undefined },
      maxLabel: (max: number) => (thru ? `max ${compact(max)}` : `of ${mbScale(max)}`),
    };
  });
}

/** The guest OS's own view: free, page cache, process memory, kernel, balloon, and its swap device. */
export function guestOsLines(g: GuestSnapshot, width: number): Line[] {
  const os = g.guestOs;
  const segments: Segment[] = [
    { label: 'processes', mb: os.anonMB, glyph: '█', role: 'memPrivate' },
    { label: 'page cache', mb: os.cacheCleanMB + os.cacheDirtyMB, glyph: '▓', role: 'memCache' },
    { label: 'kernel', mb: os.kernelMB, glyph: '#', role: 'memOverhead' },
    { label: 'balloon', mb: os.balloonMB, glyph: '▒', role: 'memBalloon' },
    { label: 'free', mb: os.freeMB, glyph: '.', role: 'memFree' },
  ];
  const swapPct = os.swapTotalMB > 0 ? (100 * os.swapUsedMB) / os.swapTotalMB : 0;
  return [
    line(span('Inside the guest', 'title'), span(`  (${g.os}: what the hypervisor cannot see)`, 'dim')),
    ...stackedBar(segments, g.MEMSZ, width),
    line(
      `page cache ${mbText(os.cacheCleanMB)} clean, ${mbText(os.cacheDirtyMB)} dirty;  committed ${mbText(os.committedMB)}`,
    ),
    line(
      `guest swap ${mbText(os.swapUsedMB)} of ${mbText(os.swapTotalMB)} (${swapPct.toFixed(0)}%)  ` +
        `in ${os.swapInsPerSec.toFixed(0)}/s  out ${os.swapOutsPerSec.toFixed(0)}/s`,
    ),
    // What reaches the guest's disk and swap device: page-cache misses tmem did not catch, writebacks.
    line(
      `storage pages read ${os.storageReadsPerSec.toFixed(0)}/s  written ${os.storageWritesPerSec.toFixed(0)}/s`,
    ),
    line(`since power-on ${os.storageReads} read, ${os.storageWrites} written, ${os.swapIns} swapped in`),
  ];
}

const na = (x: number | null, f: (v: number) => string = mb2): string => (x === null ? 'n/a' : f(x));

export function settingsLines(g: GuestSnapshot): Line[] {
  const kv = (k: string, v: string): Line => line(span(cell(k, 15, 'left'), 'label'), v);
  return [
    line(span('Settings', 'title')),
    kv('MEMSZ', `${mb2(g.MEMSZ)} MB`),
    kv('reservation', `${mb2(g.AMIN)} MB (AMIN)`),
    kv('limit', g.AMAX < 0 ? 'none (AMAX -1)' : `${mb2(g.AMAX)} MB (AMAX)`),
    kv('shares', `${g.ASHRS} (ASHRS)`),
    kv('vCPUs / OS', `${g.vcpus} / ${g.os}`),
    kv('balloon', `${g['MCTL?'] ? 'driver' : 'no driver'}, ${na(g.MCTLSZ)} of max ${na(g.MCTLMAX)} MB`),
    kv('target', `${mb2(g.SZTGT)} MB (SZTGT)   overhead ${mb2(g.OVHD)} MB`),
  ];
}

export function workloadLines(g: GuestSnapshot, width: number): Line[] {
  const head = `${cell('WORKLOAD', 12, 'left')} ${cell('TYPE', 14, 'left')} ${cell('STATE', 7, 'left')} ${cell('SIZE', 6)} ${cell('RESIDENT', 8)} ${cell('SWAPPED', 7)} ${cell('OPS/s', 7)}`;
  const out: Line[] = [line(span('Workloads', 'title'), span('  (w: start, stop, resize)', 'dim'))];
  out.push({ spans: [span(head.slice(0, width), 'tableHeader')] });
  if (g.workloads.length === 0) out.push(line(span('none running', 'dim')));
  for (const w of g.workloads) {
    out.push(
      line(
        `${cell(w.name, 12, 'left')} ${cell(w.type, 14, 'left')} ${cell(w.state, 7, 'left')} ${cell(w.sizeMB.toFixed(0), 6)} ` +
          `${cell(w.residentMB.toFixed(0), 8)} ${cell(w.swappedMB.toFixed(0), 7)} ${cell(compact(w.THRU), 7)}`,
      ),
    );
  }
  return out;
}

export function detailPane(
  snap: HostSnapshot,
  g: GuestSnapshot | undefined,
  history: History,
  width: number,
  height: number,
): Line[] {
  if (!g)
    return frame([line(span('The selected guest is gone.', 'warn'), '  Esc: back to the table')], height);
  const title = line(
    span(`${g.name}`, 'title'),
    `  GID ${g.GID}  ${g.state}  consumed ${mb2(g.CNSM)} of ${mb2(g.MEMSZ)} MB  target ${mb2(g.SZTGT)}  ` +
      `active ${g['%ACTV'].toFixed(0)}%  ${compact(g.THRU)} ops/s`,
    span(
      `   (${snap.guests.indexOf(g) + 1}/${snap.guests.length}, Left/Right: other guests, Esc: back)`,
      'dim',
    ),
  );
  const out: Line[] = [title];
  const left = height - 1;
  if (width >= 120) {
    const rightW = Math.min(70, Math.floor(width * 0.42));
    const chartsW = width - rightW - 2;
    const right = [
      ...guestOsLines(g, rightW),
      blank,
      ...settingsLines(g),
      blank,
      ...workloadLines(g, rightW),
    ];
    const chartH = Math.min(6, chartHeightFor(left, GUEST_CHARTS.length, 2));
    const charts = chartH >= 1 ? chartGrid(guestCharts(g, history), chartsW, 2, chartH) : [];
    out.push(...beside(charts, chartsW, right, 2));
  } else {
    const info = [
      ...guestOsLines(g, width),
      ...settingsLines(g).slice(0, 1),
      ...compactSettings(g),
      ...workloadLines(g, width),
    ];
    const chartRows = left - info.length - 1;
    let keys: GuestSeries[] | undefined;
    let chartH = chartHeightFor(chartRows, GUEST_CHARTS.length, 2);
    if (chartH < 1) {
      keys = ['consumed', 'balloon', 'swapped', 'thru'];
      chartH = chartHeightFor(chartRows, keys.length, 2);
    }
    if (chartH >= 1) out.push(...chartGrid(guestCharts(g, history, keys), width, 2, Math.min(chartH, 4)));
    out.push(blank, ...info);
  }
  return frame(out, height);
}

function compactSettings(g: GuestSnapshot): Line[] {
  return [
    line(
      `MEMSZ ${mb2(g.MEMSZ)}  AMIN ${mb2(g.AMIN)}  AMAX ${g.AMAX < 0 ? 'none' : mb2(g.AMAX)}  ASHRS ${g.ASHRS}  ` +
        `${g.vcpus} vCPU  balloon ${g['MCTL?'] ? 'yes' : 'no'} ${na(g.MCTLSZ)}/${na(g.MCTLMAX)}  OVHD ${mb2(g.OVHD)}`,
    ),
  ];
}
