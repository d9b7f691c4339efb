import type { GuestSnapshot, HostSnapshot } from '../engine/snapshot.ts';
import { blank, cell, frame, type Line, line, span, wrap } from './text.ts';

/**
 * The columns a compare pane shows per guest: what differs between products. Every MB column is whole
 * MB, THRU thousands of operations a second; a mechanism the product lacks reads n/a, never 0.
 */
const COLUMNS: readonly [string, number, (g: GuestSnapshot) => number | null][] = [
  ['CNSM', 8, (g) => g.CNSM],
  ['SZTGT', 8, (g) => g.SZTGT],
  ['MCTLSZ', 8, (g) => g.MCTLSZ],
  ['SWCUR', 8, (g) => g.SWCUR],
  ['ZIP', 7, (g) => g.zippedMB],
  ['SHRD', 7, (g) => g.SHRD],
  [
    'TMEM',
    7,
    (g) => (g['Curr eph pages'] === null ? null : (g['Curr eph pages'] + (g.tmem?.persPages ?? 0)) / 256),
  ],
  ['THRU', 8, (g) => g.THRU],
];
const NAME = 10;
export const COMPARE_PANE_WIDTH = NAME + COLUMNS.reduce((a, [, w]) => a + w + 1, 0);

const mb = (v: number): string => v.toFixed(0);
const kilo = (v: number): string => `${(v / 1000).toFixed(1)}k`;
const value = (name: string, v: number | null, w: number): string =>
  cell(v === null ? 'n/a' : name === 'THRU' ? kilo(v) : mb(v), w);

/** One personality's pane: its state and reclaim totals, then a row per guest. */
export function comparePane(s: HostSnapshot): Line[] {
  const h = s.host;
  const m = s.mechanisms;
  const title = line(
    span(s.personality.padEnd(NAME), 'title'),
    span(` ${h.state.toUpperCase()} `, h.state),
    span(` free ${mb(h.freeMB)} MB  THRU ${kilo(h.THRU)} ops/s`, 'text'),
  );
  const total = (name: string, has: boolean, v: number): string => `${name} ${has ? mb(v) : 'n/a'}`;
  const totals = line(
    span(
      `MB: ${[
        total('shared', m.sharing, h.pshare.saving),
        total('balloon', m.balloon, h.memctl.curr),
        total('zip', m.zip, h.zip.zipped),
        total('swap', m.swap, h.swap.curr),
        total('tmem', m.tmem, h.tmemMB),
      ].join('  ')}`,
      'dim',
    ),
  );
  const header = line(
    span('NAME'.padEnd(NAME) + COLUMNS.map(([name, w]) => ` ${cell(name, w)}`).join(''), 'tableHeader'),
  );
  const rows = s.guests.map((g) =>
    line(
      span(g.name.slice(0, NAME - 1).padEnd(NAME), 'text'),
      ...COLUMNS.map(([name, w, f]) => {
        const v = f(g);
        return span(` ${value(name, v, w)}`, v === null ? 'na' : 'value');
      }),
    ),
  );
  return [title, totals, header, ...rows];
}

/**
 * Every personality's pane, side by side as far as the width allows, the rest below: the same guests
 * under each product, at the same simulated time. Under them, each personality that could not run the
 * preset and why, so that none is missing without a word.
 */
export function compareScreen(
  snaps: readonly HostSnapshot[],
  width: number,
  height: number,
  refused: readonly string[] = [],
): Line[] {
  const perRow = Math.max(1, Math.floor((width + 2) / (COMPARE_PANE_WIDTH + 2)));
  const out: Line[] = [];
  for (let i = 0; i < snaps.length; i += perRow) {
    const panes = snaps.slice(i, i + perRow).map(comparePane);
    const tall = Math.max(...panes.map((p) => p.length));
    for (let r = 0; r < tall; r++) {
      const spans = panes.flatMap((p, k) => {
        const l = p[r] ?? blank;
        const text = l.spans.reduce((n, sp) => n + sp.text.length, 0);
        const pad = k < panes.length - 1 ? ' '.repeat(Math.max(0, COMPARE_PANE_WIDTH - text) + 2) : '';
        return [...l.spans, ...(pad ? [span(pad)] : [])];
      });
      out.push({ spans });
    }
    out.push(blank);
  }
  for (const r of refused) for (const l of wrap(r, width)) out.push(line(span(l, 'error')));
  return frame(out, height);
}
