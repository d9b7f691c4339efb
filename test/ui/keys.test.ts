import { describe, expect, it } from 'vitest';
import { complete, usageShape } from '../../src/ui/complete.ts';
import {
  type Context,
  decodeInput,
  helpSections,
  KEYS,
  LESSON_TAKES_OVER,
  lookup,
  lookupOrder,
} from '../../src/ui/keys.ts';
import { noKey } from './fixtures.ts';

describe('the key table', () => {
  it('binds no key twice where a lookup could reach it twice (a lesson takes over only the keys it says)', () => {
    const contexts = [...new Set(KEYS.map((b) => b.context))] as Context[];
    for (const lesson of [false, true]) {
      for (const ctx of contexts) {
        const seen = new Map<string, string>();
        for (const c of lookupOrder(ctx, lesson)) {
          for (const b of KEYS.filter((x) => x.context === c)) {
            for (const k of b.keys) {
              const takenOver = lesson && seen.get(k)?.startsWith('lesson') && LESSON_TAKES_OVER.includes(k);
              if (!takenOver)
                expect(seen.get(k), `${ctx}: "${k}" bound to ${seen.get(k)} and ${b.action}`).toBeUndefined();
              if (!seen.has(k)) seen.set(k, b.action);
            }
          }
        }
      }
    }
  });

  it('has the esxtop and xentop keys the issue names', () => {
    const keysOf = (ctx: Context): string[] =>
      lookupOrder(ctx).flatMap((c) => KEYS.filter((b) => b.context === c).flatMap((b) => b.keys));
    for (const k of [
      'm',
      'x',
      'f',
      'o',
      'M',
      'B',
      'N',
      's',
      'space',
      'V',
      'h',
      '?',
      'q',
      'W',
      'Z',
      'p',
      ':',
      'enter',
      'ctrl+c',
    ])
      expect(keysOf('esxtop')).toContain(k);
    for (const k of [
      'd',
      'D',
      'n',
      'N',
      'b',
      'B',
      't',
      'T',
      'v',
      'V',
      'r',
      'R',
      's',
      'S',
      'up',
      'down',
      'ctrl+l',
      'q',
      'Q',
      'escape',
    ])
      expect(keysOf('xentop')).toContain(k);
  });

  it('looks keys up screen first, then everywhere, with overlays on their own', () => {
    expect(lookup('xentop', { name: 'N' })?.action).toBe('xenNetworks');
    expect(lookup('esxtop', { name: 'N' })?.action).toBe('sortGid');
    expect(lookup('xentop', { name: 'escape' })?.action).toBe('quit');
    expect(lookup('esxtop', { name: 'escape' })).toBeUndefined();
    expect(lookup('xentop', { name: 'm' })?.action).toBe('screenEsxtop');
    expect(lookup('command', { name: 'q', text: 'q' })?.action).toBe('insert');
    expect(lookup('command', { name: 'space', text: ' ' })?.action).toBe('insert');
    expect(lookup('fields', { name: 'c', text: 'c' })?.action).toBe('toggleField');
    expect(lookup('order', { name: 'C', text: 'C' })?.action).toBe('moveFieldLeft');
    expect(lookup('form', { name: 'ctrl+c' })?.action).toBe('quit');
  });

  it('makes the help from the table, every binding once', () => {
    const rows = helpSections().flatMap((s) => s.rows);
    expect(rows).toHaveLength(KEYS.length);
  });

  it("splits Ink's chunks into keys", () => {
    expect(decodeInput('x', noKey)).toEqual([{ name: 'x', text: 'x' }]);
    expect(decodeInput('', { ...noKey, upArrow: true })).toEqual([{ name: 'up' }]);
    expect(decodeInput('', { ...noKey, escape: true })).toEqual([{ name: 'escape' }]);
    expect(decodeInput('', { ...noKey, delete: true })).toEqual([{ name: 'backspace' }]);
    expect(decodeInput('l', { ...noKey, ctrl: true })).toEqual([{ name: 'ctrl+l' }]);
    expect(decodeInput('', { ...noKey, tab: true, shift: true })).toEqual([{ name: 'shift+tab' }]);
    expect(decodeInput('ab c\r', noKey).map((e) => e.name)).toEqual(['a', 'b', 'space', 'c', 'enter']);
    expect(decodeInput('w', { ...noKey, meta: true }).map((e) => e.name)).toEqual(['escape', 'w']);
    expect(decodeInput('a\x7f\t\x15', noKey).map((e) => e.name)).toEqual(['a', 'backspace', 'tab', 'ctrl+u']);
  });
});

describe(': line completion', () => {
  const ctx = {
    guests: ['vm1', 'vm2', 'db'],
    workloadsOf: (g: string) => (g === 'db' ? ['database', 'os-image'] : []),
  };

  it('reads usage lines', () => {
    expect(usageShape('start NAME WORKLOAD [name=N] [size=SIZE]')).toEqual({
      positional: ['NAME', 'WORKLOAD'],
      optional: [],
      options: ['name=', 'size='],
    });
    expect(usageShape('step [N]').optional).toEqual(['N']);
  });

  it('completes command names, guests, workloads, keywords, options and their values', () => {
    expect(complete('li', 2, ctx)).toEqual({ text: 'limit ', cursor: 6, candidates: [] });
    expect(complete('s', 1, ctx).candidates).toEqual(['shares', 'start', 'stop', 'step', 'speed']);
    expect(complete('st', 2, ctx)).toMatchObject({ text: 'st', candidates: ['start', 'stop', 'step'] });
    expect(complete('limit v', 7, ctx)).toMatchObject({ text: 'limit vm', candidates: ['vm1', 'vm2'] });
    expect(complete('limit vm1 n', 11, ctx).text).toBe('limit vm1 none ');
    expect(complete('start db kern', 13, ctx).text).toBe('start db kernel-compile ');
    expect(complete('stop db da', 10, ctx).text).toBe('stop db database ');
    expect(complete('add vm3 mem', 11, ctx).text).toBe('add vm3 memsz=');
    expect(complete('add vm3 memsz=1GB os=w', 22, ctx).text).toBe('add vm3 memsz=1GB os=windows ');
    expect(complete('speed m', 7, ctx).text).toBe('speed max ');
    expect(complete('frobnicate x', 12, ctx)).toEqual({ text: 'frobnicate x', cursor: 12, candidates: [] });
  });

  it('does not offer an option twice', () => {
    expect(complete('add vm3 memsz=1GB mem', 21, ctx)).toMatchObject({ candidates: [] });
  });
});
