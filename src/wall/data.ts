/**
 * What the wall shows, collected from a snapshot and the history: pure data (text lines with theme
 * roles, chart series, the words for the big displays), tested as data. The adapter (blessed.ts) only
 * hands it to widgets. Numbers are formatted as the dashboard formats the same counters (free MB as
 * esxtop's PMEM line, guest MB with two decimals as its columns, the host's composition with the host
 * pane's own bar), so the wall and the dashboard never disagree on a number for the same snapshot.
 */
import type { EngineEvent } from '../engine/events.ts';
import type { FreeState, GuestSnapshot, HostSnapshot } from '../engine/snapshot.ts';
import { freeStateGauge, hostSegments, stackedBar, thresholdPercents } from '../render/gauge.ts';
import type { History } from '../render/history.ts';
import {
  cell,
  clip,
  clock,
  type Line,
  line,
  mb2,
  mbText,
  padLeft,
  padRight,
  type Role,
  type Span,
  span,
  speedText,
  wrap,
} from '../render/text.ts';
import { inner, type WallLayout } from './layout.ts';

/** The wall's own state: what the keys change. */
export interface WallView {
  /** The guest shown large and highlighted in the list; null: the first. */
  readonly selectedGid: number | null;
  /** A one-line answer to the last key (a refusal, the theme chosen). */
  readonly message: string | null;
  /** Why the wall cannot change the host (it follows a shared one), or null. */
  readonly readOnly: string | null;
  /** The keys, as the status line lists them. */
  readonly keys: string;
}

/** A big display: a few characters, coloured by a role. */
export interface LcdData {
  readonly label: string;
  readonly text: string;
  /** How many characters the display has room for (kept for the host's life, so it does not jump). */
  readonly elements: number;
  readonly role: Role;
}

export interface ChartSeries {
  readonly title: string;
  readonly role: Role;
  readonly values: readonly number[];
}

export interface ChartData {
  readonly label: string;
  /** The top of the scale: a fifth above the highest point or threshold. */
  readonly maxY: number;
  /** One label per sample, oldest first. */
  readonly x: readonly string[];
  readonly series: readonly ChartSeries[];
}

export interface TextPanel {
  readonly label: string;
  readonly lines: readonly Line[];
}

export interface WallData {
  readonly stateLcd: LcdData;
  readonly freeLcd: LcdData;
  readonly thresholds: TextPanel;
  readonly composition: TextPanel;
  readonly freeChart: ChartData;
  readonly selected: TextPanel | null;
  readonly guests: TextPanel;
  readonly log: TextPanel;
  readonly status: Line;
  /** The guest the arrows point at, once matched to the guests there are (null: no guests). */
  readonly selectedGid: number | null;
}

const STATES: readonly FreeState[] = ['high', 'soft', 'hard', 'low'];

/** Free memory as esxtop's PMEM line prints it: whole MB. */
export const freeText = (s: HostSnapshot): string => s.host.freeMB.toFixed(0);
/** Free memory as a share of host memory, as the host pane's gauge prints it. */
export const freePercentText = (s: HostSnapshot): string =>
  (s.host.totalMB > 0 ? (100 * s.host.freeMB) / s.host.totalMB : 0).toFixed(1);

/** The first label that fits on a panel's top border `width` wide (the last one cut if none does). */
export function fitLabel(width: number, ...labels: string[]): string {
  const room = Math.max(0, width - 4);
  return labels.find((l) => l.length <= room) ?? labels[labels.length - 1].slice(0, room);
}

const pctText = (x: number): string => (Number.isInteger(x) ? `${x} %` : `${x.toFixed(1)} %`);

// ---- where a guest's memory went ------------------------------------------------------------------

export interface GuestPart {
  readonly label: string;
  /** For a legend on a narrow panel. */
  readonly short: string;
  readonly glyph: string;
  readonly role: Role;
  /** MB; null when the host's personality has no such mechanism. */
  readonly mb: (g: GuestSnapshot) => number | null;
}

const PAGES_PER_MB = 256;
const privateMB = (g: GuestSnapshot): number => Math.max(0, g.GRANT - (g.SHRD ?? 0));

/**
 * A guest's memory by where it is: the first three add up to what it consumes (CNSM: private frames,
 * its part of shared frames, its compression cache); the rest was taken from it.
 */
