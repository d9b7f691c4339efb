import { describe, expect, it } from 'vitest';
import { stripColors } from '../../src/wall/no-color.ts';

const E = '\x1b[';

describe('stripColors', () => {
  it('takes out 8, 16, 256 and 24-bit colours, foreground and background', () => {
    expect(stripColors(`${E}31mred${E}m`)).toBe(`red${E}m`);
    expect(stripColors(`${E}1;38;5;208;48;2;1;2;3mx`)).toBe(`${E}1mx`);
    expect(stripColors(`${E}97;104mx${E}39;49m`)).toBe('x');
  });

  it('keeps bold, underline, inverse and resets', () => {
    expect(stripColors(`${E}1;4;7;32mx${E}0m`)).toBe(`${E}1;4;7mx${E}0m`);
  });

  it('leaves other escape sequences and text alone', () => {
    const s = `${E}2J${E}10;5H${E}?1049habc{}`;
    expect(stripColors(s)).toBe(s);
  });
});
