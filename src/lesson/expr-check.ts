/**
 * Checks a condition when its lesson loads, so that a misspelt field, a guest the host never has or a
 * comparison of text with a number is an error pointing at the place, not a step that silently never
 * passes. Each problem gives where it is in the condition text; the lesson loader turns that into the
 * file's line and column.
 */

import { closest, hint } from '../scenario/suggest.ts';
import { type Expr, print } from './expr.ts';
import type { Parsed } from './expr-parse.ts';
import { BOOLEAN, EVENT_KINDS, FUNCTIONS, NAMES, NUMBER, type Type } from './fields.ts';

export interface CheckContext {
  /** The guests the lesson's host can have (the preset's, and those its timeline and solutions add). */
  readonly guests: readonly string[];
  /** The workloads a guest can run; undefined when the guest is unknown. */
  readonly workloads: (guest: string) => readonly string[] | undefined;
  /** The command names, for sent("..."). */
  readonly commands: readonly string[];
  /** The personalities side by side in a compare lesson, for on("..."); empty otherwise. */
  readonly personalities: readonly string[];
}

export interface ExprProblem {
  /** Where in the condition text. */
  readonly at: number;
  readonly message: string;
}

/** A literal's own type, so that comparing a state with "hgih" can be caught. */
type Inferred = Type | { readonly kind: 'text'; readonly value: string } | { readonly kind: 'unknown' };

const describeType = (t: Inferred): string => {
  switch (t.kind) {
    case 'number':
      return 'a number';
    case 'string':
    case 'text':
      return 'text';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'object':
      return t.what === 'guest' || t.what === 'workload' ? `a ${t.what}` : 'a group of fields';
    case 'list':
      return 'a list';
    case 'unknown':
      return 'unknown';
  }
};

