import { afterAll, describe, expect, it } from 'vitest';
import type { HostSnapshot } from '../../src/engine/snapshot.ts';
import { type CheckContext, checkExpr } from '../../src/lesson/expr-check.ts';
import { Condition, type EvalInput, valueText } from '../../src/lesson/expr-eval.ts';
import { parseExpr } from '../../src/lesson/expr-parse.ts';
import { GUEST_FIELDS, HOST, type Type, type View } from '../../src/lesson/fields.ts';
import { parsePreset } from '../../src/scenario/preset.ts';
import { Session } from '../../src/session/session.ts';

/** A small real host: a guest with a balloon driver and one without, one running a workload. */
function session(personality = 'esx'): Session {
  const text = [
    '# lesson test',
    'seed: 3',
    `personality: ${personality}`,
    'host: { memory: 256MB }',
    'guests:',
    '  - name: a',
    '    memsz: 96MB',
    '    workloads: [{ type: memhog, name: hog, size: 16MB }]',
    '  - { name: b, memsz: 96MB, balloon: false }',
  ].join('\n');
  return new Session(parsePreset(text, 'lesson-test.yaml'));
}

const esx = session();
esx.tick();
const xen = session('xen-tmem');
xen.tick();
afterAll(() => {
  esx.close();
  xen.close();
});

const VIEW: View = { screen: 'esxtop', guest: 'a' };

function input(snapshot: HostSnapshot, over: Partial<EvalInput> = {}): EvalInput {
  return { snapshot, view: VIEW, elapsed: 0, sent: () => 0, logged: () => 0, ...over };
}

const holds = (text: string, i: EvalInput): boolean => new Condition(parseExpr(text).expr).observe(i);

describe('evaluating conditions on a real snapshot', () => {
  it("reads the host and guests under the screens' names", () => {
    const s = esx.snapshot;
    expect(holds('host.state == "high"', input(s))).toBe(s.host.state === 'high');
    expect(holds('guest("b")["MCTL?"] == false && guest("a")["MCTL?"]', input(s))).toBe(true);
    expect(holds(`host.totalMB == ${s.host.totalMB}`, input(s))).toBe(true);
    expect(holds('workload("a", "hog").state == "running"', input(s))).toBe(true);
    expect(holds('host.overcommit[0] >= 0', input(s))).toBe(true);
    expect(holds('view.screen == "esxtop" && view.guest == "a"', input(s))).toBe(true);
    expect(holds('personality == "esx"', input(s))).toBe(true);
  });

  it('a guest that is not there, or a counter the personality lacks, never passes a comparison', () => {
    const s = xen.snapshot;
    expect(s.guests[0].SWCUR).toBeNull();
    expect(holds('guest("a").SWCUR >= 0', input(s))).toBe(false);
    expect(holds('guest("a").SWCUR < 1', input(s))).toBe(false);
    expect(holds('guest("a").SWCUR + 1 > 0', input(s))).toBe(false);
    expect(holds('guest("a").SWCUR == null', input(s))).toBe(true);
    expect(holds('guest("zz").MEMSZ > 0', input(s))).toBe(false);
    expect(holds('guest("zz") == null', input(s))).toBe(true);
    expect(holds('host.freeMB / 0 >= 0', input(s))).toBe(false);
  });

  it('arithmetic and functions', () => {
    const s = esx.snapshot;
    expect(holds('max(1, 2) * 3 - min(4, 5) == 2 && abs(-2) == 2', input(s))).toBe(true);
    expect(holds('-host.totalMB < 0 && !(1 > 2)', input(s))).toBe(true);
  });

  it('sent() counts the commands the trainee had accepted, by command and guest', () => {
    const log = ['limit a', 'limit b', 'limit b'];
    const sent = (command: string, guest?: string): number =>
      log.filter((l) => l === `${command} ${guest}` || (guest === undefined && l.startsWith(`${command} `)))
        .length;
    const i = input(esx.snapshot, { sent });
    expect(holds('sent("limit") == 3 && sent("limit", "b") == 2 && sent("remove") == 0', i)).toBe(true);
  });

  it('ever() remembers a moment of the step even where && did not look, until the step ends', () => {
    const c = new Condition(parseExpr('elapsed > 6 && ever(elapsed == 4)').expr);
    const at = (elapsed: number): boolean => c.observe(input(esx.snapshot, { elapsed }));
    expect([1, 2, 3, 4, 5, 6, 7].map(at)).toEqual([false, false, false, false, false, false, true]);
    c.reset();
    expect(at(8)).toBe(false);
  });

  it("on() reads another personality's host side by side, ever() included", () => {
    const hosts = new Map([
      ['esx', esx.snapshot],
      ['xen-tmem', xen.snapshot],
    ]);
    const i = input(esx.snapshot, { hosts });
    expect(holds('on("xen-tmem", guest("a").SWCUR) == null && guest("a").SWCUR != null', i)).toBe(true);
    expect(holds('on("xen-tmem", personality) == "xen-tmem" && personality == "esx"', i)).toBe(true);
    expect(holds('on("kvm", host.freeMB) > 0', i)).toBe(false);
    const c = new Condition(parseExpr('on("xen-tmem", ever(personality == "xen-tmem"))').expr);
    expect(c.observe(i)).toBe(true);
  });

  it('values in texts: numbers with at most two decimals, n/a for null', () => {
    const s = xen.snapshot;
    expect(valueText(parseExpr('1 / 3').expr, input(s))).toBe('0.33');
    expect(valueText(parseExpr('guest("a").SWCUR').expr, input(s))).toBe('n/a');
    expect(valueText(parseExpr('host.state').expr, input(s))).toBe(s.host.state);
  });
});

