/**
 * The lesson pane: a region under the screen with the step under way, as pure text. A first line names
 * the lesson and the step; then the step's text, or once it has ended what happened and why (the
 * debrief, the explanation); the hints shown so far; and a last line with the keys that work now, taken
 * from the key table. Lesson texts are written as paragraphs: single line breaks are reflowed to the
 * pane's width, blank lines kept. What is written between backquotes (a key, a command to type) is
 * shown in the keys' colour, without the quotes.
 */
import { type Line, line, type Role, type Span, span, wrap } from '../render/text.ts';
import { type Action, KEYS, keyLabel } from './keys.ts';

export interface LessonPaneModel {
  /** `Lesson 1 · Free memory states`. */
  readonly title: string;
  /** From 1; `steps + 1` once the lesson is over. */
  readonly step: number;
  readonly steps: number;
  readonly kind: 'explain' | 'watch' | 'task' | 'question' | 'done';
  readonly status: 'active' | 'passed' | 'failed';
  /** The step's text, its live values filled in. */
  readonly text: string;
  /** A question's choices, the one picked (from 0) and the right one. */
  readonly choices?: readonly string[];
  readonly chosen?: number;
  readonly answer?: number;
  readonly hints: readonly string[];
  /** Hints not shown yet. */
  readonly hintsLeft: number;
  /** One line on the outcome: `Done.`, `Time is up.`, the fail text ... */
  readonly verdict?: string;
  /** What happened and why: the debrief, or a question's explanation. */
  readonly outcome?: string;
  /** Simulated seconds left (a task or watch with a limit). */
  readonly timeLeft?: number;
  /** Tab has been pressed once on a task not done: a second one skips it. */
  readonly skipArmed: boolean;
}

/**
 * Paragraphs: one line break is a space, a blank line a new paragraph; a line indented more than the
 * text (a command to type) keeps a line of its own. Then wrapped to `width`.
 */
export function reflow(text: string, width: number): string[] {
  const w = Math.max(10, width);
  const out: string[] = [];
  for (const para of text.replace(/\s+$/, '').split(/\n\s*\n/)) {
    let joined = '';
    const flush = (): void => {
      if (joined !== '') out.push(...wrap(joined, w));
      joined = '';
    };
    for (const l of para.split('\n')) {
      if (/^\s/.test(l) && l.trim() !== '') {
        flush();
        out.push(...wrap(l.trim(), w - 2).map((x) => `  ${x}`));
      } else if (l.trim() !== '') joined += (joined ? ' ' : '') + l.trim();
    }
    flush();
  }
  return out;
}

/** Lines with `code` picked out: the backquotes go, what they enclose takes the `key` role (across lines too). */
export function markCode(lines: readonly string[], role: Role): Span[][] {
  let inCode = false;
  return lines.map((l) => {
    const spans: Span[] = [];
    l.split('`').forEach((part, i) => {
      if (i > 0) inCode = !inCode;
      if (part !== '') spans.push(span(part, inCode ? 'key' : role));
    });
    return spans;
  });
}

const key = (action: Action): string =>
  keyLabel(KEYS.find((b) => b.context === 'lesson' && b.action === action)?.keys[0] ?? '?');

const KIND: Record<LessonPaneModel['kind'], string> = {
  explain: 'READ',
  watch: 'WATCH',
  task: 'TASK',
  question: 'QUESTION',
  done: 'DONE',
};

