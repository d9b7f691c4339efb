/**
 * A whole frame as lines: the dashboard's header line, the screen, any panel (form, menu, confirm) and
 * the status line, exactly `rows - 1` lines of at most `cols` cells. Keeping the frame one line short
 * of the terminal is what stops Ink 6.8 from clearing the screen on every frame (no flicker).
 */
import type { EngineEvent } from '../engine/events.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import { compareScreen } from '../render/compare.ts';
import { detailPane } from '../render/detail.ts';
import { esxTableRows, esxtopHeader, esxtopTable } from '../render/esxtop.ts';
import { eventsPane } from '../render/events.ts';
import type { History } from '../render/history.ts';
import { hostPane } from '../render/host.ts';
import {
  blank,
  clip,
  clock,
  frame,
  type Line,
  line,
  type Role,
  type Span,
  span,
  speedText,
} from '../render/text.ts';
import { xentopKeyLine, xentopSummary, xentopTable } from '../render/xentop.ts';
import { usageHint } from './complete.ts';
import { type Action, KEYS, keyLabel } from './keys.ts';
import {
  commandLines,
  confirmPanel,
  fieldsPane,
  formPanel,
  helpPane,
  menuPanel,
  promptLine,
} from './panels.ts';
import type { Message, Screen, UiState } from './state.ts';
import type { Usage } from './usage.ts';

export interface FrameModel {
  readonly snap: HostSnapshot;
  readonly ui: UiState;
  readonly history: History;
  readonly events: readonly EngineEvent[];
  readonly usage: Usage | null;
  readonly cols: number;
  readonly rows: number;
  /** In compare mode: every personality's snapshot, and the personalities that could not run; null otherwise. */
  readonly compare: { readonly hosts: readonly HostSnapshot[]; readonly refused: readonly string[] } | null;
  /** Why commands are refused (a viewer attached to another memvisor), or null. */
  readonly readOnly?: string | null;
  /** The actions a read-only link refuses: the key hints leave them out. */
  readonly refused?: ReadonlySet<Action>;
  /** A lesson's pane, when it is shown (memvisor lesson): its lines for the frame's width and height. */
  readonly lesson?: { pane(cols: number, frameHeight: number): Line[] } | null;
}

function lessonLines(m: FrameModel, height: number): Line[] {
  return m.lesson ? m.lesson.pane(m.cols, height) : [];
}

/** Powering on, paused or running. */
function clockState(s: HostSnapshot): Span {
  if (s.powerOn) return span(`powering on ${s.powerOn.done}/${s.powerOn.of}`, 'warn');
  return s.clock.paused ? span(' PAUSED ', 'paused') : span('running', 'ok');
}

/**
 * The dashboard's own line: simulated time, speed (asked, and achieved when the engine does not keep
 * up), seed, personality (on the compare screen every host's), clock state, delay, its CPU and RSS.
 */
export function topBar(m: FrameModel): Line {
  const s = m.snap;
  const speed = speedText(s.clock);
  const left: Span[] = [
    span(' memvisor ', 'title'),
    span(' t=', 'dim'),
    span(clock(s.t), 'value'),
    span('  speed ', 'dim'),
    span(speed.text, speed.behind ? 'warn' : 'value'),
    span('  seed ', 'dim'),
    span(String(s.seed), 'value'),
    span('  ', 'dim'),
    // The compare screen shows every host; the other screens show the first one's.
    span(
      m.ui.screen === 'compare' && m.compare
        ? m.compare.hosts.map((h) => h.personality).join(',')
        : s.personality,
      'value',
    ),
    span('  '),
    clockState(s),
    ...(m.readOnly ? [span('  read-only', 'warn')] : []),
  ];
  const u = m.usage;
  const cpu = u ? `${u.cpu.toFixed(1)}%` : '-%';
  const rss = u ? `${u.rssMB.toFixed(0)}MB` : '-MB';
  const used = left.reduce((a, x) => a + x.text.length, 0);
  for (const right of [
    `delay ${m.ui.delay}s  ui ${cpu} cpu ${rss} rss `,
    `${m.ui.delay}s ui ${cpu} ${rss} `,
  ]) {
    const gap = m.cols - used - right.length;
    if (gap >= 1) return { spans: [...left, span(' '.repeat(gap)), span(right, 'dim')] };
  }
  return { spans: left };
}

const HINTS: [Action, string][] = [
  ['help', 'help'],
  ['command', 'command'],
  ['addGuest', 'add'],
  ['editGuest', 'edit'],
  ['removeGuest', 'remove'],
  ['workloads', 'workload'],
  ['pause', 'pause'],
  ['step', 'step'],
  ['speedUp', 'faster'],
  ['speedDown', 'slower'],
  ['openDetail', 'detail'],
  ['screenHost', 'host'],
  ['screenEvents', 'log'],
  ['screenXentop', 'xentop'],
  ['screenEsxtop', 'esxtop'],
  ['quit', 'quit'],
];

/**
 * The default status line: the main keys, from the key table, without those that would be refused. Only
 * whole hints, never one cut off: the first (help) and the last (quit) always, and as many of the others,
 * in order, as the width leaves room for.
 */
export function hintLine(refused: ReadonlySet<Action> = new Set(), width = Number.POSITIVE_INFINITY): Line {
  const hints = HINTS.flatMap(([action, word]) => {
    const b = refused.has(action)
      ? undefined
      : KEYS.find((k) => k.action === action && k.context === 'global');
    return b ? [{ key: keyLabel(b.keys[0]), word: ` ${word}` }] : [];
  });
  const size = (h: { key: string; word: string }): number => h.key.length + h.word.length + 2;
  const first = hints[0];
  const last = hints[hints.length - 1];
  const kept = hints.length > 0 ? [first] : [];
  let room = width - (hints.length > 1 ? size(first) + size(last) - 2 : size(first));
  for (const h of hints.slice(1, -1)) {
    if (size(h) > room) break;
    kept.push(h);
    room -= size(h);
  }
  if (hints.length > 1) kept.push(last);
  return { spans: kept.flatMap((h) => [span(h.key, 'key'), span(`${h.word}  `, 'dim')]) };
}

