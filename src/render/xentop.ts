/**
 * xentop's screen (key `x`) as text, laid out as tools/xentop/xentop.c prints it: three summary lines,
 * a reverse-video header with the sort column bold, one row per domain with each field right-aligned to
 * its width and one space apart, the per-domain detail lines, and the key line at the bottom. The
 * simulated guests have no network interfaces or block devices, so those columns read as xentop shows
 * a domain with none: 0.
 */
import type { GuestSnapshot, HostSnapshot } from '../engine/snapshot.ts';
import { type Line, line, padLeft, type Span, span } from './text.ts';

export interface XenLayout {
  /** Index into XEN_FIELDS; `S` steps through them. */
  readonly sortField: number;
  readonly networks: boolean;
  readonly vbds: boolean;
  readonly tmem: boolean;
  readonly vcpus: boolean;
  readonly repeatHeader: boolean;
}

export const DEFAULT_XEN_LAYOUT: XenLayout = {
  sortField: 0,
  networks: false,
  vbds: false,
  tmem: true,
  vcpus: false,
  repeatHeader: false,
};

interface XenField {
  readonly header: string;
  readonly width: number;
  readonly print: (g: GuestSnapshot, totalKB: number) => string;
  /** Negative when a sorts before b. */
  readonly compare: (a: GuestSnapshot, b: GuestSnapshot) => number;
}

const memKB = (g: GuestSnapshot): number => Math.round(g.GRANT * 1024);
/** null: no maximum, printed `no limit` and sorted as the largest. */
const maxKB = (g: GuestSnapshot): number | null => (g.AMAX < 0 ? null : Math.round(g.AMAX * 1024));
const desc =
  (f: (g: GuestSnapshot) => number) =>
  (a: GuestSnapshot, b: GuestSnapshot): number =>
    f(b) - f(a);
const zero = (): number => 0;
/** A paused domain used no CPU since the last sample, as xentop would compute it. */
const cpuPct = (g: GuestSnapshot): number => (g.state === 'paused' ? 0 : g.cpuPercent);

const STATE_FLAGS = 'dsbcpr';
function stateFlags(g: GuestSnapshot): boolean[] {
  return [
    false,
    false,
    g.state === 'blocked',
    g.state === 'faulted',
    g.state === 'paused',
    g.state === 'running',
  ];
}
export const stateLetters = (g: GuestSnapshot): string =>
  stateFlags(g)
    .map((on, i) => (on ? STATE_FLAGS[i] : '-'))
    .join('');

export const XEN_FIELDS: readonly XenField[] = [
  {
    header: 'NAME',
    width: 10,
    print: (g) => padLeft(g.name.slice(0, 10), 10),
    compare: (a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }),
  },
  {
    header: 'STATE',
    width: 6,
    print: (g) => stateLetters(g),
    compare: (a, b) => {
      const fa = stateFlags(a);
      const fb = stateFlags(b);
      for (let i = 0; i < fa.length; i++) if (fa[i] !== fb[i]) return fa[i] ? -1 : 1;
      return 0;
    },
  },
  {
    header: 'CPU(sec)',
    width: 10,
    print: (g) => padLeft(Math.floor(g.cpuSeconds).toString(), 10),
    compare: desc((g) => g.cpuSeconds),
  },
  {
    header: 'CPU(%)',
    width: 6,
    print: (g) => padLeft(cpuPct(g).toFixed(1), 6),
    compare: desc(cpuPct),
  },
  { header: 'MEM(k)', width: 10, print: (g) => padLeft(String(memKB(g)), 10), compare: desc(memKB) },
  {
    header: 'MEM(%)',
    width: 6,
    print: (g, total) => padLeft(((memKB(g) / total) * 100).toFixed(1), 6),
    compare: desc(memKB),
  },
  {
    header: 'MAXMEM(k)',
    width: 10,
    print: (g) => padLeft(maxKB(g) === null ? 'no limit' : String(maxKB(g)), 10),
    compare: desc((g) => maxKB(g) ?? Number.MAX_SAFE_INTEGER),
  },
  {
    header: 'MAXMEM(%)',
    width: 9,
    print: (g, total) => {
      const m = maxKB(g);
      return padLeft(m === null ? 'n/a' : ((m / total) * 100).toFixed(1), 9);
    },
    compare: desc((g) => maxKB(g) ?? Number.MAX_SAFE_INTEGER),
  },
  { header: 'VCPUS', width: 5, print: (g) => padLeft(String(g.vcpus), 5), compare: desc((g) => g.vcpus) },
  { header: 'NETS', width: 4, print: () => padLeft('0', 4), compare: zero },
  { header: 'NETTX(k)', width: 8, print: () => padLeft('0', 8), compare: zero },
  { header: 'NETRX(k)', width: 8, print: () => padLeft('0', 8), compare: zero },
  { header: 'VBDS', width: 4, print: () => padLeft('0', 4), compare: zero },
  { header: 'VBD_OO', width: 8, print: () => padLeft('0', 8), compare: zero },
  { header: 'VBD_RD', width: 8, print: () => padLeft('0', 8), compare: zero },
  { header: 'VBD_WR', width: 8, print: () => padLeft('0', 8), compare: zero },
  { header: 'VBD_RSECT', width: 10, print: () => padLeft('0', 10), compare: zero },
  { header: 'VBD_WSECT', width: 10, print: () => padLeft('0', 10), compare: zero },
  { header: 'SSID', width: 4, print: () => padLeft('0', 4), compare: zero },
];

