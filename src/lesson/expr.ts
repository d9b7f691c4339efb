/**
 * The condition language of lessons: a small expression over snapshot fields with the names the screens
 * use (`host.state == "high"`, `guest("vm4").SWCUR > 100`). This file is the tree and its printer; the
 * text is parsed by jsep (expr-parse.ts), checked against the snapshot's fields when a lesson loads
 * (expr-check.ts) and evaluated against each snapshot (expr-eval.ts).
 *
 * The printer writes the one canonical text of a tree (parentheses only where precedence needs them,
 * strings in double quotes, fields whose names are not identifiers in brackets), and parsing that text
 * gives the same tree back: a property test holds it to that.
 */

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/';
export type UnaryOp = '!' | '-';

export type Expr =
  /** Numbers are never negative here: `-3` is the unary minus of 3, as it is parsed. */
  | { readonly kind: 'literal'; readonly value: number | string | boolean | null }
  /** A name the language gives: `host`, `t`, `elapsed`, `view`. */
  | { readonly kind: 'name'; readonly name: string }
  /** `object.name`, or `object["MCTL?"]` for names that are not identifiers. */
  | { readonly kind: 'field'; readonly object: Expr; readonly name: string }
  /** `object[0]`: an element of a list (`host.overcommit[0]`). */
  | { readonly kind: 'index'; readonly object: Expr; readonly index: number }
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly Expr[] }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly arg: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr };

/** Binding strength of each operator, as jsep parses them (higher binds tighter). */
export const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  '||': 1,
  '&&': 2,
  '==': 6,
  '!=': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
};

export const BINARY_OPS = Object.keys(PRECEDENCE) as BinaryOp[];
export const UNARY_OPS: readonly UnaryOp[] = ['!', '-'];

/** Postfix forms (fields, indexes, calls) and literals bind tighter than any operator. */
const ATOM = 100;
const UNARY = 50;

const strength = (e: Expr): number =>
  e.kind === 'binary' ? PRECEDENCE[e.op] : e.kind === 'unary' ? UNARY : ATOM;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Words the parser reads as literals or refuses, so a field with such a name is written in brackets. */
const RESERVED = new Set(['true', 'false', 'null', 'this']);

/** A name written after a dot, or in brackets when it is not an identifier (`["MCTL?"]`, `["%ACTV"]`). */
export const isPlainName = (name: string): boolean => IDENTIFIER.test(name) && !RESERVED.has(name);

/** The characters jsep reads back from an escape; any other character is written as itself. */
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
};

export const quote = (s: string): string => `"${s.replace(/[\\"\n\r\t\b\f\v]/g, (c) => ESCAPES[c])}"`;

function literal(value: number | string | boolean | null): string {
  if (typeof value === 'string') return quote(value);
  return String(value);
}

/** The canonical text of a tree. */
export function print(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return literal(e.value);
    case 'name':
      return e.name;
    case 'field': {
      const object = postfixOperand(e.object);
      return isPlainName(e.name) ? `${object}.${e.name}` : `${object}[${quote(e.name)}]`;
    }
    case 'index':
      return `${postfixOperand(e.object)}[${e.index}]`;
    case 'call':
      return `${e.fn}(${e.args.map(print).join(', ')})`;
    case 'unary': {
      // An operand that is itself unary is bracketed too: `-(-3)`, not `--3`.
      const arg = strength(e.arg) <= UNARY ? `(${print(e.arg)})` : print(e.arg);
      return `${e.op}${arg}`;
    }
    case 'binary': {
      const p = PRECEDENCE[e.op];
      // Left-associative: a right operand of equal strength needs its parentheses.
      const left = strength(e.left) < p ? `(${print(e.left)})` : print(e.left);
      const right = strength(e.right) <= p ? `(${print(e.right)})` : print(e.right);
      return `${left} ${e.op} ${right}`;
    }
  }
}

/** What a field or index applies to: a number literal needs parentheses (`(1).x`, not `1.x`). */
function postfixOperand(e: Expr): string {
  const text = print(e);
  return strength(e) < ATOM || (e.kind === 'literal' && typeof e.value === 'number') ? `(${text})` : text;
}
