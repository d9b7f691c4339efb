import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { Asciicast, castHeader, parseCast, ScreenWriter } from '../../src/output/asciicast.ts';

/** Feeds bytes to a headless xterm and returns its screen, one string a row. */
async function screenOf(cols: number, rows: number, data: string): Promise<string[]> {
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  await new Promise<void>((r) => term.write(data, r));
  const out: string[] = [];
  for (let y = 0; y < rows; y++) out.push(term.buffer.active.getLine(y)?.translateToString(true) ?? '');
  term.dispose();
  return out;
}

describe('asciicast v2', () => {
  it('has a header with version, size, title and env, and no timestamp', () => {
    expect(JSON.parse(castHeader({ width: 80, height: 24, title: 'demo' }))).toEqual({
      version: 2,
      width: 80,
      height: 24,
      title: 'demo',
      env: { SHELL: '/bin/sh', TERM: 'xterm-256color' },
    });
  });

  it('writes one [time, "o", data] line per event, merging output at the same time', () => {
    const cast = new Asciicast({ width: 80, height: 24 });
    cast.add(0, 'a');
    cast.add(0, 'b');
    cast.add(0.1 + 0.2, '\x1b[1mc');
    cast.add(0.3, '');
    cast.add(1 / 3, 'd');
    const text = cast.toString();
    expect(text.split('\n')).toHaveLength(5);
    expect(text.endsWith('\n')).toBe(true);
    const { header, events } = parseCast(text);
    expect(header.version).toBe(2);
    expect(events).toEqual([
      [0, 'o', 'ab'],
      [0.3, 'o', '\x1b[1mc'],
      [0.333333, 'o', 'd'],
    ]);
    expect(text).toContain('[0.3,"o","\\u001b[1mc"]');
  });

  it('never goes back in time', () => {
    const cast = new Asciicast({ width: 80, height: 24 });
    cast.add(2, 'a');
    cast.add(1, 'b');
    expect(parseCast(cast.toString()).events).toEqual([[2, 'o', 'ab']]);
  });
});

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
