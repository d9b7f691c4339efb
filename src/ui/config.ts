/**
 * The saved layout (`W`): screen layouts and the delay, in $XDG_CONFIG_HOME/memvisor/config.json (or
 * ~/.config/memvisor/config.json). Loading is forgiving: a missing file is no layout, and a part that
 * does not make sense is left out with a warning rather than stopping the dashboard.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_ESX_LAYOUT, ESX_COLUMNS, ESX_GROUPS, type EsxLayout } from '../render/esxtop.ts';
import { DEFAULT_XEN_LAYOUT, XEN_FIELDS, type XenLayout } from '../render/xentop.ts';

export interface SavedLayout {
  readonly delay: number;
  readonly esxtop: EsxLayout;
  readonly xentop: XenLayout;
}

export const DEFAULT_DELAY = 2;

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'memvisor', 'config.json');
}

export function saveLayout(path: string, layout: SavedLayout): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: 1, ...layout }, null, 2)}\n`);
  renameSync(tmp, path);
}

const LETTERS = ESX_GROUPS.map((g) => g.letter).join('');

function esxLayout(raw: unknown, warn: (m: string) => void): EsxLayout {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_ESX_LAYOUT;
  const r = raw as Record<string, unknown>;
  let { order, visible, sort, vmsOnly } = DEFAULT_ESX_LAYOUT;
  if (typeof r.order === 'string' && [...r.order].sort().join('') === LETTERS) order = r.order;
  else if (r.order !== undefined) warn('esxtop.order ignored');
  if (typeof r.visible === 'string' && [...r.visible].every((c) => LETTERS.includes(c))) visible = r.visible;
  else if (r.visible !== undefined) warn('esxtop.visible ignored');
  const s = r.sort as Record<string, unknown> | undefined;
  if (
    s &&
    typeof s.column === 'string' &&
    ESX_COLUMNS.some((c) => c.id === s.column) &&
    typeof s.desc === 'boolean'
  )
    sort = { column: s.column, desc: s.desc };
  else if (r.sort !== undefined) warn('esxtop.sort ignored');
  if (typeof r.vmsOnly === 'boolean') vmsOnly = r.vmsOnly;
  return { order, visible, sort, vmsOnly };
}

function xenLayout(raw: unknown): XenLayout {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_XEN_LAYOUT;
  const r = raw as Record<string, unknown>;
  const bool = (k: keyof XenLayout, d: boolean): boolean =>
    typeof r[k] === 'boolean' ? (r[k] as boolean) : d;
  const d = DEFAULT_XEN_LAYOUT;
  const sortField =
    typeof r.sortField === 'number' &&
    Number.isInteger(r.sortField) &&
    r.sortField >= 0 &&
    r.sortField < XEN_FIELDS.length
      ? r.sortField
      : d.sortField;
  return {
    sortField,
    networks: bool('networks', d.networks),
    vbds: bool('vbds', d.vbds),
    tmem: bool('tmem', d.tmem),
    vcpus: bool('vcpus', d.vcpus),
    repeatHeader: bool('repeatHeader', d.repeatHeader),
  };
}

/** The saved layout, or undefined when there is none; `warnings` say what was ignored and why. */
export function loadLayout(path: string): { layout?: SavedLayout; warnings: string[] } {
  const warnings: string[] = [];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { warnings };
    return { warnings: [`${path}: ${(e as Error).message}`] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { warnings: [`${path}: not JSON (${(e as Error).message}); using the default layout`] };
  }
  if (typeof raw !== 'object' || raw === null)
    return { warnings: [`${path}: not a layout; using the default`] };
  const r = raw as Record<string, unknown>;
  const delay = typeof r.delay === 'number' && r.delay >= 0.1 && r.delay <= 3600 ? r.delay : DEFAULT_DELAY;
  const layout: SavedLayout = {
    delay,
    esxtop: esxLayout(r.esxtop, (m) => warnings.push(`${path}: ${m}`)),
    xentop: xenLayout(r.xentop),
  };
  return { layout, warnings };
}
