/** The event log as lines: every state change and reclamation decision, with its time and guest. */
import type { EngineEvent } from '../engine/events.ts';
import { cell, clock, frame, type Line, line, type Role, span, wrap } from './text.ts';

const KIND_ROLE: Record<EngineEvent['kind'], Role> = {
  state: 'warn',
  guest: 'accent',
  workload: 'series2',
  reclaim: 'series1',
  error: 'error',
  warning: 'warn',
  command: 'dim',
};

/** Every event as wrapped lines: time, kind, guest, then the message in words. */
export function eventLines(events: readonly EngineEvent[], width: number): Line[] {
  const out: Line[] = [];
  const indent = 9 + 1 + 8 + 1 + 10 + 1;
  const msgW = Math.max(10, width - indent);
  for (const e of events) {
    const parts = wrap(e.message, msgW);
    out.push(
      line(
        span(cell(clock(e.t), 9), 'dim'),
        ' ',
        span(cell(e.kind, 8, 'left'), KIND_ROLE[e.kind]),
        ' ',
        span(cell(e.guest ?? '', 10, 'left'), 'label'),
        ' ',
        span(parts[0], e.kind === 'error' ? 'error' : undefined),
      ),
    );
    for (const p of parts.slice(1))
      out.push(line(' '.repeat(indent), span(p, e.kind === 'error' ? 'error' : undefined)));
  }
  return out;
}

/** The event log pane: the newest at the bottom, `back` lines scrolled up from there. */
export function eventsPane(
  events: readonly EngineEvent[],
  width: number,
  height: number,
  back: number,
): Line[] {
  const title = line(
    span('Event log', 'title'),
    span(
      `  ${events.length} events; state changes and reclamation decisions with their reasons. Up/Down scroll, Esc back`,
      'dim',
    ),
  );
  const all = eventLines(events, width);
  const h = Math.max(0, height - 1);
  const maxBack = Math.max(0, all.length - h);
  const b = Math.min(Math.max(0, back), maxBack);
  const end = all.length - b;
  const shown = all.slice(Math.max(0, end - h), end);
  if (all.length === 0) shown.push(line(span('nothing has happened yet', 'dim')));
  return frame([title, ...shown], height);
}
