import { describe, expect, it } from 'vitest';
import { inner, type Rect, wallLayout } from '../../src/wall/layout.ts';

const overlap = (a: Rect, b: Rect): boolean =>
  a.left < b.left + b.width &&
  b.left < a.left + a.width &&
  a.top < b.top + b.height &&
  b.top < a.top + a.height;

describe('the wall layout', () => {
  for (const [cols, rows] of [
    [80, 24],
    [100, 30],
    [120, 36],
    [160, 48],
    [250, 80],
  ]) {
    it(`tiles ${cols}x${rows} without overlap, inside the screen, the status on the last row`, () => {
      const l = wallLayout(cols, rows);
      const rects = [
        l.stateLcd,
        l.freeLcd,
        l.thresholds,
        l.composition,
        l.freeChart,
        l.guests,
        l.log,
        l.status,
        ...(l.selected ? [l.selected] : []),
      ];
      for (const r of rects) {
        expect(r.left).toBeGreaterThanOrEqual(0);
        expect(r.top).toBeGreaterThanOrEqual(0);
        expect(r.left + r.width).toBeLessThanOrEqual(cols);
        expect(r.top + r.height).toBeLessThanOrEqual(rows);
      }
      for (let i = 0; i < rects.length; i++)
        for (let j = i + 1; j < rects.length; j++) expect(overlap(rects[i], rects[j])).toBe(false);
      // Every cell is some panel's: the areas add up to the screen.
      expect(rects.reduce((a, r) => a + r.width * r.height, 0)).toBe(cols * rows);
      expect(l.status).toEqual({ top: rows - 1, left: 0, width: cols, height: 1 });
      // The big displays need four braille rows a line and room for their padding.
      expect(inner(l.stateLcd).height).toBeGreaterThanOrEqual(4);
      expect(inner(l.guests).height).toBeGreaterThanOrEqual(6);
    });
  }

  it('shows the selected guest large only from 120x36', () => {
    expect(wallLayout(80, 24).selected).toBeNull();
    expect(wallLayout(119, 60).selected).toBeNull();
    expect(wallLayout(120, 36).selected).not.toBeNull();
  });

  it('lays a terminal smaller than 80x24 out as 80x24', () => {
    expect(wallLayout(40, 10)).toEqual(wallLayout(80, 24));
  });
});
