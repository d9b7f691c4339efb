/**
 * Condition text into a tree (expr.ts), with where each node sits in the text so that a lesson's errors
 * can point at the field that is wrong. jsep does the parsing; it keeps no positions, so they are found
 * afterwards: the leaves (names and literals, which jsep keeps as written) appear in the text in the
 * order a left-to-right walk of the tree meets them, with only operators, brackets and spaces between.
 * jsep reads all of JavaScript's expression syntax; what the condition language leaves out (`%`, `===`,
 * `?:`, arrays, `this` ...) is refused here with a message saying what to write instead.
 */
import jsep from 'jsep';
import { BINARY_OPS, type BinaryOp, type Expr, UNARY_OPS, type UnaryOp } from './expr.ts';

/** A stretch of the condition text: [start, end) in characters. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export class ExprError extends Error {
  override name = 'ExprError';

  constructor(
    message: string,
    /** Where in the condition text. */
    readonly at: number,
  ) {
    super(message);
  }
}

export interface Parsed {
  readonly expr: Expr;
  /** Where each node of `expr` is in the text. */
  readonly spans: ReadonlyMap<Expr, Span>;
}

type Node = jsep.Expression;

/** Parses condition text; throws ExprError naming what is wrong and where. */
export function parseExpr(text: string): Parsed {
  if (text.trim() === '') throw new ExprError('empty: write a condition such as host.state == "high"', 0);
  let tree: Node;
  try {
    tree = jsep(text);
  } catch (e) {
    const err = e as Error & { index?: number; description?: string };
    if (typeof err.index !== 'number') throw e;
    throw new ExprError(reword(err.description ?? err.message), Math.min(err.index, text.length));
  }
  return convert(tree, text, locate(tree, text));
}

/** jsep's messages, in the words of this language. */
function reword(message: string): string {
  const number = /^Variable names cannot start with a number \((.*)\)$/.exec(message);
  if (number) {
    return `"${number[1]}": a number followed by a letter (sizes are numbers of MB: write 100, not 100MB)`;
  }
  const quote = /^Unclosed quote after "(.*)"$/s.exec(message);
  if (quote) return `the text "${quote[1]}" has no closing quote`;
  if (message === 'missing unaryOp argument') return 'expected a value after the operator';
  if (message === 'Unexpected ') return 'unexpected end: the condition stops short';
  const text = message
    .replace(/^Expected expression/, 'expected a value')
    .replace(/^Unclosed (.)$/, '$1 is not closed');
  return text.charAt(0).toLowerCase() + text.slice(1);
}

// ---- positions ------------------------------------------------------------------------------------

/** Finds every node's span: leaves by their text, in order, and the rest from their parts. */
function locate(tree: Node, text: string): Map<Node, Span> {
  const spans = new Map<Node, Span>();
  let cursor = 0;
  /** Just after the next `ch` (the `)` of a call, the `]` of a field in brackets). */
  const after = (from: number, ch: string): number => {
    const i = text.indexOf(ch, from);
    return i < 0 ? from : i + 1;
  };
  const leaf = (raw: string): Span => {
    const found = text.indexOf(raw, cursor);
    const start = found < 0 ? cursor : found;
    cursor = start + raw.length;
    return { start, end: cursor };
  };
  const visit = (node: Node): Span => {
    let span: Span;
    switch (node.type) {
      case 'Identifier':
        span = leaf(node.name as string);
        break;
      case 'Literal':
        span = leaf(node.raw as string);
        break;
      case 'ThisExpression':
        span = leaf('this');
        break;
      case 'UnaryExpression': {
        const arg = visit(node.argument as Node);
        // The operator is the nearest one before its operand (only spaces and parentheses between).
        const op = text.lastIndexOf(node.operator as string, arg.start - 1);
        span = { start: op < 0 ? arg.start : op, end: arg.end };
        break;
      }
      case 'MemberExpression': {
        const object = visit(node.object as Node);
        const property = visit(node.property as Node);
        span = { start: object.start, end: node.computed ? after(property.end, ']') : property.end };
        cursor = span.end;
        break;
      }
      case 'CallExpression': {
        const callee = visit(node.callee as Node);
        let end = callee.end;
        for (const a of node.arguments as Node[]) end = visit(a).end;
        span = { start: callee.start, end: after(end, ')') };
        cursor = span.end;
        break;
      }
      case 'ArrayExpression': {
        const open = text.indexOf('[', cursor);
        const parts = children(node).map(visit);
        span = { start: open, end: after(parts[parts.length - 1]?.end ?? open, ']') };
        break;
      }
      default: {
        // Operators, and the forms the language refuses (spanned by their parts, for the error).
        const parts = children(node).map(visit);
        span =
          parts.length === 0
            ? { start: cursor, end: cursor }
            : { start: parts[0].start, end: parts[parts.length - 1].end };
      }
    }
    spans.set(node, span);
    return span;
  };
  visit(tree);
  return spans;
}

