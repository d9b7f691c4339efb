/**
 * Lesson texts with live values: `vm4 has {guest("vm4").SWCUR} MB in host swap` shows the number the
 * host has at that moment, so a debrief quotes what the trainee's own host did rather than a figure that
 * a change to the engine would make false. `{{` and `}}` write a brace.
 */
import type { Parsed } from './expr-parse.ts';
import { ExprError, parseExpr } from './expr-parse.ts';

export type TextPart =
  | { readonly kind: 'text'; readonly text: string }
  /** `at`: where the expression starts in the text, for errors. */
  | { readonly kind: 'value'; readonly source: string; readonly at: number; readonly parsed: Parsed };

/** A text's parts; throws ExprError with the offset in the whole text. */
export function parseText(raw: string): TextPart[] {
  const parts: TextPart[] = [];
  let plain = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if ((c === '{' || c === '}') && raw[i + 1] === c) {
      plain += c;
      i += 2;
      continue;
    }
    if (c === '}') throw new ExprError('a } without its {: write }} for a brace', i);
    if (c !== '{') {
      plain += c;
      i++;
      continue;
    }
    const close = closingBrace(raw, i + 1);
    if (close < 0) throw new ExprError('a { without its }: write {{ for a brace', i);
    const source = raw.slice(i + 1, close);
    let parsed: Parsed;
    try {
      parsed = parseExpr(source);
    } catch (e) {
      if (e instanceof ExprError) throw new ExprError(e.message, i + 1 + e.at);
      throw e;
    }
    if (plain !== '') parts.push({ kind: 'text', text: plain });
    plain = '';
    parts.push({ kind: 'value', source, at: i + 1, parsed });
    i = close + 1;
  }
  if (plain !== '') parts.push({ kind: 'text', text: plain });
  return parts;
}

/** The `}` that closes an expression starting at `from`, past any in quoted text; -1 if none. */
function closingBrace(raw: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < raw.length; i++) {
    const c = raw[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return i;
  }
  return -1;
}