export const GUEST_PARTS: readonly GuestPart[] = [
  { label: 'private', short: 'priv', glyph: '█', role: 'memPrivate', mb: privateMB },
  {
    label: 'shared',
    short: 'shr',
    glyph: '▓',
    role: 'memShared',
    mb: (g) => (g.SHRD === null ? null : Math.max(0, g.CNSM - privateMB(g) - (g.CACHEUSD ?? 0))),
  },
  { label: 'zip', short: 'zip', glyph: '▒', role: 'memCompressed', mb: (g) => g.CACHEUSD },
  { label: 'balloon', short: 'bln', glyph: '░', role: 'memBalloon', mb: (g) => g.MCTLSZ },
  { label: 'swapped', short: 'swp', glyph: '▚', role: 'memSwap', mb: (g) => g.SWCUR },
  {
    label: 'tmem',
    short: 'tmem',
    glyph: '▪',
    role: 'memTmem',
    mb: (g) =>
      g['Curr eph pages'] === null
        ? null
        : Math.round((100 * (g['Curr eph pages'] + (g.tmem?.persPages ?? 0))) / PAGES_PER_MB) / 100,
  },
];

const TARGET_MARK = '|';
const LIMIT_MARK = '┃';

/** `width` cells of segments laid end to end on a scale of `scale` MB; the rest blank. */
function barSpans(
  parts: readonly { mb: number; glyph: string; role: Role }[],
  scale: number,
  width: number,
): { glyph: string; role: Role | undefined }[] {
  const cells: { glyph: string; role: Role | undefined }[] = [];
  let cum = 0;
  let at = 0;
  for (const p of parts) {
    cum += Math.max(0, p.mb);
    const end = Math.min(width, Math.round((cum / scale) * width));
    for (; at < end; at++) cells.push({ glyph: p.glyph, role: p.role });
  }
  for (; at < width; at++) cells.push({ glyph: '·', role: 'dim' });
  return cells;
}

/** Cells to spans, one span per run of the same role. */
function runs(cells: readonly { glyph: string; role: Role | undefined }[]): Span[] {
  const out: Span[] = [];
  let text = '';
  let role: Role | undefined;
  for (const c of cells) {
    if (c.role !== role && text) {
      out.push(span(text, role));
      text = '';
    }
    role = c.role;
    text += c.glyph;
  }
  if (text) out.push(span(text, role));
  return out;
}

/** One guest's bar: where its memory went, with its target and limit marked on the same scale. */
export function guestBar(g: GuestSnapshot, scale: number, width: number): Span[] {
  const parts = GUEST_PARTS.map((p) => ({ mb: p.mb(g) ?? 0, glyph: p.glyph, role: p.role }));
  const cells = barSpans(parts, scale, width);
  const mark = (mb: number, glyph: string, role: Role): void => {
    const x = Math.min(width - 1, Math.max(0, Math.round((mb / scale) * width) - 1));
    if (width > 0) cells[x] = { glyph, role };
  };
  if (g.AMAX >= 0) mark(g.AMAX, LIMIT_MARK, 'error');
  mark(g.SZTGT, TARGET_MARK, 'accent');
  return runs(cells);
}

const limitText = (g: GuestSnapshot): string => (g.AMAX < 0 ? 'none' : mb2(g.AMAX));

// ---- panels -------------------------------------------------------------------------------------

function thresholdsPanel(s: HostSnapshot, width: number, height: number): TextPanel {
  const h = s.host;
  const pct = thresholdPercents(h);
  const lines: Line[] = STATES.map((st) => {
    const now = st === h.state;
    const text = `${now ? '▶' : ' '} ${padRight(st, 5)}${padLeft(pctText(pct[st]), 6)} ${padLeft(h.thresholdsMB[st].toFixed(0), 6)} MB`;
    return now ? { ...line(span(text, st)), role: 'sortCell' as const } : line(span(text, st));
  });
  const gauge = freeStateGauge(h, width);
  if (height >= lines.length + 4) lines.push(line(' '), ...gauge.slice(1));
  else if (height >= lines.length + 2) lines.push(line(' '), gauge[1]);
  return {
    label: fitLabel(width + 2, 'free-memory thresholds (% of host memory)', 'thresholds'),
    lines: lines.map((l) => clip(l, width)),
  };
}

/** Items `glyph label value` laid out in as few lines of `width` as they fit. */
function legendLines(
  items: readonly { glyph: string; role: Role; text: string }[],
  width: number,
  gap = 2,
): Line[] {
  const out: Line[] = [];
  let cur: Span[] = [];
  let used = 0;
  for (const it of items) {
    const w = it.text.length + 2;
    if (used > 0 && used + gap + w > width) {
      out.push({ spans: cur });
      cur = [];
      used = 0;
    }
    if (used > 0) {
      cur.push(span(' '.repeat(gap)));
      used += gap;
    }
    cur.push(span(it.glyph, it.role), span(` ${it.text}`));
    used += w;
  }
  if (cur.length) out.push({ spans: cur });
  return out;
}