function footer(m: LessonPaneModel): Line {
  const parts: [string, string][] = [];
  const ended = m.status !== 'active' || m.kind === 'explain';
  if (m.kind === 'question' && m.status === 'active') parts.push([`1-${m.choices?.length ?? 0}`, 'answer']);
  else if (m.kind === 'done') parts.push(['q', 'quit; memvisor lesson lists the lessons']);
  else if (ended) parts.push([key('lessonNext'), 'go on']);
  else if (m.skipArmed) parts.push([key('lessonNext'), 'again: skip this step']);
  if (m.kind === 'task' && m.status === 'active' && m.hintsLeft > 0) parts.push([key('lessonHint'), 'hint']);
  parts.push([key('lessonPane'), 'hide the lesson'], ['h', 'help']);
  const spans = parts.flatMap(([k, word]) => [span(` ${k} `, 'key'), span(` ${word}  `, 'dim')]);
  if (m.timeLeft !== undefined && m.status === 'active') {
    spans.push(span(`${Math.max(0, Math.ceil(m.timeLeft))}s left`, m.timeLeft < 30 ? 'warn' : 'dim'));
  }
  return { spans };
}

/**
 * The most rows the pane may take of a frame: while the trainee watches or does a task the screen comes
 * first (about a third); while they read (an explanation, a question, a debrief) the text does (three
 * fifths). At least 6 rows.
 */
export function paneRoom(m: LessonPaneModel, frameHeight: number): number {
  const reading = m.kind === 'explain' || m.kind === 'question' || m.kind === 'done' || m.status !== 'active';
  return Math.max(6, Math.floor(frameHeight * (reading ? 0.6 : 0.36)));
}

/** The widest the pane's text runs, however wide the terminal. */
export const TEXT_WIDTH = 100;

/** The pane's lines at this width, for a frame this high (the text is cut first, never the keys). */
export function lessonPane(m: LessonPaneModel, width: number, frameHeight: number): Line[] {
  const maxHeight = paneRoom(m, frameHeight);
  // Lines of prose longer than about 100 characters are hard to follow from one end to the next.
  const w = Math.min(TEXT_WIDTH, Math.max(20, width - 2));
  const where = m.kind === 'done' ? 'the end' : `step ${m.step} of ${m.steps}`;
  const head = ` ${m.title} · ${where} `;
  const title = line(
    span('─', 'border'),
    span(head, 'title'),
    span('─'.repeat(Math.max(0, width - head.length - 1)), 'border'),
  );
  // The step's text, then what the trainee must keep in view (a question's choices, the hints asked
  // for): when the pane is too small the text is cut, not what follows it.
  const text: Line[] = [];
  const kept: Line[] = [];
  const add = (to: Line[], t: string, role: Role = 'text', lead = ''): void => {
    markCode(reflow(t, w - lead.length), role).forEach((spans, i) => {
      const indent = i === 0 && lead ? span(` ${lead}`, 'label') : span(' '.repeat(lead.length + 1));
      to.push({ spans: [indent, ...spans] });
    });
  };
  const ended = m.status !== 'active' && m.kind !== 'explain';
  if (!ended) {
    add(text, m.text, 'text', `${KIND[m.kind]} `);
    m.choices?.forEach((c, i) => {
      kept.push(line(span(`   ${i + 1}`, 'key'), span(`  ${c}`, 'text')));
    });
    m.hints.forEach((h, i) => {
      add(kept, h, 'accent', `Hint ${i + 1}: `);
    });
  } else {
    const ok = m.status === 'passed';
    const verdict =
      m.verdict ??
      (m.kind === 'question' && m.answer !== undefined
        ? ok
          ? 'Right.'
          : `The answer is ${m.answer + 1}: ${m.choices?.[m.answer] ?? ''}`
        : ok
          ? 'Done.'
          : 'Not done.');
    add(text, verdict, ok ? 'ok' : 'warn', ok ? '✓ ' : '✗ ');
    if (m.outcome) add(text, m.outcome);
  }
  const room = Math.max(0, maxHeight - 2);
  const more = line(span(' …', 'dim'));
  const textRoom = room - kept.length - 1;
  const body =
    text.length + kept.length <= room
      ? [...text, ...kept]
      : textRoom >= 1
        ? [...text.slice(0, textRoom), more, ...kept]
        : [...text, ...kept];
  const shown = body.length > room ? [...body.slice(0, Math.max(0, room - 1)), more] : body;
  return [title, ...shown.slice(0, room), footer(m)];
}
