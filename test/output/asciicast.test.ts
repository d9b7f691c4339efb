import { describe, expect, it } from 'vitest';
import { Asciicast, castHeader } from '../../src/output/asciicast.ts';
import { CastFormatError, readCast } from '../../src/output/asciicast-read.ts';

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
    const { header, events } = readCast(text);
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
    expect(readCast(cast.toString()).events).toEqual([[2, 'o', 'ab']]);
  });
});

describe('the asciicast v2 reader', () => {
  const HEADER = '{"version":2,"width":80,"height":24}';
  const cast = (...lines: string[]): string => lines.map((l) => `${l}\n`).join('');
  const problem = (text: string): string => {
    try {
      readCast(text);
    } catch (err) {
      expect(err).toBeInstanceOf(CastFormatError);
      return (err as Error).message;
    }
    throw new Error('read without a problem');
  };

  it("reads the specification's example, with every header key and every kind of event", () => {
    const { header, events } = readCast(
      cast(
        JSON.stringify({
          version: 2,
          width: 80,
          height: 24,
          timestamp: 1504467315,
          duration: 123.45,
          idle_time_limit: 2,
          command: '/bin/bash',
          title: 'Demo',
          env: { SHELL: '/bin/bash', TERM: 'xterm-256color' },
          theme: {
            fg: '#d0d0d0',
            bg: '#212121',
            palette:
              '#151515:#ac4142:#7e8e50:#e5b567:#6c99bb:#9f4e85:#7dd6cf:#d0d0d0:#505050:#ac4142:#7e8e50:' +
              '#e5b567:#6c99bb:#9f4e85:#7dd6cf:#f5f5f5',
          },
        }),
        '[0.248848, "o", "\\u001b[1;31mHello \\u001b[32mWorld!\\u001b[0m\\n"]',
        '[1.001376, "o", "That was ok\\rThis is better."]',
        '[1.500000, "m", ""]',
        '[2.143733, "i", "x"]',
        '[4.050000, "r", "80x24"]',
        '[6.541828, "o", "Bye!"]',
      ),
    );
    expect(header.title).toBe('Demo');
    expect(events.map(([t, code]) => `${t}${code}`)).toEqual([
      '0.248848o',
      '1.001376o',
      '1.5m',
      '2.143733i',
      '4.05r',
      '6.541828o',
    ]);
    expect(events[0][2]).toBe('\x1b[1;31mHello \x1b[32mWorld!\x1b[0m\n');
  });

  it.each([
    ['an empty file', '', 'line 1: empty file: no header'],
    ['no newline at the end', `${HEADER}\n[0, "o", "a"]`, 'line 2: the last line has no newline'],
    ['a header that is not JSON', cast('{version: 2}'), /^line 1: the header is not JSON: /],
    [
      'version 1',
      cast('{"version":1,"width":80,"height":24}'),
      'line 1: the header: version: version must be 2',
    ],
    ['no height', cast('{"version":2,"width":80}'), /^line 1: the header: height: /],
    [
      'a width that is not whole',
      cast('{"version":2,"width":80.5,"height":24}'),
      /^line 1: the header: width: /,
    ],
    [
      'a key the format lacks',
      cast('{"version":2,"width":80,"height":24,"cols":80}'),
      /^line 1: the header: .*cols/,
    ],
    [
      'an env value that is not text',
      cast('{"version":2,"width":80,"height":24,"env":{"A":1}}'),
      /^line 1: the header: env\.A: /,
    ],
    [
      'a palette of 5 colours',
      cast(
        '{"version":2,"width":80,"height":24,"theme":{"fg":"#000000","bg":"#ffffff","palette":"#000000:#111111:#222222:#333333:#444444"}}',
      ),
      'line 1: the header: theme.palette: the palette is 8 or 16 #rrggbb colours separated by ":"',
    ],
    ['an empty line', cast(HEADER, '', '[1, "o", "a"]'), 'line 2: empty line where an event should be'],
    ['an event that is an object', cast(HEADER, '{"t": 1}'), /^line 2: an event: /],
    ['an event of two elements', cast(HEADER, '[1, "o"]'), /^line 2: an event: /],
    ['an unknown code', cast(HEADER, '[1, "x", "a"]'), /^line 2: an event: 1: /],
    ['data that is not text', cast(HEADER, '[1, "o", 5]'), /^line 2: an event: 2: /],
    ['a negative time', cast(HEADER, '[-1, "o", "a"]'), /^line 2: an event: 0: /],
    [
      'time going back',
      cast(HEADER, '[2, "o", "a"]', '[1.5, "o", "b"]'),
      "line 3: time 1.5 is before the previous event's (2)",
    ],
    [
      'a resize without its size',
      cast(HEADER, '[1, "r", "80"]'),
      'line 2: a resize is "COLSxROWS", got "80"',
    ],
  ])('refuses %s', (_, text, message) => {
    expect(problem(text)).toMatch(message);
  });
});
