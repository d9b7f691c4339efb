/**
 * Evaluates a checked condition against one snapshot, the trainee's view and the commands they sent.
 * Counters a personality lacks are null (n/a): any comparison of null by < > <= >= is false and
 * arithmetic with it gives null, so a condition on a mechanism the host does not have never passes.
 * A guest that is gone reads as null the same way.
 *
 * `ever(...)` looks back over the step: a Condition keeps, for each `ever` in it, whether its argument
 * has held at any snapshot so far, and updates that at every snapshot even where `&&` would not reach it.
 */
import type { GuestSnapshot, HostSnapshot } from '../engine/snapshot.ts';
import type { Expr } from './expr.ts';
import type { View } from './fields.ts';

export interface EvalInput {
  readonly snapshot: HostSnapshot;
  /** In a compare lesson: each personality's host, for on("kvm", ...). */
  readonly hosts?: ReadonlyMap<string, HostSnapshot>;
  readonly view: View;
  /** Simulated seconds since the step began. */
  readonly elapsed: number;
  /** Commands the trainee had accepted during the step: by command name, and guest when given. */
  sent(command: string, guest?: string): number;
  /** Events of the step in the event log: by kind, and text in the message when given. */
  logged(kind: string, text?: string): number;
}

type Value = number | string | boolean | null | object;

export class Condition {
  /** Every `ever(...)` in the tree, innermost first, with the host it looks at (inside `on(...)`). */
  private readonly evers: { readonly node: Extract<Expr, { kind: 'call' }>; readonly on: string | null }[] =
    [];
  private readonly held = new Set<Expr>();

  constructor(readonly expr: Expr) {
    const collect = (e: Expr, on: string | null): void => {
      if (e.kind === 'field' || e.kind === 'index') collect(e.object, on);
      else if (e.kind === 'unary') collect(e.arg, on);
      else if (e.kind === 'binary') {
        collect(e.left, on);
        collect(e.right, on);
      } else if (e.kind === 'call') {
        const inner = e.fn === 'on' ? String((e.args[0] as { value?: unknown }).value) : on;
        for (const a of e.args) collect(a, inner);
        if (e.fn === 'ever') this.evers.push({ node: e, on });
      }
    };
    collect(expr, null);
  }

  /** Forgets what `ever` has seen: a new step begins. */
  reset(): void {
    this.held.clear();
  }

  /** Looks at one more snapshot: true when the condition holds now. */
  observe(input: EvalInput): boolean {
    for (const { node, on } of this.evers) {
      if (this.held.has(node)) continue;
      const snapshot = on === null ? input.snapshot : input.hosts?.get(on);
      if (snapshot && evaluate(node.args[0], { ...input, snapshot }, this.held) === true) this.held.add(node);
    }
    return evaluate(this.expr, input, this.held) === true;
  }
}

/** A value for text (`{guest("vm4").SWCUR}` in a debrief): numbers with at most two decimals. */
export function valueText(expr: Expr, input: EvalInput): string {
  const v = evaluate(expr, input, new Set());
  if (v === null || v === undefined) return 'n/a';
  if (typeof v === 'number') return String(Math.round(v * 100) / 100);
  return String(v);
}

const num = (v: Value): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function evaluate(e: Expr, input: EvalInput, held: ReadonlySet<Expr>): Value {
  const ev = (x: Expr): Value => evaluate(x, input, held);
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'name':
      switch (e.name) {
        case 'host':
          return input.snapshot.host;
        case 't':
          return input.snapshot.t;
        case 'elapsed':
          return input.elapsed;
        case 'view':
          return input.view;
        case 'personality':
          return input.snapshot.personality;
      }
      return null;
    case 'field': {
      const object = ev(e.object);
      if (object === null || typeof object !== 'object') return null;
      return ((object as Record<string, Value>)[e.name] ?? null) as Value;
    }
    case 'index': {
      const object = ev(e.object);
      return Array.isArray(object) ? ((object[e.index] ?? null) as Value) : null;
    }
    case 'unary': {
      const v = ev(e.arg);
      if (e.op === '!') return v !== true;
      const n = num(v);
      return n === null ? null : -n;
    }
    case 'call':
      return call(e, input, held, ev);
    case 'binary': {
      if (e.op === '&&') return ev(e.left) === true && ev(e.right) === true;
      if (e.op === '||') return ev(e.left) === true || ev(e.right) === true;
      const left = ev(e.left);
      const right = ev(e.right);
      if (e.op === '==') return left === right;
      if (e.op === '!=') return left !== right;
      const a = num(left);
      const b = num(right);
      switch (e.op) {
        case '<':
          return a !== null && b !== null && a < b;
        case '<=':
          return a !== null && b !== null && a <= b;
        case '>':
          return a !== null && b !== null && a > b;
        case '>=':
          return a !== null && b !== null && a >= b;
      }
      if (a === null || b === null) return null;
      switch (e.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return b === 0 ? null : a / b;
      }
    }
  }
}

function call(
  e: Extract<Expr, { kind: 'call' }>,
  input: EvalInput,
  held: ReadonlySet<Expr>,
  ev: (x: Expr) => Value,
): Value {
  const text = (i: number): string => String((e.args[i] as { value: unknown }).value);
  const guest = (name: string): GuestSnapshot | null =>
    input.snapshot.guests.find((g) => g.name === name) ?? null;
  switch (e.fn) {
    case 'guest':
      return guest(text(0));
    case 'workload':
      return guest(text(0))?.workloads.find((w) => w.name === text(1)) ?? null;
    case 'sent':
      return e.args.length === 2 ? input.sent(text(0), text(1)) : input.sent(text(0));
    case 'logged':
      return e.args.length === 2 ? input.logged(text(0), text(1)) : input.logged(text(0));
    case 'ever':
      return held.has(e) || ev(e.args[0]) === true;
    case 'on': {
      const snapshot = input.hosts?.get(text(0));
      return snapshot ? evaluate(e.args[1], { ...input, snapshot }, held) : null;
    }
    case 'min':
    case 'max':
    case 'abs': {
      const values = e.args.map((a) => num(ev(a)));
      if (values.some((v) => v === null)) return null;
      const [a, b] = values as number[];
      return e.fn === 'min' ? Math.min(a, b) : e.fn === 'max' ? Math.max(a, b) : Math.abs(a);
    }
  }
  return null;
}
