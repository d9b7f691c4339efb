import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BINARY_OPS, type Expr, print, UNARY_OPS } from '../../src/lesson/expr.ts';
import { ExprError, parseExpr } from '../../src/lesson/expr-parse.ts';

/** Names the parser reads as something else, so never plain names in a tree. */
const RESERVED = new Set(['true', 'false', 'null', 'this']);
const identifier = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,7}$/).filter((s) => !RESERVED.has(s));

/** Any tree the language has: literals (numbers never negative: -3 is unary minus), names, fields, calls. */
const tree: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .oneof(
        fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
        fc.nat(),
        fc.string({ unit: 'binary', maxLength: 8 }),
        fc.boolean(),
        fc.constant(null),
      )
      .map((value): Expr => ({ kind: 'literal', value })),
    identifier.map((name): Expr => ({ kind: 'name', name })),
    fc
      .record({
        object: tie('expr'),
        name: fc.oneof(identifier, fc.string({ unit: 'binary', maxLength: 6 })),
      })
      .map(({ object, name }): Expr => ({ kind: 'field', object, name })),
    fc
      .record({ object: tie('expr'), index: fc.nat(20) })
      .map(({ object, index }): Expr => ({ kind: 'index', object, index })),
    fc
      .record({ fn: identifier, args: fc.array(tie('expr'), { maxLength: 3 }) })
      .map(({ fn, args }): Expr => ({ kind: 'call', fn, args })),
    fc
      .record({ op: fc.constantFrom(...UNARY_OPS), arg: tie('expr') })
      .map(({ op, arg }): Expr => ({ kind: 'unary', op, arg })),
    fc
      .record({ op: fc.constantFrom(...BINARY_OPS), left: tie('expr'), right: tie('expr') })
      .map(({ op, left, right }): Expr => ({ kind: 'binary', op, left, right })),
  ),
})).expr;

describe('the condition language: parse and print', () => {
  it('parse(print(t)) is t for any tree', () => {
    fc.assert(
      fc.property(tree, (t) => {
        expect(parseExpr(print(t)).expr).toEqual(t);
      }),
      { numRuns: 2000 },
    );
  });

  it('printing is canonical: spacing, quotes and spare parentheses do not change the printed text', () => {
    const same = [
      ['host.state=="high"', "(host . state) == 'high'"],
      ['guest("vm4").SWCUR>100&&elapsed<=120', '((guest( "vm4" ).SWCUR > 100)) && (elapsed <= 120)'],
      ['guest("vm1")["MCTL?"]', "guest('vm1')['MCTL?']"],
      ['a - (b - c)', '(a) - ((b - c))'],
    ];
    for (const [a, b] of same) expect(print(parseExpr(a).expr)).toBe(print(parseExpr(b).expr));
    expect(print(parseExpr('(a - b) - c').expr)).toBe('a - b - c');
    expect(print(parseExpr('!(a == b)').expr)).toBe('!(a == b)');
    expect(print(parseExpr('guest("vm1").SHRD').expr)).toBe('guest("vm1").SHRD');
  });

  it('knows precedence as written: && binds tighter than ||, comparison tighter than &&', () => {
    const t = parseExpr('a || b && c == 1').expr;
    expect(t).toMatchObject({ op: '||', right: { op: '&&', right: { op: '==' } } });
  });

  it('spans point at each part of the text', () => {
    const text = 'guest("vm4").SWCUR > 100 && host.state == "soft"';
    const { expr, spans } = parseExpr(text);
    const slice = (e: Expr): string => {
      const s = spans.get(e);
      return s ? text.slice(s.start, s.end) : '';
    };
    if (expr.kind !== 'binary' || expr.left.kind !== 'binary' || expr.right.kind !== 'binary')
      throw new Error();
    expect(slice(expr.left.left)).toBe('guest("vm4").SWCUR');
    expect(slice(expr.left.right)).toBe('100');
    expect(slice(expr.right.right)).toBe('"soft"');
  });
});

describe('the condition language: syntax errors', () => {
  const error = (text: string): { message: string; at: number } => {
    try {
      parseExpr(text);
    } catch (e) {
      if (e instanceof ExprError) return { message: e.message, at: e.at };
      throw e;
    }
    throw new Error(`${text} parsed`);
  };

  it.each([
    ['host.freeMB % 2 == 0', 12, /operator % is not part/],
    ['host.state === "high"', 11, /write ==/],
    ['host.state == "high" guest("a")', 21, /one condition expected/],
    ['host.freeMB >', 13, /expected a value after >/],
    ['elapsed > 1 ? a : b', 0, /\?: is not part/],
    ['guest("vm4").SWCUR > 100MB', 24, /write 100, not 100MB/],
    ['host.state == "high', 19, /no closing quote/],
    ['[1, 2]', 0, /lists are not/],
    ['', 0, /empty/],
    ['host.state.x()', 0, /only the functions/],
  ])('%s: at %i', (text, at, message) => {
    const e = error(text);
    expect(e.message).toMatch(message);
    expect(e.at).toBe(at);
  });
});