/** Short names for the host pane's segments, so the legend fits a panel a third of 80 columns wide. */
const SHORT: Record<string, string> = {
  private: 'priv',
  shared: 'shr',
  'compression cache': 'zip',
  overhead: 'ovhd',
};

/**
 * Host memory by use, with the host pane's own bar (the same cells), drawn thick; under it, what was
 * pushed out of RAM (ballooned, swapped) on the same scale.
 */
function compositionPanel(s: HostSnapshot, width: number, height: number): TextPanel {
  const h = s.host;
  // Only what the personality has, as the host pane shows it.
  const segments = hostSegments(h, s.mechanisms);
  const [bar] = stackedBar(segments, h.totalMB, width);
  const legend = legendLines(
    segments.map((g) => ({
      glyph: g.glyph,
      role: g.role,
      text: `${SHORT[g.label] ?? g.label} ${mbText(g.mb)}`,
    })),
    width,
    1,
  );
  const out = [
    ...(s.mechanisms.balloon
      ? [{ label: 'ballooned', glyph: '░', role: 'memBalloon' as Role, mb: h.memctl.curr }]
      : []),
    ...(s.mechanisms.swap
      ? [{ label: 'swapped', glyph: '▚', role: 'memSwap' as Role, mb: h.swap.curr }]
      : []),
  ];
  const outBar = runs(
    barSpans(
      out,
      Math.max(
        h.totalMB,
        out.reduce((a, p) => a + p.mb, 0),
      ),
      width,
    ).map((c) => (c.glyph === '·' ? { glyph: ' ', role: undefined } : c)),
  );
  const outLegend = legendLines(
    out.map((p) => ({ glyph: p.glyph, role: p.role, text: `${p.label} ${mbText(p.mb)}` })),
    width,
    1,
  );
  // Short of rows, the pushed-out bar goes first (its legend says the same in numbers).
  const below = [...legend, ...outLegend];
  const room = height - below.length;
  const thick = Math.max(1, Math.min(4, room - 1));
  const lines: Line[] = [
    ...Array.from({ length: thick }, () => bar),
    ...legend,
    ...(room >= 2 ? [{ spans: outBar }] : []),
    ...outLegend,
  ];
  return {
    label: fitLabel(width + 2, `host memory: ${h.totalMB.toFixed(0)} MB`, 'host memory'),
    lines: lines.slice(0, Math.max(0, height)).map((l) => clip(l, width)),
  };
}

function freeChart(s: HostSnapshot, history: History, width: number): ChartData {
  const all = history.host.free.values();
  // One sample a column: the chart draws two dots a column, and a line needs no more.
  const n = Math.min(all.length, Math.max(2, width));
  const free = Array.from(all.subarray(all.length - n));
  const dt = s.tick > 0 ? s.t / s.tick : 1;
  const x = free.map((_, i) => clock(Math.max(0, s.t - (n - 1 - i) * dt)));
  const flat = (v: number): number[] => free.map(() => v);
  return {
    label: fitLabel(
      width + 2,
      `free memory (MB) against the thresholds: now ${freeText(s)} MB`,
      `free memory (MB): now ${freeText(s)}`,
    ),
    maxY: Math.max(1, ...free, s.host.thresholdsMB.high) * 1.2,
    x,
    series: [
      { title: 'free', role: 'value', values: free },
      ...STATES.map((st) => ({ title: st, role: st as Role, values: flat(s.host.thresholdsMB[st]) })),
    ],
  };
}

