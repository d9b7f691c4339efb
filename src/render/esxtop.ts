/**
 * esxtop's memory screen (key `m`) as text: the header lines and the per-guest table, with esxtop's
 * field groups (toggled with `f`, reordered with `o`), a sort on any column, and `V` to hide the
 * non-VM row. Sizes are MB with two decimals as esxtop prints them; a counter the host personality
 * does not have (null in the snapshot) reads `n/a`.
 */
import type { GuestSnapshot, HostSnapshot } from '../engine/snapshot.ts';
import { blank, type Line, line, mb2, padLeft, padRight, type Role, type Span, span } from './text.ts';

export type CellValue = number | string | boolean | null;

export interface EsxColumn {
  /** The header, as esxtop prints it. */
  readonly id: string;
  readonly width: number;
  readonly align: 'left' | 'right';
  /** Numbers sort largest first when a sort key is first pressed; names and ids smallest first. */
  readonly firstDesc: boolean;
  readonly value: (g: GuestSnapshot) => CellValue;
  readonly format: (v: number) => string;
}

const sizeCol = (id: keyof GuestSnapshot & string, width = 9): EsxColumn => ({
  id,
  width,
  align: 'right',
  firstDesc: true,
  value: (g) => g[id] as CellValue,
  format: mb2,
});
const pctCol = (id: keyof GuestSnapshot & string): EsxColumn => ({
  id,
  width: 6,
  align: 'right',
  firstDesc: true,
  value: (g) => g[id] as CellValue,
  format: (v) => v.toFixed(0),
});
const rateCol = (id: keyof GuestSnapshot & string): EsxColumn => ({
  id,
  width: 7,
  align: 'right',
  firstDesc: true,
  value: (g) => g[id] as CellValue,
  format: mb2,
});
const intCol = (id: string, width: number, value: (g: GuestSnapshot) => CellValue): EsxColumn => ({
  id,
  width,
  align: 'right',
  firstDesc: true,
  value,
  format: (v) => v.toFixed(0),
});

export const ESX_COLUMNS: readonly EsxColumn[] = [
  { ...intCol('GID', 6, (g) => g.GID), firstDesc: false },
  {
    id: 'NAME',
    width: 16,
    align: 'left',
    firstDesc: false,
    value: (g) => g.name,
    format: String,
  },
  sizeCol('MEMSZ'),
  sizeCol('GRANT'),
  sizeCol('CNSM'),
  sizeCol('SZTGT'),
  sizeCol('TCHD'),
  sizeCol('TCHD_W'),
  pctCol('%ACTV'),
  pctCol('%ACTVS'),
  pctCol('%ACTVF'),
  pctCol('%ACTVN'),
  { id: 'MCTL?', width: 5, align: 'right', firstDesc: true, value: (g) => g['MCTL?'], format: String },
  sizeCol('MCTLSZ'),
  sizeCol('MCTLTGT'),
  sizeCol('MCTLMAX'),
  sizeCol('SWCUR'),
  sizeCol('SWTGT'),
  rateCol('SWR/s'),
  rateCol('SWW/s'),
  sizeCol('CACHESZ'),
  sizeCol('CACHEUSD'),
  rateCol('ZIP/s'),
  rateCol('UNZIP/s'),
  sizeCol('SHRD'),
  sizeCol('ZERO'),
  sizeCol('SHRDSVD'),
  sizeCol('COWH'),
  sizeCol('OVHD', 8),
  intCol('AMIN', 8, (g) => g.AMIN),
  intCol('AMAX', 8, (g) => g.AMAX),
  intCol('ASHRS', 8, (g) => g.ASHRS),
  intCol('THRU', 9, (g) => g.THRU),
];

const COLUMN_BY_ID = new Map(ESX_COLUMNS.map((c) => [c.id, c]));
export const esxColumn = (id: string): EsxColumn | undefined => COLUMN_BY_ID.get(id);

/** esxtop's field groups: what `f` turns on and off and `o` moves, each with its letter. */
export interface EsxGroup {
  readonly letter: string;
  readonly name: string;
  readonly description: string;
  readonly columns: readonly string[];
}