/**
 * The guests as xentop shows its domains: while the session's clock is paused, every domain that has not
 * crashed is paused (the engine itself knows no clock).
 */
export function domainsOf(snap: HostSnapshot): readonly GuestSnapshot[] {
  if (!snap.clock.paused) return snap.guests;
  return snap.guests.map((g) => (g.state === 'faulted' ? g : { ...g, state: 'paused' }));
}

export function sortDomains(guests: readonly GuestSnapshot[], sortField: number): GuestSnapshot[] {
  const f = XEN_FIELDS[sortField] ?? XEN_FIELDS[0];
  return [...guests].sort((a, b) => f.compare(a, b) || a.GID - b.GID);
}

/** The three summary lines. */
export function xentopSummary(snap: HostSnapshot): Line[] {
  const h = snap.host;
  const counts = { running: 0, blocked: 0, paused: 0, faulted: 0 };
  for (const g of domainsOf(snap)) counts[g.state]++;
  const total = Math.round(h.totalMB * 1024);
  const free = Math.round(h.freeMB * 1024);
  const freeable = Math.round(h.tmemMB * 1024);
  const mem =
    freeable > 0
      ? `Mem: ${total}k total, ${total - free}k used, ${free}k free, ${freeable}k freeable, `
      : `Mem: ${total}k total, ${total - free}k used, ${free}k free    `;
  return [
    line(`xentop - ${clockOf(snap.t)}   memvisor ${snap.personality}`),
    line(
      `${snap.guests.length} domains: ${counts.running} running, ${counts.blocked} blocked, ` +
        `${counts.paused} paused, ${counts.faulted} crashed, 0 dying, 0 shutdown `,
    ),
    line(`${mem}CPUs: n/a`),
  ];
}

function clockOf(t: number): string {
  const s = Math.floor(t) % 86400;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
}

export function xentopHeaderLine(layout: XenLayout, width: number): Line {
  const spans: Span[] = [];
  XEN_FIELDS.forEach((f, i) => {
    if (i > 0) spans.push(span(' ', 'tableHeader'));
    spans.push(span(padLeft(f.header, f.width), i === layout.sortField ? 'sortHeader' : 'tableHeader'));
  });
  const used = spans.reduce((a, s) => a + s.text.length, 0);
  if (used < width) spans.push(span(' '.repeat(width - used), 'tableHeader'));
  return { spans };
}

function domainLine(
  g: GuestSnapshot,
  layout: XenLayout,
  totalKB: number,
  selected: boolean,
  width: number,
): Line {
  const spans: Span[] = [];
  XEN_FIELDS.forEach((f, i) => {
    if (i > 0) spans.push(span(' '));
    spans.push(span(f.print(g, totalKB), i === layout.sortField ? 'sortCell' : undefined));
  });
  if (!selected) return { spans };
  const used = spans.reduce((a, s) => a + s.text.length, 0);
  if (used < width) spans.push(span(' '.repeat(width - used)));
  return { spans, role: 'selected' };
}