/** The selected guest, large: its consumption against target and limit, and where its memory went. */
function selectedPanel(g: GuestSnapshot, width: number, height: number): TextPanel {
  const rows: { label: string; mb: number | null; role: Role; text?: string }[] = [
    { label: 'consumed', mb: g.CNSM, role: 'value' },
    { label: 'target', mb: g.SZTGT, role: 'accent' },
    { label: 'limit', mb: g.AMAX < 0 ? null : g.AMAX, role: 'error', text: limitText(g) },
    { label: 'memsz', mb: g.MEMSZ, role: 'dim' },
    ...GUEST_PARTS.map((p) => ({ label: p.label, mb: p.mb(g), role: p.role })),
  ];
  const scale = Math.max(1, g.MEMSZ, g.CNSM, g.SZTGT, g.AMAX);
  const labelW = 9;
  const numW = 8;
  const barW = Math.max(4, width - labelW - numW - 2);
  const head = line(
    span(g.name, 'title'),
    span(`  ${g.os}, ${g.vcpus} vCPU, ${g.state}   `, 'dim'),
    span(`${g.THRU.toFixed(0)} ops/s`, 'value'),
  );
  const thick = Math.max(1, Math.floor((height - 1) / rows.length));
  const lines: Line[] = [head];
  for (const r of rows) {
    const cells = r.mb === null ? 0 : Math.min(barW, Math.round((r.mb / scale) * barW));
    const number = r.text ?? (r.mb === null ? 'n/a' : mb2(r.mb));
    for (let i = 0; i < thick; i++) {
      lines.push(
        line(
          span(padRight(i === 0 ? r.label : '', labelW), 'label'),
          span('█'.repeat(cells), r.role),
          span(' '.repeat(barW - cells + 1)),
          span(i === 0 ? padLeft(number, numW) : '', r.mb === null ? 'na' : undefined),
        ),
      );
    }
  }
  return {
    label: fitLabel(
      width + 2,
      `${g.name}: consumed against target and limit, and where its memory went (MB)`,
      `${g.name} (MB)`,
    ),
    lines: lines.slice(0, Math.max(0, height)).map((l) => clip(l, width)),
  };
}

function guestsPanel(s: HostSnapshot, selectedGid: number | null, width: number, height: number): TextPanel {
  const guests = s.guests;
  const nameW = Math.max(
    4,
    Math.min(12, Math.floor(width / 6), Math.max(0, ...guests.map((g) => g.name.length))),
  );
  const wide = width >= 72;
  const numbers = (cnsm: string, tgt: string, lim: string, thru: string): string =>
    ` ${padLeft(cnsm, 8)} ${padLeft(tgt, 8)}${wide ? ` ${padLeft(lim, 8)}` : ''} ${padLeft(thru, 8)}`;
  const numW = numbers('', '', '', '').length;
  const barW = Math.max(4, width - nameW - 1 - numW);
  const scale = Math.max(1, ...guests.map((g) => Math.max(g.MEMSZ, g.AMAX, g.SZTGT)));
  const legendItems = (short: boolean) => [
    ...GUEST_PARTS.map((p) => ({ glyph: p.glyph, role: p.role, text: short ? p.short : p.label })),
    { glyph: TARGET_MARK, role: 'accent' as Role, text: short ? 'tgt' : 'target' },
    { glyph: LIMIT_MARK, role: 'error' as Role, text: short ? 'lim' : 'limit' },
  ];
  const full = legendLines(legendItems(false), width, 1);
  const legend = full.length === 1 ? full : legendLines(legendItems(true), width, 1);
  const header = line(
    span(
      padRight('NAME', nameW + 1) +
        cell('where its memory went', barW, 'left') +
        numbers('CNSM', 'SZTGT', 'LIMIT', 'OPS/s'),
      'tableHeader',
    ),
  );
  const index = Math.max(
    0,
    guests.findIndex((g) => g.GID === selectedGid),
  );
  const visible = Math.max(0, height - 1 - legend.length);
  const top = Math.max(0, Math.min(index - Math.floor(visible / 2), guests.length - visible));
  const rows = guests.slice(top, top + visible).map((g) => {
    const l: Line = {
      spans: [
        span(`${cell(g.name, nameW, 'left')} `, 'label'),
        ...guestBar(g, scale, barW),
        span(numbers(mb2(g.CNSM), mb2(g.SZTGT), limitText(g), g.THRU.toFixed(0))),
      ],
    };
    return g.GID === guests[index]?.GID ? { ...l, role: 'selected' as const } : l;
  });
  const body = guests.length === 0 ? [line(span('no guests', 'dim'))] : rows;
  const at = guests.length === 0 ? '' : `${guests[index].name}, ${index + 1} of ${guests.length}`;
  return {
    label: fitLabel(width + 2, `guests (MB): ${at}`, `guests: ${at}`, 'guests'),
    lines: [...legend, header, ...body].slice(0, Math.max(0, height)).map((l) => clip(l, width)),
  };
}

const KIND_ROLE: Partial<Record<EngineEvent['kind'], Role>> = {
  error: 'error',
  warning: 'warn',
  state: 'accent',
};