export const ESX_GROUPS: readonly EsxGroup[] = [
  { letter: 'A', name: 'GID', description: 'Group Id', columns: ['GID'] },
  { letter: 'B', name: 'NAME', description: 'Name', columns: ['NAME'] },
  { letter: 'C', name: 'MEMSZ', description: 'MEM Size (MB)', columns: ['MEMSZ'] },
  { letter: 'D', name: 'GRANT', description: 'MEM Granted Size (MB)', columns: ['GRANT'] },
  { letter: 'E', name: 'CNSM', description: 'MEM Consumed Size (MB)', columns: ['CNSM'] },
  { letter: 'F', name: 'SZTGT', description: 'MEM Target Size (MB)', columns: ['SZTGT'] },
  { letter: 'G', name: 'TCHD', description: 'MEM Touched (MB)', columns: ['TCHD', 'TCHD_W'] },
  {
    letter: 'H',
    name: '%ACTV',
    description: 'MEM Active (%)',
    columns: ['%ACTV', '%ACTVS', '%ACTVF', '%ACTVN'],
  },
  {
    letter: 'I',
    name: 'MCTL',
    description: 'MEM Ctl: balloon (MB)',
    columns: ['MCTL?', 'MCTLSZ', 'MCTLTGT', 'MCTLMAX'],
  },
  { letter: 'J', name: 'SWAP', description: 'MEM Swap (MB)', columns: ['SWCUR', 'SWTGT', 'SWR/s', 'SWW/s'] },
  {
    letter: 'K',
    name: 'CMT',
    description: 'MEM Compression (MB)',
    columns: ['CACHESZ', 'CACHEUSD', 'ZIP/s', 'UNZIP/s'],
  },
  { letter: 'L', name: 'SHARE', description: 'MEM Share (MB)', columns: ['SHRD', 'ZERO', 'SHRDSVD', 'COWH'] },
  { letter: 'M', name: 'OVHD', description: 'MEM Overhead (MB)', columns: ['OVHD'] },
  {
    letter: 'N',
    name: 'ALLOC',
    description: 'MEM Alloc: reservation, limit, shares',
    columns: ['AMIN', 'AMAX', 'ASHRS'],
  },
  { letter: 'O', name: 'THRU', description: 'Guest throughput (ops/s)', columns: ['THRU'] },
];

export interface EsxSort {
  readonly column: string;
  readonly desc: boolean;
}

export interface EsxLayout {
  /** Group letters in display order (all of them). */
  readonly order: string;
  /** Letters of the groups shown. */
  readonly visible: string;
  readonly sort: EsxSort;
  /** `V`: only virtual machines, without the hypervisor's own row. */
  readonly vmsOnly: boolean;
}

export const DEFAULT_ESX_LAYOUT: EsxLayout = {
  order: ESX_GROUPS.map((g) => g.letter).join(''),
  visible: 'ABCDEFGHIJKLMNO',
  sort: { column: 'GID', desc: false },
  vmsOnly: false,
};

/** The columns shown, in order. */
export function visibleColumns(layout: EsxLayout): EsxColumn[] {
  const out: EsxColumn[] = [];
  for (const letter of layout.order) {
    if (!layout.visible.includes(letter)) continue;
    const group = ESX_GROUPS.find((g) => g.letter === letter);
    for (const id of group?.columns ?? []) {
      const c = esxColumn(id);
      if (c) out.push(c);
    }
  }
  return out;
}

/** Guests in sort order; null (n/a) sorts last either way, ties by GID. */
export function sortGuests(guests: readonly GuestSnapshot[], sort: EsxSort): GuestSnapshot[] {
  const col = esxColumn(sort.column) ?? ESX_COLUMNS[0];
  const dir = sort.desc ? -1 : 1;
  return [...guests].sort((a, b) => {
    const va = col.value(a);
    const vb = col.value(b);
    if (va === null || vb === null) {
      if (va === vb) return a.GID - b.GID;
      return va === null ? 1 : -1;
    }
    let c: number;
    if (typeof va === 'string' && typeof vb === 'string')
      c = va.localeCompare(vb, 'en', { sensitivity: 'base' });
    else c = Number(va) - Number(vb);
    return c !== 0 ? c * dir : a.GID - b.GID;
  });
}

export function formatCell(col: EsxColumn, v: CellValue): string {
  if (v === null) return 'n/a';
  if (typeof v === 'boolean') return v ? 'Y' : 'N';
  if (typeof v === 'string') return v;
  return col.format(v);
}

// ---- header lines -------------------------------------------------------------------------------

/** Simulated seconds as esxtop's clock, as if the host booted at midnight: `12:05:09am`. */
export function esxClock(t: number): string {
  const s = Math.floor(t) % 86400;
  const h24 = Math.floor(s / 3600);
  const h = h24 % 12 === 0 ? 12 : h24 % 12;
  const m = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const sec = String(s % 60).padStart(2, '0');
  return `${h}:${m}:${sec}${h24 < 12 ? 'am' : 'pm'}`;
}

