import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holds, type Published, publishedText, verdict } from '../../src/experiment/verdict.ts';

const ratio: Published = { low: 1.4, high: 1.7, reference: 1 };

describe('verdict(measured, published)', () => {
  it('is reproduced within the published range, ends included', () => {
    for (const m of [1.4, 1.55, 1.7]) expect(verdict(m, ratio).word).toBe('reproduced');
    expect(verdict(1.55, ratio).reason).toBe('1.55 is within the published 1.40-1.70');
  });

  it('shows the direction only on the published side of the reference, outside the range', () => {
    expect(verdict(1.1, ratio)).toEqual({
      word: 'direction only',
      reason: '1.10 is on the published side of 1, but below the published 1.40-1.70',
    });
    expect(verdict(2.5, ratio).word).toBe('direction only');
    expect(verdict(2.5, ratio).reason).toContain('above');
  });

  it('is not reproduced on the other side of the reference, at it, or when nothing was measured', () => {
    expect(verdict(0.9, ratio).word).toBe('not reproduced');
    expect(verdict(1, ratio).word).toBe('not reproduced');
    expect(verdict(null, ratio)).toEqual({ word: 'not reproduced', reason: 'nothing was measured' });
    expect(verdict(Number.NaN, ratio).word).toBe('not reproduced');
  });

  it('shows no direction for a figure that reads the same as the reference', () => {
    expect(verdict(1.001, ratio)).toEqual({
      word: 'not reproduced',
      reason: '1.00 is no different from 1; published 1.40-1.70',
    });
    const cut: Published = { low: 0.3, high: 0.4, reference: 0, format: (x) => `${(100 * x).toFixed(0)} %` };
    expect(verdict(0.0001, cut).word).toBe('not reproduced');
    expect(verdict(0.02, cut).word).toBe('direction only');
  });

  it('without a reference only the range counts', () => {
    const p: Published = { low: 0.9, high: 1.1 };
    expect(verdict(1, p).word).toBe('reproduced');
    expect(verdict(0.5, p)).toEqual({
      word: 'not reproduced',
      reason: '0.50 is outside the published 0.90-1.10',
    });
  });

  it('a range below its reference (a reduction) reads its direction downward', () => {
    const cut: Published = { low: -0.4, high: -0.3, reference: 0, format: (x) => `${Math.round(100 * x)} %` };
    expect(verdict(-0.35, cut).word).toBe('reproduced');
    expect(verdict(-0.1, cut).word).toBe('direction only');
    expect(verdict(0.2, cut).word).toBe('not reproduced');
    expect(publishedText(cut)).toBe('-40 %--30 %');
    expect(publishedText({ low: 5, high: 5 })).toBe('5');
  });

  it('is a function of its inputs alone, and agrees with the range and reference', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        (m, low, span, ref) => {
          const p: Published = { low, high: low + span, reference: ref };
          const v = verdict(m, p);
          expect(verdict(m, p)).toEqual(v);
          if (m >= low && m <= low + span) expect(v.word).toBe('reproduced');
          else if (v.word === 'direction only') {
            expect(Math.sign(m - ref)).toBe(Math.sign(low + span / 2 - ref));
          }
        },
      ),
    );
  });

  it('holds() words a true or false claim', () => {
    expect(holds(true, 'yes', 'no')).toEqual({ word: 'reproduced', reason: 'yes' });
    expect(holds(false, 'yes', 'no')).toEqual({ word: 'not reproduced', reason: 'no' });
  });
});
