/**
 * Moving around, as pure functions `(ui, snapshot, geometry) -> patch`: which guest is selected, how far
 * the tables, the event log, the help and the menus are scrolled, and keeping the selected guest on
 * screen. The controller applies the patches; nothing here reads the clock or the terminal.
 */
import type { HostSnapshot } from '../engine/snapshot.ts';
import { sortGuests } from '../render/esxtop.ts';
import { sortDomains, xentopPage } from '../render/xentop.ts';
import { esxCapacity, xenGeometry } from './frame.ts';
import { helpMaxScroll, helpRoom } from './panels.ts';
import type { UiState } from './state.ts';

/** What moving needs to know of the screen. */
export interface Geometry {
  readonly cols: number;
  /** Lines between the header line and the panels and status lines. */
  readonly bodyHeight: number;
  /** Events in the dashboard's event log. */
  readonly events: number;
}

export type Move = 'up' | 'down' | 'pageUp' | 'pageDown' | 'first' | 'last';

/** Guests in the order the current table shows them. */
export function orderedGids(ui: UiState, snap: HostSnapshot): number[] {
  const sorted =
    ui.table === 'xentop' ? sortDomains(snap.guests, ui.xen.sortField) : sortGuests(snap.guests, ui.esx.sort);
  return sorted.map((g) => g.GID);
}

/** The selection stays on its guest while it exists, else goes to the first one shown. */
export function fixSelection(ui: UiState, snap: HostSnapshot): Partial<UiState> {
  if (ui.selectedGid !== null && snap.guests.some((g) => g.GID === ui.selectedGid)) return {};
  const first = orderedGids(ui, snap)[0] ?? null;
  return first === ui.selectedGid ? {} : { selectedGid: first };
}

/** Up, Down, PgUp, PgDn, Home, End: in the help, a menu, the event log, or the guests. */
export function move(ui: UiState, snap: HostSnapshot, geo: Geometry, how: Move): Partial<UiState> {
  const o = ui.overlay;
  const h = geo.bodyHeight;
  if (o?.kind === 'help') {
    // A page is the lines shown, so paging down shows every line once.
    const page = Math.max(1, helpRoom(h));
    const by = { up: -1, down: 1, pageUp: -page, pageDown: page, first: -1e9, last: 1e9 }[how];
    return { overlay: { kind: 'help', scroll: clamp(o.scroll + by, 0, helpMaxScroll(geo.cols, h)) } };
  }
  if (o?.kind === 'menu') {
    const n = o.menu.items.length;
    const by = { up: -1, down: 1, pageUp: -5, pageDown: 5, first: -n, last: n }[how];
    return { overlay: { kind: 'menu', menu: { ...o.menu, index: clamp(o.menu.index + by, 0, n - 1) } } };
  }
  if (ui.screen === 'events') {
    const page = h - 1;
    const by = { up: 1, down: -1, pageUp: page, pageDown: -page, first: 1e9, last: -1e9 }[how];
    return { eventsBack: clamp(ui.eventsBack + by, 0, geo.events * 4) };
  }
  const order = orderedGids(ui, snap);
  if (order.length === 0) return {};
  const i = Math.max(0, order.indexOf(ui.selectedGid ?? -1));
  const p = Math.max(1, esxCapacity(ui, h));
  const by = { up: -1, down: 1, pageUp: -p, pageDown: p, first: -order.length, last: order.length }[how];
  return { selectedGid: order[clamp(i + by, 0, order.length - 1)] };
}

/** Scrolls the tables so the selected guest is on screen. */
export function keepVisible(ui: UiState, snap: HostSnapshot, geo: Geometry): Partial<UiState> {
  const order = orderedGids(ui, snap);
  const i = order.indexOf(ui.selectedGid ?? -1);
  if (ui.screen === 'esxtop') {
    const cap = esxCapacity(ui, geo.bodyHeight);
    let top = Math.min(ui.esxTop, Math.max(0, order.length - cap));
    if (i >= 0 && i < top) top = i;
    if (i >= top + cap) top = i - cap + 1;
    top = Math.max(0, top);
    return top === ui.esxTop ? {} : { esxTop: top };
  }
  if (ui.screen === 'xentop') {
    const height = xenGeometry(geo.bodyHeight).tableHeight;
    let top = Math.min(ui.xenTop, Math.max(0, order.length - 1));
    if (i >= 0 && i < top) top = i;
    const gid = ui.selectedGid;
    for (let guard = 0; guard < order.length && i > top; guard++) {
      const page = xentopPage(snap, ui.xen, { width: geo.cols, height, top, selectedGid: null });
      if (gid !== null && page.gids.includes(gid)) break;
      top++;
    }
    return top === ui.xenTop ? {} : { xenTop: top };
  }
  return {};
}

const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));