/** The newest events in words, wrapped to the panel, the newest at the bottom. */
function logPanel(events: readonly EngineEvent[], width: number, height: number): TextPanel {
  const out: Line[] = [];
  // Only the events that can show: walk back from the newest until the panel is full.
  for (let i = events.length - 1; i >= 0 && out.length < height; i--) {
    const e = events[i];
    const time = `${clock(e.t)} `;
    const who = e.guest ? `${e.guest} ` : '';
    const parts = wrap(e.message, Math.max(8, width - time.length - who.length));
    const first = line(span(time, 'dim'), span(who, 'label'), span(parts[0], KIND_ROLE[e.kind]));
    const rest = parts
      .slice(1)
      .map((p) => line(' '.repeat(time.length + who.length), span(p, KIND_ROLE[e.kind])));
    out.unshift(first, ...rest);
  }
  const shown = out.slice(Math.max(0, out.length - height));
  if (events.length === 0) shown.push(line(span('nothing has happened yet', 'dim')));
  return { label: 'events', lines: shown.map((l) => clip(l, width)) };
}

/**
 * The bottom row: what is running and the keys. The flags (paused, the time, the last answer or
 * read-only) come first and the keys keep their place at the right; the rest is cut when the row is
 * short, the title first.
 */
function statusLine(s: HostSnapshot, view: WallView, width: number): Line {
  const flags: Span[] = [];
  if (s.clock.paused) flags.push(span(' PAUSED ', 'paused'));
  flags.push(span(` t=${clock(s.t)} `, 'value'));
  const keys = ` ${view.keys} `;
  // The last answer (a refusal says read-only itself) in place of the read-only flag, cut before the keys are.
  const say = view.message
    ? span(` ${view.message} `, 'accent')
    : view.readOnly
      ? span(` ${view.readOnly} `, 'warn')
      : null;
  if (say) {
    const room = width - flags.reduce((a, x) => a + x.text.length, 0) - keys.length;
    flags.push(span(say.text.slice(0, Math.max(0, room)), say.role));
  }
  const details = ` ${s.personality}  ${speedText(s.clock).text}  seed ${s.seed}  ${s.guests.length} guests`;
  const title = ' memvisor wall ';
  const used = flags.reduce((a, x) => a + x.text.length, 0) + keys.length;
  const withTitle = width - used - title.length >= 20;
  const room = width - used - (withTitle ? title.length : 0);
  const shown = details.slice(0, Math.max(0, room));
  return clip(
    line(
      ...(withTitle ? [span(title, 'title')] : []),
      ...flags,
      shown,
      ' '.repeat(Math.max(0, room - shown.length)),
      span(keys, 'dim'),
    ),
    width,
  );
}

/** The guest the selection means: the one with that GID, or the first. */
export function selectedGuest(s: HostSnapshot, gid: number | null): GuestSnapshot | null {
  return s.guests.find((g) => g.GID === gid) ?? s.guests[0] ?? null;
}

/** Everything the wall shows for one snapshot, laid out for `layout`. */
export function wallData(
  s: HostSnapshot,
  history: History,
  events: readonly EngineEvent[],
  view: WallView,
  layout: WallLayout,
): WallData {
  const h = s.host;
  const sel = selectedGuest(s, view.selectedGid);
  const th = inner(layout.thresholds);
  const co = inner(layout.composition);
  const gu = inner(layout.guests);
  const lg = inner(layout.log);
  const totalDigits = h.totalMB.toFixed(0).length;
  return {
    stateLcd: {
      label: fitLabel(layout.stateLcd.width, 'free memory state', 'free state'),
      text: h.state.toUpperCase(),
      elements: 4,
      role: h.state,
    },
    freeLcd: {
      label: fitLabel(
        layout.freeLcd.width,
        `free MB: ${freePercentText(s)} % of ${h.totalMB.toFixed(0)} MB`,
        `free MB: ${freePercentText(s)} %`,
      ),
      text: padLeft(freeText(s), totalDigits),
      elements: Math.max(3, totalDigits),
      role: h.state,
    },
    thresholds: thresholdsPanel(s, th.width, th.height),
    composition: compositionPanel(s, co.width, co.height),
    freeChart: freeChart(s, history, inner(layout.freeChart).width),
    selected:
      layout.selected && sel
        ? selectedPanel(sel, inner(layout.selected).width, inner(layout.selected).height)
        : null,
    guests: guestsPanel(s, sel?.GID ?? null, gu.width, gu.height),
    log: logPanel(events, lg.width, lg.height),
    status: statusLine(s, view, layout.cols),
    selectedGid: sel?.GID ?? null,
  };
}
