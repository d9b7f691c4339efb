import { describe, expect, it } from 'vitest';
import { ScreenWriter } from '../../src/ui/screen-writer.ts';
import { screenOf } from '../terminal.ts';

describe('ScreenWriter', () => {
  it('draws a frame, then rewrites only the rows that changed', async () => {
    const w = new ScreenWriter(20, 5);
    const first = w.start() + w.frame(['one', 'two', 'three', 'four']);
    expect(await screenOf(20, 5, first)).toEqual(['one', 'two', 'three', 'four', '']);
    const second = w.frame(['one', 'TWO', 'three', '']);
    expect(second).toBe('\x1b[2;1H\x1b[2KTWO\x1b[4;1H\x1b[2K');
    expect(await screenOf(20, 5, first + second)).toEqual(['one', 'TWO', 'three', '', '']);
    expect(w.frame(['one', 'TWO', 'three', ''])).toBe('');
  });

  it('keeps a row as wide as the terminal whole, and the last row for the caption', async () => {
    const w = new ScreenWriter(10, 3);
    const full = '0123456789';
    const bytes = w.start() + w.frame([full, `\x1b[7m${full}\x1b[0m`, 'not shown']) + w.caption('hello');
    expect(await screenOf(10, 3, bytes)).toEqual([full, full, ' hello ']);
    const more = w.caption('a caption longer than the row');
    expect((await screenOf(10, 3, bytes + more))[2]).toBe(' a capti… ');
    expect(w.caption('a caption longer than the row')).toBe('');
    expect((await screenOf(10, 3, bytes + more + w.caption('')))[2]).toBe('');
  });

  it('draws everything again after a repaint, and ends with the picture kept and the cursor shown', async () => {
    const w = new ScreenWriter(10, 3);
    const bytes = w.start() + w.frame(['a', 'b']) + w.caption('c');
    const again = w.repaint() + w.frame(['a', 'b']);
    expect(again).toContain('\x1b[2J');
    expect(await screenOf(10, 3, bytes + again + w.end())).toEqual(['a', 'b', ' c ']);
    expect(w.end().endsWith('\x1b[?25h')).toBe(true);
  });
});