describe('the field tables match what snapshots hold', () => {
  const matches = (type: Type, value: unknown): boolean => {
    if (value === null) return type.kind !== 'object' || type.what === 'tmem';
    switch (type.kind) {
      case 'number':
        return typeof value === 'number';
      case 'string':
        return typeof value === 'string' && (type.values === undefined || type.values.includes(value));
      case 'boolean':
        return typeof value === 'boolean';
      case 'list':
        return Array.isArray(value) && value.every((v) => matches(type.of, v));
      case 'object':
        return (
          typeof value === 'object' &&
          Object.keys(value as object)
            .sort()
            .join() === Object.keys(type.fields).sort().join() &&
          Object.entries(type.fields).every(([k, t]) => matches(t, (value as Record<string, unknown>)[k]))
        );
      case 'null':
        return false;
    }
  };

  it('every host and guest field, with its type, under esx and xen-tmem', () => {
    for (const s of [esx.snapshot, xen.snapshot]) {
      expect(matches(HOST, s.host)).toBe(true);
      for (const g of s.guests)
        expect(matches({ kind: 'object', what: 'guest', fields: GUEST_FIELDS }, g)).toBe(true);
    }
  });
});

describe('checking conditions when a lesson loads', () => {
  const context: CheckContext = {
    guests: ['vm1', 'vm4'],
    workloads: (g) => (g === 'vm1' ? ['db'] : g === 'vm4' ? [] : undefined),
    commands: ['limit', 'remove', 'add'],
    personalities: [],
  };
  const problems = (text: string, want: 'condition' | 'value' = 'condition') =>
    checkExpr(parseExpr(text), context, want).map((p) => `${p.at}: ${p.message}`);

  it('accepts what the language has', () => {
    expect(
      problems('guest("vm4").SWCUR > 100 && host.state != "high" || ever(view.screen == "detail")'),
    ).toEqual([]);
    expect(problems('sent("remove") == 0 && workload("vm1", "db").THRU > 0 && elapsed <= 120')).toEqual([]);
    expect(problems('guest("vm1").guestOs.swapUsedMB + host.overcommit[2] > 0')).toEqual([]);
    expect(problems('guest("vm1").SWCUR', 'value')).toEqual([]);
  });

  it.each([
    ['host.stat == "high"', '5: no field "stat" in host (did you mean "state"?)'],
    ['host.state == "hgih"', '14: "hgih" is never the value of host.state (did you mean "high"?)'],
    ['guest("vm9").SWCUR > 1', '6: no guest "vm9" in this lesson (did you mean "vm1"?)'],
    ['guest("vm1").MCTL', '13: no field "MCTL" in guest (did you mean ["MCTL?"]?)'],
    ['guest("vm1")["SWR"] > 0', '13: no field "SWR" in guest (did you mean ["SWR/s"]?)'],
    ['hots.freeMB > 1', '0: unknown name "hots" (did you mean "host"?)'],
    ['gest("vm1").SWCUR > 1', '0: unknown function "gest" (did you mean "guest"?)'],
    [
      'guest(vm1).SWCUR > 1',
      '6: guest: the name is written in quotes: guest("vm4"): that guest\'s columns (null once it is gone)',
    ],
    ['sent("limt") == 0', '5: sent: unknown command "limt" (did you mean "limit"?)'],
    ['workload("vm1", "dd").THRU > 0', '16: vm1 has no workload "dd" (did you mean "db"?)'],
    ['host.state > 3', '0: > needs numbers, but host.state is text'],
    [
      'host.freeMB',
      '0: a condition is true or false, but host.freeMB is a number (compare it: == != < > ...)',
    ],
    ['host.freeMB && true', '0: && joins conditions, but host.freeMB is a number'],
    ['host.state == 3', '0: == compares host.state (text) with 3 (a number)'],
    ['guest("vm1") == null && host.pshare', '24: && joins conditions, but host.pshare is a group of fields'],
    ['host.freeMB.x > 0', '12: host.freeMB is a number: it has no field "x"'],
    ['guest("vm1")', '0: guest("vm1") is a guest: show one of its fields', 'value'],
    [
      'on("kvm", host.freeMB) > 1',
      '0: on: this lesson runs one host: on() is for lessons with compare: [esx, kvm, ...]',
    ],
    [
      'on("kvm", host.state) == 1',
      '0: == compares on("kvm", host.state) (text) with 1 (a number)',
      'condition',
      ['kvm'],
    ],
    [
      'on("kmv", host.freeMB) > 1',
      '3: on: "kmv" is not side by side here (did you mean "kvm"?)',
      'condition',
      ['kvm', 'esx'],
    ],
  ])('%s', (text, message, want = 'condition', personalities: string[] = []) => {
    const c = { ...context, personalities };
    expect(
      checkExpr(parseExpr(text), c, want as 'condition' | 'value').map((p) => `${p.at}: ${p.message}`),
    ).toEqual([message]);
  });
});
