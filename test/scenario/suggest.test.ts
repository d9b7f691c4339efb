import { describe, expect, it } from 'vitest';
import { closest, editDistance, hint } from '../../src/scenario/suggest.ts';

describe('suggestions', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('memzs', 'memsz')).toBe(1);
    expect(editDistance('limt', 'limit')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only what is near enough to be a typo, ignoring case', () => {
    expect(closest('limt', ['limit', 'remove'])).toBe('limit');
    expect(closest('LIMIT', ['limit'])).toBe('limit');
    expect(closest('reservaton', ['reservation', 'resume'])).toBe('reservation');
    expect(closest('kernel', ['kernel-compile', 'idle'])).toBeUndefined();
    // Two edits in four letters is a different word, not a typo.
    expect(closest('stat', ['start', 'step', 'stop'])).toBe('start');
    expect(closest('xy', ['ab'])).toBeUndefined();
  });

  it('prefers the nearest, then the first listed', () => {
    expect(closest('vm3', ['vm1', 'vm2', 'vm33'])).toBe('vm1');
    expect(closest('stap', ['step', 'stop'])).toBe('step');
  });

  it('lists every choice when none is near', () => {
    expect(hint('limt', ['limit', 'pause'])).toBe('did you mean "limit"?');
    expect(hint('zzz', ['limit', 'pause'])).toBe('one of limit, pause');
  });
});
