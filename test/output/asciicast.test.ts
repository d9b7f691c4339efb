import { describe, expect, it } from 'vitest';
import { Asciicast, castHeader, parseCast } from '../../src/output/asciicast.ts';

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
