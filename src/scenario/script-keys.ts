/**
 * Keystrokes in scripts: `keys x`, `keys : Tab Enter`, `keys C-l`, `type limit db1 256MB`. Each key becomes
 * the bytes a terminal sends for it (Up is ESC [ A), so a recording drives the dashboard through the same
 * input path as a person at a keyboard.
 */

import { closest } from './suggest.ts';
import type { TextParse } from './timeline.ts';

export interface Keystroke {
  /** As the script names it: `x`, `Enter`, `C-l`. */
  readonly name: string;
  /** What the terminal sends. */
  readonly bytes: string;
  /** The key as the dashboard's key table names it (`enter`, `ctrl+l`, `x`): for driving it without a terminal. */
  readonly key: string;
}

/** Named keys (any case): their bytes and their name in the key table; a single character is itself. */
const NAMED: Record<string, string> = {
  Enter: '\r',
  Esc: '\x1b',
  Tab: '\t',
  'S-Tab': '\x1b[Z',
  Backspace: '\x7f',
  Space: ' ',
  Up: '\x1b[A',
  Down: '\x1b[B',
  Right: '\x1b[C',
  Left: '\x1b[D',
  Home: '\x1b[H',
  End: '\x1b[F',
  PgUp: '\x1b[5~',
  PgDn: '\x1b[6~',
};
const TABLE_NAME: Record<string, string> = {
  Esc: 'escape',
  'S-Tab': 'shift+tab',
  PgUp: 'pageup',
  PgDn: 'pagedown',
};

/** Other spellings people write for the same keys. */
const ALIASES: Record<string, string> = {
  return: 'Enter',
  escape: 'Esc',
  'shift-tab': 'S-Tab',
  pageup: 'PgUp',
  pagedown: 'PgDn',
};

const CTRL = /^(?:C|Ctrl)-([a-z])$/i;

/** One key name: a printable character, a named key, or Ctrl with a letter (`C-l`). */
export function keystroke(name: string): Keystroke | string {
  if ([...name].length === 1) {
    return name >= ' ' && name !== '\x7f'
      ? { name, bytes: name, key: name === ' ' ? 'space' : name }
      : `"${escaped(name)}" is not a printable key`;
  }
  const ctrl = CTRL.exec(name);
  if (ctrl) {
    const letter = ctrl[1].toLowerCase();
    return { name, bytes: String.fromCharCode(letter.charCodeAt(0) - 96), key: `ctrl+${letter}` };
  }
  const lower = name.toLowerCase();
  const canonical = Object.keys(NAMED).find((k) => k.toLowerCase() === lower) ?? ALIASES[lower];
  if (canonical !== undefined)
    return { name, bytes: NAMED[canonical], key: TABLE_NAME[canonical] ?? canonical.toLowerCase() };
  const near = closest(name, [...Object.keys(NAMED), ...Object.keys(ALIASES)]);
  if (near !== undefined) return `unknown key "${name}" (did you mean "${ALIASES[near] ?? near}"?)`;
  return (
    `unknown key "${name}": a key is one character, or one of ${Object.keys(NAMED).join(', ')}, ` +
    'or C-a to C-z'
  );
}

const escaped = (text: string): string => JSON.stringify(text).slice(1, -1);

/** `keys` step text: key names separated by spaces. */
export function parseKeys(text: string): TextParse<Keystroke[]> {
  const names = text.trim().split(/\s+/).filter(Boolean);
  if (names.length === 0)
    return { ok: false, error: 'keys: name at least one key, as in "keys x" or "keys Enter"' };
  const keys: Keystroke[] = [];
  for (const name of names) {
    const key = keystroke(name);
    if (typeof key === 'string') return { ok: false, error: `keys: ${key}` };
    keys.push(key);
  }
  return { ok: true, value: keys };
}

/** `type` step text: every character one keystroke, spaces included. */
export function parseTyped(text: string): TextParse<Keystroke[]> {
  if (text === '') return { ok: false, error: 'type: give the text to type, as in "type limit db1 256MB"' };
  const keys: Keystroke[] = [];
  for (const ch of text) {
    if (ch < ' ' || ch === '\x7f') {
      return {
        ok: false,
        error: `type: "${escaped(ch)}" is not printable; name such keys with keys (Enter, Tab, C-u)`,
      };
    }
    keys.push(ch === ' ' ? { name: 'Space', bytes: ch, key: 'space' } : { name: ch, bytes: ch, key: ch });
  }
  return { ok: true, value: keys };
}
