import { describe, expect, it } from 'vitest';
import type { Chart } from '../../src/experiment/outcome.ts';
import { chartText } from '../../src/experiment/render.ts';

const sweep: Chart = {
  title: 'throughput against the limit',
  x: 'limit, %',
  y: 'throughput',
  curves: [
    {
      name: 'balloon',
      points: [
        [100, 1],
        [80, 1],
        [40, 0.5],
      ],
    },
    {
      name: 'swap',
      points: [
        [100, 1],
        [80, 0.25],
        [40, 0],
      ],
    },
  ],
};

describe('an experiment chart', () => {
  it('draws a sweep as block bars, a row per x, each bar as long as its value, within the width', () => {
    const lines = chartText(sweep, 60);
    expect(lines[0]).toBe('throughput against the limit');
    const rows = lines.slice(2, 5);
    expect(rows.map((r) => r.trim().split(' ')[0])).toEqual(['100', '80', '40']);
    const bars = (r: string): number[] => (r.match(/█+[▏▎▍▌▋▊▉]?/g) ?? []).map((b) => b.length);
    const [full] = bars(rows[0]);
    // 80 %: balloon full, swap a quarter; 40 %: balloon half, swap nothing (a part cell counts as one).
    expect(bars(rows[1])).toEqual([full, Math.ceil(full / 4)]);
    expect(bars(rows[2])).toEqual([Math.ceil(full / 2)]);
    expect(rows[2]).toMatch(/0\.50 .* 0\.00$/);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
  });

  it('draws a curve over time in braille, each curve beside the others', () => {
    const points = Array.from({ length: 50 }, (_, i) => [i, i] as const);
    const lines = chartText(
      {
        ...sweep,
        curves: [
          { name: 'a', points },
          { name: 'b', points },
        ],
      },
      60,
    );
    expect(lines.slice(2, 7).join('')).toMatch(/[⡀-⣿]/);
    expect(lines[7]).toMatch(/^0 +49 +0 +49$/);
  });
});