/** A node's sub-expressions in the order they are written (jsep builds its nodes in that order). */
function children(node: Node): Node[] {
  const out: Node[] = [];
  const add = (v: unknown): void => {
    if (v && typeof v === 'object' && 'type' in v) out.push(v as Node);
  };
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) value.forEach(add);
    else add(value);
  }
  return out;
}

// ---- jsep's tree into the language's ----------------------------------------------------------------

const OPERATORS_HELP = '== != < <= > >= && || ! + - * /';

function convert(tree: Node, text: string, where: Map<Node, Span>): Parsed {
  const spans = new Map<Expr, Span>();
  const at = (n: Node | undefined): number => (n ? (where.get(n)?.start ?? 0) : 0);
  const fail = (message: string, index: number): never => {
    throw new ExprError(message, index);
  };
  const walk = (node: Node): Expr => {
    let expr: Expr;
    switch (node.type) {
      case 'Literal': {
        const value = node.value;
        if (value instanceof RegExp || value === undefined) return fail(`unexpected ${node.raw}`, at(node));
        expr = { kind: 'literal', value: value as number | string | boolean | null };
        break;
      }
      case 'Identifier':
        expr = { kind: 'name', name: node.name as string };
        break;
      case 'MemberExpression': {
        if (node.optional) return fail('?. is not part of the condition language: write .', at(node));
        const object = walk(node.object as Node);
        const p = node.property as Node;
        if (!node.computed) expr = { kind: 'field', object, name: p.name as string };
        else if (p.type === 'Literal' && typeof p.value === 'string')
          expr = { kind: 'field', object, name: p.value };
        else if (p.type === 'Literal' && typeof p.value === 'number' && Number.isInteger(p.value))
          expr = { kind: 'index', object, index: p.value };
        else
          return fail(
            'in brackets write a field name in quotes (["MCTL?"]) or a position (overcommit[0])',
            at(p),
          );
        break;
      }
      case 'CallExpression': {
        const callee = node.callee as Node;
        if (callee.type !== 'Identifier')
          return fail('only the functions of the language can be called, such as guest("vm1")', at(node));
        expr = { kind: 'call', fn: callee.name as string, args: (node.arguments as Node[]).map(walk) };
        break;
      }
      case 'UnaryExpression': {
        const op = node.operator as string;
        if (!(UNARY_OPS as readonly string[]).includes(op))
          return fail(`operator ${op} is not part of the condition language (${OPERATORS_HELP})`, at(node));
        expr = { kind: 'unary', op: op as UnaryOp, arg: walk(node.argument as Node) };
        break;
      }
      case 'BinaryExpression':
      case 'LogicalExpression': {
        const op = node.operator as string;
        if (!(BINARY_OPS as readonly string[]).includes(op)) {
          const leftEnd = where.get(node.left as Node)?.end ?? 0;
          const instead = op === '===' ? 'write ==' : op === '!==' ? 'write !=' : OPERATORS_HELP;
          const message = `operator ${op} is not part of the condition language (${instead})`;
          return fail(message, Math.max(0, text.indexOf(op, leftEnd)));
        }
        expr = {
          kind: 'binary',
          op: op as BinaryOp,
          left: walk(node.left as Node),
          right: walk(node.right as Node),
        };
        break;
      }
      case 'ConditionalExpression':
        return fail('?: is not part of the condition language: combine conditions with && and ||', at(node));
      case 'ArrayExpression':
        return fail('lists are not part of the condition language', at(node));
      case 'ThisExpression':
        return fail(
          '"this" means nothing here: start from host, guest("NAME"), t, elapsed or view',
          at(node),
        );
      case 'Compound':
      case 'SequenceExpression': {
        const parts = children(node);
        return fail('one condition expected: join conditions with && or ||', at(parts[1] ?? node));
      }
      default:
        return fail(`unexpected ${node.type}`, at(node));
    }
    spans.set(expr, where.get(node) ?? { start: 0, end: 0 });
    return expr;
  };
  return { expr: walk(tree), spans };
}
