/**
 * Editing what is typed, as pure functions of the state and the key: the `:` line (cursor, completion,
 * history, as a shell's line editor does), the prompts (delay, size) and the forms' fields. Nothing here
 * sends anything; submitting is the action table's business.
 */
import type { HostSnapshot } from '../engine/snapshot.ts';
import { complete } from './complete.ts';
import { type FormState, formChoice, formClear, formErase, formInsert, formMove } from './forms.ts';
import type { Action, KeyEvent } from './keys.ts';
import type { CommandLineState, Overlay, PromptState } from './state.ts';

/** The actions that edit an overlay's text. */
export const EDIT_ACTIONS = [
  'erase',
  'insert',
  'clearLine',
  'cursorLeft',
  'cursorRight',
  'cursorStart',
  'cursorEnd',
  'complete',
  'historyPrev',
  'historyNext',
  'nextField',
  'prevField',
  'nextChoice',
  'prevChoice',
] as const satisfies readonly Action[];
export type EditAction = (typeof EDIT_ACTIONS)[number];

export const emptyLine = (): CommandLineState => ({
  text: '',
  cursor: 0,
  candidates: [],
  historyIndex: null,
  draft: '',
});

/** What the `:` line needs besides itself: the history and what Tab can complete. */
export interface LineContext {
  /** Command lines run before, oldest first. */
  readonly history: readonly string[];
  readonly snap: HostSnapshot;
}

/** The text a key types. */
export const typedText = (ev: KeyEvent): string => ev.text ?? (ev.name === 'space' ? ' ' : ev.name);

export function editLine(
  cl: CommandLineState,
  action: EditAction,
  typed: string,
  ctx: LineContext,
): CommandLineState {
  const { text, cursor } = cl;
  const base = { ...cl, error: undefined, candidates: [] as string[] };
  switch (action) {
    case 'insert':
      return {
        ...base,
        text: text.slice(0, cursor) + typed + text.slice(cursor),
        cursor: cursor + typed.length,
        historyIndex: null,
      };
    case 'erase':
      if (cursor === 0) return base;
      return {
        ...base,
        text: text.slice(0, cursor - 1) + text.slice(cursor),
        cursor: cursor - 1,
        historyIndex: null,
      };
    case 'clearLine':
      return { ...base, text: '', cursor: 0, historyIndex: null };
    case 'cursorLeft':
      return { ...base, cursor: Math.max(0, cursor - 1) };
    case 'cursorRight':
      return { ...base, cursor: Math.min(text.length, cursor + 1) };
    case 'cursorStart':
      return { ...base, cursor: 0 };
    case 'cursorEnd':
      return { ...base, cursor: text.length };
    case 'complete': {
      const s = ctx.snap;
      const c = complete(text, cursor, {
        guests: s.guests.map((g) => g.name),
        workloadsOf: (name) => s.guests.find((g) => g.name === name)?.workloads.map((w) => w.name) ?? [],
      });
      return { ...base, text: c.text, cursor: c.cursor, candidates: c.candidates };
    }
    case 'historyPrev':
    case 'historyNext': {
      const h = ctx.history;
      if (h.length === 0) return base;
      let i = cl.historyIndex;
      const draft = i === null ? text : cl.draft;
      if (action === 'historyPrev') i = i === null ? h.length - 1 : Math.max(0, i - 1);
      else if (i === null) return base;
      else i = i + 1 >= h.length ? null : i + 1;
      const t = i === null ? draft : h[i];
      return { ...base, text: t, cursor: t.length, historyIndex: i, draft };
    }
    default:
      return base;
  }
}

export function editPrompt(p: PromptState, action: EditAction, typed: string): PromptState {
  if (action === 'insert') return { ...p, value: p.value + typed, error: undefined };
  if (action === 'erase') return { ...p, value: p.value.slice(0, -1), error: undefined };
  return p;
}

export function editForm(f: FormState, action: EditAction, typed: string): FormState {
  switch (action) {
    case 'insert':
      return formInsert(f, typed);
    case 'erase':
      return formErase(f);
    case 'clearLine':
      return formClear(f);
    case 'nextField':
      return formMove(f, 1);
    case 'prevField':
      return formMove(f, -1);
    case 'nextChoice':
      return formChoice(f, 1);
    case 'prevChoice':
      return formChoice(f, -1);
    default:
      return f;
  }
}

/** The overlay after an editing key (overlays without text stay as they are). */
export function editOverlay(o: Overlay, action: EditAction, typed: string, ctx: LineContext): Overlay {
  if (o.kind === 'prompt') return { kind: 'prompt', prompt: editPrompt(o.prompt, action, typed) };
  if (o.kind === 'form') return { kind: 'form', form: editForm(o.form, action, typed) };
  if (o.kind === 'command') return { kind: 'command', line: editLine(o.line, action, typed, ctx) };
  return o;
}

/** The history with `text` run last (once, at most `max` lines). */
export function remember(history: readonly string[], text: string, max = 200): string[] {
  const out = history[history.length - 1] === text ? [...history] : [...history, text];
  return out.slice(-max);
}