/** esxtop's uptime: `50 min`, `3:07`, `2 days 3:07`. */
export function esxUptime(t: number): string {
  const min = Math.floor(t / 60);
  if (min < 60) return `${min} min`;
  const days = Math.floor(min / 1440);
  const hm = `${Math.floor((min % 1440) / 60)}:${String(min % 60).padStart(2, '0')}`;
  return days > 0 ? `${days} day${days === 1 ? '' : 's'} ${hm}` : hm;
}

const STATE_ROLE: Record<string, Role> = { high: 'high', soft: 'soft', hard: 'hard', low: 'low' };
const n0 = (x: number, w: number): string => padLeft(x.toFixed(0), w);
const n2 = (x: number, w: number): string => padLeft(x.toFixed(2), w);

/** The seven header lines, as esxtop lays them out. */
export function esxtopHeader(snap: HostSnapshot): Line[] {
  const h = snap.host;
  const vcpus = snap.guests.reduce((a, g) => a + g.vcpus, 0);
  const oc = h.overcommit.map((x) => x.toFixed(2)).join(', ');
  const other = Math.max(0, h.totalMB - h.vmkMB - h.freeMB);
  const managed = h.totalMB - h.vmkMB;
  const rsvd = snap.guests.reduce((a, g) => a + g.AMIN + g.OVHD, 0);
  const vms = snap.guests.length;
  const m = snap.mechanisms;
  // A mechanism the personality lacks reads n/a, as its columns do.
  const or = (has: boolean, text: string, w: number): string => (has ? text : padLeft('n/a', w));
  return [
    line(
      `${padLeft(esxClock(snap.t), 10)} up ${esxUptime(snap.t)}, ${vms} VM${vms === 1 ? '' : 's'}, ` +
        `${vcpus} vCPU${vcpus === 1 ? '' : 's'}; MEM overcommit avg: ${oc}`,
    ),
    line(
      span('PMEM  /MB: ', 'label'),
      `${n0(h.totalMB, 6)}   total: ${n0(h.vmkMB, 6)}     vmk,${n0(other, 6)} other, ${n0(h.freeMB, 6)} free`,
    ),
    line(
      span('VMKMEM/MB: ', 'label'),
      `${n0(managed, 6)} managed: ${n0(h.thresholdsMB.high, 5)} minfree, ${n0(rsvd, 6)} rsvd, ` +
        `${n0(Math.max(0, managed - rsvd), 6)} ursvd,  `,
      span(`${h.state} state`, STATE_ROLE[h.state]),
    ),
    line(
      span('PSHARE/MB: ', 'label'),
      `${or(m.sharing, n0(h.pshare.shared, 7), 7)}  shared, ${or(m.sharing, n0(h.pshare.common, 7), 7)}  common: ` +
        `${or(m.sharing, n0(h.pshare.saving, 7), 7)} saving`,
    ),
    line(
      span('SWAP  /MB: ', 'label'),
      `${or(m.swap, n0(h.swap.curr, 7), 7)}    curr, ${or(m.swap, n0(h.swap.rclmtgt, 7), 7)} rclmtgt: ` +
        `${' '.repeat(12)}${or(m.swap, n2(h.swap.readMBs, 6), 6)} r/s, ${or(m.swap, n2(h.swap.writeMBs, 6), 6)} w/s`,
    ),
    line(
      span('ZIP   /MB: ', 'label'),
      `${or(m.zip, n0(h.zip.zipped, 7), 7)}  zipped, ${or(m.zip, n0(h.zip.saved, 7), 7)}   saved`,
    ),
    line(
      span('MEMCTL/MB: ', 'label'),
      `${or(m.balloon, n0(h.memctl.curr, 7), 7)}    curr, ${or(m.balloon, n0(h.memctl.target, 7), 7)}  target, ` +
        `${or(m.balloon, n0(h.memctl.max, 7), 7)} max`,
    ),
  ];
}

// ---- the table ----------------------------------------------------------------------------------

export interface EsxTableOptions {
  readonly width: number;
  /** Lines for the table, its column header included. */
  readonly height: number;
  readonly selectedGid: number | null;
  /** Index of the first guest row shown. */
  readonly top: number;
  /** Scrolling columns skipped on the left (GID and NAME stay). */
  readonly hscroll: number;
}