/** Problems with `parsed` as a condition (it must be true or false), or as a value shown in text. */
export function checkExpr(
  parsed: Parsed,
  context: CheckContext,
  want: 'condition' | 'value' = 'condition',
): ExprProblem[] {
  const problems: ExprProblem[] = [];
  const at = (e: Expr): number => parsed.spans.get(e)?.start ?? 0;
  const problem = (e: Expr | number, message: string): Inferred => {
    problems.push({ at: typeof e === 'number' ? e : at(e), message });
    return { kind: 'unknown' };
  };
  const isA = (t: Inferred, kind: 'number' | 'boolean'): boolean =>
    t.kind === kind || t.kind === 'unknown' || t.kind === 'null';
  const isText = (t: Inferred): boolean => t.kind === 'string' || t.kind === 'text';

  const infer = (e: Expr): Inferred => {
    switch (e.kind) {
      case 'literal':
        if (typeof e.value === 'number') return NUMBER;
        if (typeof e.value === 'string') return { kind: 'text', value: e.value };
        if (typeof e.value === 'boolean') return BOOLEAN;
        return { kind: 'null' };
      case 'name': {
        const n = NAMES[e.name];
        if (n) return n.type;
        if (FUNCTIONS[e.name]) return problem(e, `${e.name} is a function: ${FUNCTIONS[e.name].help}`);
        return problem(e, `unknown name "${e.name}" (${hint(e.name, Object.keys(NAMES))})`);
      }
      case 'field': {
        const object = infer(e.object);
        if (object.kind === 'unknown') return object;
        if (object.kind === 'object') {
          const t = object.fields[e.name];
          if (t) return t;
          return problem(
            fieldStart(e),
            `no field "${e.name}" in ${object.what} (${fieldHint(e.name, Object.keys(object.fields))})`,
          );
        }
        if (object.kind === 'list' && e.name === 'length')
          return problem(fieldStart(e), `${object.what} is a list: read one element, as in [0]`);
        return problem(
          fieldStart(e),
          `${print(e.object)} is ${describeType(object)}: it has no field "${e.name}"`,
        );
      }
      case 'index': {
        const object = infer(e.object);
        if (object.kind === 'unknown') return object;
        if (object.kind === 'list') return object.of;
        return problem(
          e,
          `${print(e.object)} is ${describeType(object)}, not a list: [${e.index}] reads nothing`,
        );
      }
      case 'call':
        return call(e);
      case 'unary': {
        const arg = infer(e.arg);
        const kind = e.op === '!' ? 'boolean' : 'number';
        if (!isA(arg, kind)) {
          return problem(
            e,
            `${e.op} needs ${describeType({ kind } as Type)}, but ${print(e.arg)} is ${describeType(arg)}`,
          );
        }
        return e.op === '!' ? BOOLEAN : NUMBER;
      }
      case 'binary': {
        const left = infer(e.left);
        const right = infer(e.right);
        if (left.kind === 'unknown' || right.kind === 'unknown')
          return e.op === '+' || e.op === '-' || e.op === '*' || e.op === '/' ? NUMBER : BOOLEAN;
        switch (e.op) {
          case '&&':
          case '||':
            for (const [side, t] of [
              [e.left, left],
              [e.right, right],
            ] as const) {
              if (!isA(t, 'boolean'))
                return problem(side, `${e.op} joins conditions, but ${print(side)} is ${describeType(t)}`);
            }
            return BOOLEAN;
          case '==':
          case '!=':
            return equality(e, left, right);
          case '<':
          case '<=':
          case '>':
          case '>=':
          case '+':
          case '-':
          case '*':
          case '/':
            for (const [side, t] of [
              [e.left, left],
              [e.right, right],
            ] as const) {
              if (!isA(t, 'number') || t.kind === 'null')
                return problem(side, `${e.op} needs numbers, but ${print(side)} is ${describeType(t)}`);
            }
            return '+-*/'.includes(e.op) ? NUMBER : BOOLEAN;
        }
      }
    }
  };

  const equality = (e: Extract<Expr, { kind: 'binary' }>, left: Inferred, right: Inferred): Inferred => {
    if (left.kind === 'null' || right.kind === 'null') return BOOLEAN;
    const sameKind = (isText(left) && isText(right)) || left.kind === right.kind;
    if (!sameKind) {
      return problem(
        e,
        `${e.op} compares ${print(e.left)} (${describeType(left)}) with ${print(e.right)} (${describeType(right)})`,
      );
    }
    if (left.kind === 'object' || left.kind === 'list')
      return problem(
        e,
        `${e.op} compares values, not ${left.kind === 'list' ? 'lists' : `${left.what}s`}: compare one of their fields`,
      );
    for (const [lit, other, side] of [
      [left, right, e.left],
      [right, left, e.right],
    ] as const) {
      if (
        lit.kind === 'text' &&
        other.kind === 'string' &&
        other.values &&
        !other.values.includes(lit.value)
      ) {
        return problem(
          side,
          `"${lit.value}" is never the value of ${print(lit === left ? e.right : e.left)} (${hint(lit.value, other.values)})`,
        );
      }
    }
    return BOOLEAN;
  };

  const call = (e: Extract<Expr, { kind: 'call' }>): Inferred => {
    const spec = FUNCTIONS[e.fn];
    if (!spec) {
      if (NAMES[e.fn]) return problem(e, `${e.fn} is not a function: ${NAMES[e.fn].help}`);
      return problem(e, `unknown function "${e.fn}" (${hint(e.fn, Object.keys(FUNCTIONS))})`);
    }
    const most = spec.args.length;
    const least = most - (spec.optional ?? 0);
    if (e.args.length < least || e.args.length > most) {
      const wants = least === most ? `${most}` : `${least} or ${most}`;
      return problem(e, `${e.fn} takes ${wants} argument${most === 1 ? '' : 's'}: ${spec.help}`);
    }
    let failed = false;
    let result: Inferred = spec.result;
    e.args.forEach((arg, i) => {
      const a = spec.args[i];
      if (i === spec.resultOf) {
        result = infer(arg);
        return;
      }
      if (a.literal) {
        if (arg.kind !== 'literal' || typeof arg.value !== 'string') {
          problem(arg, `${e.fn}: the ${a.name} is written in quotes: ${spec.help}`);
          failed = true;
        }
        return;
      }
      const t = infer(arg);
      if (a.type.kind !== 'string' && !isA(t, a.type.kind as 'number' | 'boolean')) {
        problem(
          arg,
          `${e.fn}: the ${a.name} must be ${describeType(a.type)}, but ${print(arg)} is ${describeType(t)}`,
        );
        failed = true;
      }
    });
    if (failed) return { kind: 'unknown' };
    const text = (i: number): string => (e.args[i] as { value: string }).value;
    if (e.fn === 'guest' || e.fn === 'workload' || (e.fn === 'sent' && e.args.length === 2)) {
      const index = e.fn === 'sent' ? 1 : 0;
      const name = text(index);
      if (!context.guests.includes(name)) {
        const others = context.guests.length === 0 ? 'the host has none' : hint(name, context.guests);
        return problem(e.args[index], `no guest "${name}" in this lesson (${others})`);
      }
    }
    if (e.fn === 'workload') {
      const names = context.workloads(text(0)) ?? [];
      if (!names.includes(text(1))) {
        const others = names.length === 0 ? `${text(0)} runs none` : hint(text(1), names);
        return problem(e.args[1], `${text(0)} has no workload "${text(1)}" (${others})`);
      }
    }
    if (e.fn === 'logged' && !EVENT_KINDS.includes(text(0))) {
      return problem(e.args[0], `logged: unknown kind of event "${text(0)}" (${hint(text(0), EVENT_KINDS)})`);
    }
    if (e.fn === 'on' && !context.personalities.includes(text(0))) {
      if (context.personalities.length === 0)
        return problem(e, 'on: this lesson runs one host: on() is for lessons with compare: [esx, kvm, ...]');
      return problem(
        e.args[0],
        `on: "${text(0)}" is not side by side here (${hint(text(0), context.personalities)})`,
      );
    }
    if (e.fn === 'sent' && !context.commands.includes(text(0))) {
      return problem(e.args[0], `sent: unknown command "${text(0)}" (${hint(text(0), context.commands)})`);
    }
    return result;
  };

  /** Where a field's name is written: after its object. */
  const fieldStart = (e: Extract<Expr, { kind: 'field' }>): number => {
    const span = parsed.spans.get(e.object);
    return span ? span.end + 1 : at(e);
  };

  const t = infer(parsed.expr);
  if (problems.length === 0 && want === 'condition' && !isA(t, 'boolean')) {
    problem(
      parsed.expr,
      `a condition is true or false, but ${print(parsed.expr)} is ${describeType(t)} (compare it: == != < > ...)`,
    );
  }
  if (problems.length === 0 && want === 'value' && (t.kind === 'object' || t.kind === 'list')) {
    problem(parsed.expr, `${print(parsed.expr)} is ${describeType(t)}: show one of its fields`);
  }
  return problems;
}

/** The nearest field; for names that are not identifiers, how to write them (`["MCTL?"]`). */
function fieldHint(name: string, fields: readonly string[]): string {
  const near = closest(name, fields) ?? fields.find((f) => f.toLowerCase().startsWith(name.toLowerCase()));
  if (near === undefined) return `the fields are ${fields.join(', ')}`;
  return /^[A-Za-z_$][\w$]*$/.test(near) ? `did you mean "${near}"?` : `did you mean ["${near}"]?`;
}