/** xentop's `Tmem:` line, printed only when one of its counters is not zero. */
export function tmemLine(g: GuestSnapshot): Line | null {
  const v = [g['Curr eph pages'], g['Succ eph gets'], g['Succ pers puts'], g['Succ pers gets']].map(
    (x) => x ?? 0,
  );
  if (v.every((x) => x === 0)) return null;
  const p = (x: number): string => padLeft(String(Math.round(x)), 8);
  return line(
    `Tmem:  Curr eph pages: ${p(v[0])}   Succ eph gets: ${p(v[1])}   ` +
      `Succ pers puts: ${p(v[2])}   Succ pers gets: ${p(v[3])}`,
  );
}

/** `VCPUs(sec):` with each vCPU's share of the guest's CPU time, five to a line. */
export function vcpuLines(g: GuestSnapshot): Line[] {
  const each = Math.floor(g.cpuSeconds / Math.max(1, g.vcpus));
  let text = 'VCPUs(sec): ';
  const out: Line[] = [];
  for (let i = 0; i < g.vcpus; i++) {
    if (i !== 0 && i % 5 === 0) {
      out.push(line(text));
      text = '        ';
    }
    text += ` ${padLeft(String(i), 2)}: ${padLeft(String(each), 10)}s`;
  }
  out.push(line(text));
  return out;
}

export interface XenTableOptions {
  readonly width: number;
  readonly height: number;
  /** First domain shown (xentop's Up/Down scroll it). */
  readonly top: number;
  readonly selectedGid: number | null;
}

/** The header and domain rows with their detail lines, cut to `height` lines as xentop stops at the screen's end. */
export function xentopTable(snap: HostSnapshot, layout: XenLayout, opts: XenTableOptions): Line[] {
  return xentopPage(snap, layout, opts).lines;
}

/** The table's lines and the domains whose row made it onto them, in order. */
export function xentopPage(
  snap: HostSnapshot,
  layout: XenLayout,
  opts: XenTableOptions,
): { lines: Line[]; gids: number[] } {
  const domains = sortDomains(domainsOf(snap), layout.sortField);
  const totalKB = Math.max(1, snap.host.totalMB * 1024);
  const first = Math.max(0, Math.min(opts.top, domains.length - 1));
  const out: Line[] = [];
  const gids: number[] = [];
  for (let i = first; i < domains.length; i++) {
    const g = domains[i];
    if (i === first || layout.repeatHeader) out.push(xentopHeaderLine(layout, opts.width));
    if (out.length >= opts.height) break;
    out.push(domainLine(g, layout, totalKB, g.GID === opts.selectedGid, opts.width));
    gids.push(g.GID);
    if (layout.vcpus) out.push(...vcpuLines(g));
    if (layout.tmem) {
      const t = tmemLine(g);
      if (t) out.push(t);
    }
    if (out.length >= opts.height) break;
  }
  if (domains.length === 0) out.push(xentopHeaderLine(layout, opts.width));
  return { lines: out.slice(0, opts.height), gids };
}

/** The bottom line: each key letter in reverse video, active toggles highlighted; or a prompt. */
export function xentopKeyLine(layout: XenLayout): Line {
  const on = (active: boolean): 'keyActive' | undefined => (active ? 'keyActive' : undefined);
  return line(
    '  ',
    span('D', 'key'),
    'elay  ',
    span('N', 'key'),
    span('etworks', on(layout.networks)),
    '  ',
    span('v', on(layout.vbds)),
    span('B', 'key'),
    span('ds', on(layout.vbds)),
    '  ',
    span('T', 'key'),
    span('mem', on(layout.tmem)),
    '  ',
    span('V', 'key'),
    span('CPUs', on(layout.vcpus)),
    '  ',
    span('R', 'key'),
    span('epeat header', on(layout.repeatHeader)),
    '  ',
    span('S', 'key'),
    'ort order  ',
    span('Q', 'key'),
    'uit  ',
  );
}