interface Row {
  readonly gid: number | null;
  readonly cells: readonly (CellValue | '')[];
}

/** The hypervisor's own row, shown unless `V` (VMs only): only what it consumes is known. */
function systemRow(snap: HostSnapshot, cols: readonly EsxColumn[]): Row {
  const values: Record<string, CellValue | ''> = {
    GID: 0,
    NAME: 'system',
    GRANT: snap.host.vmkMB,
    CNSM: snap.host.vmkMB,
    THRU: '',
  };
  return { gid: null, cells: cols.map((c) => (c.id in values ? values[c.id] : '')) };
}

/** Columns that stay when scrolling sideways: GID and NAME while they lead. */
function pinnedCount(cols: readonly EsxColumn[]): number {
  let n = 0;
  while (n < cols.length && (cols[n].id === 'GID' || cols[n].id === 'NAME')) n++;
  return n;
}

/** The largest useful horizontal scroll for this layout. */
export function maxHscroll(layout: EsxLayout): number {
  const cols = visibleColumns(layout);
  return Math.max(0, cols.length - pinnedCount(cols) - 1);
}

/** Guest rows that fit under the column header. */
export const esxTableRows = (height: number): number => Math.max(0, height - 1);

export function esxtopTable(snap: HostSnapshot, layout: EsxLayout, opts: EsxTableOptions): Line[] {
  const all = visibleColumns(layout);
  const pinned = pinnedCount(all);
  const hs = Math.min(Math.max(0, opts.hscroll), Math.max(0, all.length - pinned - 1));
  const cols = [...all.slice(0, pinned), ...all.slice(pinned + hs)];
  const guests = sortGuests(snap.guests, layout.sort);
  const rows: Row[] = guests.map((g) => ({ gid: g.GID, cells: cols.map((c) => c.value(g)) }));
  const system = layout.vmsOnly ? [] : [systemRow(snap, cols)];
  const capacity = esxTableRows(opts.height) - system.length;
  const top = Math.max(0, Math.min(opts.top, rows.length - capacity));
  const shown = [...system, ...rows.slice(top, top + Math.max(0, capacity))];

  const texts = shown.map((r) => r.cells.map((v, i) => (v === '' ? '' : formatCell(cols[i], v))));
  const widths = cols.map((c, i) =>
    Math.max(c.width, c.id.length, ...texts.map((t) => (c.id === 'NAME' ? 0 : t[i].length))),
  );
  const pad = (text: string, i: number): string => {
    const c = cols[i];
    if (c.align === 'left')
      return padRight(text.length > widths[i] ? text.slice(0, widths[i]) : text, widths[i]);
    return padLeft(text, widths[i]);
  };

  const header: Span[] = [];
  cols.forEach((c, i) => {
    if (i > 0) header.push(span(' ', 'tableHeader'));
    header.push(span(pad(c.id, i), c.id === layout.sort.column ? 'sortHeader' : 'tableHeader'));
  });
  const used = header.reduce((a, s) => a + s.text.length, 0);
  if (used < opts.width) header.push(span(' '.repeat(opts.width - used), 'tableHeader'));
  const out: Line[] = [{ spans: header }];

  shown.forEach((r, ri) => {
    // One span per run of cells that look the same: 64 rows of 30 cells would otherwise be 4000 spans.
    const spans: Span[] = [];
    let run = '';
    let runRole: Role | undefined;
    texts[ri].forEach((t, i) => {
      const role: Role | undefined = t === 'n/a' ? 'na' : r.gid === null ? 'dim' : undefined;
      const text = (i > 0 ? ' ' : '') + pad(t, i);
      if (role !== runRole && run) {
        spans.push(span(run, runRole));
        run = '';
      }
      runRole = role;
      run += text;
    });
    if (run) spans.push(span(run, runRole));
    const selected = r.gid !== null && r.gid === opts.selectedGid;
    if (selected) {
      const w = spans.reduce((a, s) => a + s.text.length, 0);
      if (w < opts.width) spans.push(span(' '.repeat(opts.width - w)));
      out.push({ spans, role: 'selected' });
    } else out.push({ spans });
  });
  if (rows.length === 0) {
    const why = snap.powerOn
      ? `  powering the preset's guests on: ${snap.powerOn.done} of ${snap.powerOn.of}`
      : '  no guests: press a to add one, or : for a command';
    out.push(line(span(why, 'dim')));
  }
  return out.length > 0 ? out : [blank];
}