const MESSAGE_ROLE: Record<Message['kind'], Role> = { info: 'text', ok: 'ok', warn: 'warn', error: 'error' };

function statusLines(m: FrameModel): Line[] {
  const o = m.ui.overlay;
  if (o?.kind === 'command') return commandLines(o.line, usageHint(o.line.text));
  if (o?.kind === 'prompt') return [promptLine(o.prompt, o.prompt.purpose === 'xenDelay' ? '  ' : '')];
  const msg = m.ui.message;
  if (msg) return [line(span(msg.text, MESSAGE_ROLE[msg.kind]))];
  if (m.ui.screen === 'xentop' && !o) return [xentopKeyLine(m.ui.xen)];
  return [hintLine(m.refused, m.cols)];
}

function panelLines(m: FrameModel, room: number): Line[] {
  const o = m.ui.overlay;
  if (o?.kind === 'form') return formPanel(o.form, m.cols);
  if (o?.kind === 'menu') return menuPanel(o.menu, m.cols, Math.max(4, Math.min(16, room - 6)));
  if (o?.kind === 'confirm') return confirmPanel(o.question, m.cols);
  return [];
}

/** Lines of the esxtop screen's header block that fit above a table of at least a few rows. */
export function esxGeometry(bodyHeight: number): { headerLines: number; tableHeight: number } {
  const headerLines = Math.max(0, Math.min(7, bodyHeight - 5));
  const gap = headerLines > 0 && bodyHeight - headerLines > 4 ? 1 : 0;
  return { headerLines, tableHeight: Math.max(0, bodyHeight - headerLines - gap) };
}

/** Guest rows the esxtop table shows at this body height (the system row takes one unless `V`). */
export function esxCapacity(ui: UiState, bodyHeight: number): number {
  return Math.max(1, esxTableRows(esxGeometry(bodyHeight).tableHeight) - (ui.esx.vmsOnly ? 0 : 1));
}

/** Lines of the xentop screen's summary that fit. */
export const xenGeometry = (bodyHeight: number): { summary: number; tableHeight: number } => {
  const summary = Math.max(0, Math.min(3, bodyHeight - 3));
  return { summary, tableHeight: Math.max(0, bodyHeight - summary) };
};

/**
 * What each screen draws between the header line and the status line. A new screen is an entry here
 * (the compiler asks for one) and a context in the key table.
 */
const SCREEN_BODY: Record<Screen, (m: FrameModel, height: number) => Line[]> = {
  esxtop: ({ ui, snap, cols }, height) => {
    const g = esxGeometry(height);
    const head = esxtopHeader(snap).slice(0, g.headerLines);
    const gap = height - g.headerLines - g.tableHeight > 0 ? [blank] : [];
    const table = esxtopTable(snap, ui.esx, {
      width: cols,
      height: g.tableHeight,
      selectedGid: ui.selectedGid,
      top: ui.esxTop,
      hscroll: ui.hscroll,
    });
    return frame([...head, ...gap, ...table], height);
  },
  xentop: ({ ui, snap, cols }, height) => {
    const g = xenGeometry(height);
    const table = xentopTable(snap, ui.xen, {
      width: cols,
      height: g.tableHeight,
      top: ui.xenTop,
      selectedGid: ui.selectedGid,
    });
    return frame([...xentopSummary(snap).slice(0, g.summary), ...table], height);
  },
  host: (m, height) => hostPane(m.snap, m.history, m.cols, height),
  compare: (m, height) => compareScreen(m.compare?.hosts ?? [m.snap], m.cols, height, m.compare?.refused),
  events: (m, height) => eventsPane(m.events, m.cols, height, m.ui.eventsBack),
  detail: ({ snap, ui, history, cols }, height) =>
    detailPane(
      snap,
      snap.guests.find((x) => x.GID === ui.selectedGid),
      history,
      cols,
      height,
    ),
};

function bodyLines(m: FrameModel, height: number): Line[] {
  const o = m.ui.overlay;
  if (o?.kind === 'help') return helpPane(m.cols, height, o.scroll);
  if (o?.kind === 'fields' || o?.kind === 'order') return fieldsPane(m.ui.esx, o.kind, height);
  return SCREEN_BODY[m.ui.screen](m, height);
}

/** Body height for this model: what is left after the header line, panel and status lines. */
export function bodyHeight(m: FrameModel): number {
  const height = m.rows - 1;
  const status = statusLines(m).length;
  const panel = panelLines(m, height - 1 - status).length;
  const lesson = lessonLines(m, height).length;
  return Math.max(0, height - 1 - status - panel - lesson);
}

/** The frame: exactly rows - 1 lines, each cut to cols. */
export function renderFrame(m: FrameModel): Line[] {
  const height = Math.max(1, m.rows - 1);
  const status = statusLines(m);
  const panel = panelLines(m, height - 1 - status.length);
  const lesson = lessonLines(m, height);
  const bodyH = Math.max(0, height - 1 - status.length - panel.length - lesson.length);
  const body = bodyH > 0 ? bodyLines(m, bodyH) : [];
  const all = [topBar(m), ...body, ...lesson, ...panel, ...status];
  // On a tiny terminal the status line wins over the panel and body.
  const lines =
    all.length > height ? [...all.slice(0, height - status.length), ...status].slice(-height) : all;
  return frame(lines, height).map((l) => clip(l, m.cols));
}
