import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CHUNK,
  checkTrace,
  MAX_LINE,
  parseTrace,
  TraceFormatError,
  type TraceOp,
  TraceStream,
} from '../../src/engine/workloads/tracefile.ts';

/** The error parseTrace throws for `text`, so its fields and message can be checked. */
function parseError(text: string, file = 'trace.txt'): TraceFormatError {
  try {
    parseTrace(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(TraceFormatError);
    return err as TraceFormatError;
  }
  throw new Error('parseTrace did not throw');
}

function loadError(path: string): TraceFormatError {
  try {
    checkTrace(path);
  } catch (err) {
    expect(err).toBeInstanceOf(TraceFormatError);
    return err as TraceFormatError;
  }
  throw new Error('checkTrace did not throw');
}

/** Every operation of a file, read through a TraceStream. */
function streamed(path: string): TraceOp[] {
  const s = new TraceStream(path);
  const ops: TraceOp[] = [];
  while (s.next())
    ops.push(
      s.kind === 'R'
        ? { kind: 'R', page: s.page }
        : { kind: 'W', page: s.page, offset: s.offset, bytes: s.bytes.slice() },
    );
  return ops;
}

const writes = (ops: TraceOp[]) => ops.filter((op) => op.kind === 'W');

describe('memvisor traces', () => {
  it('parses writes and reads, skipping comments and blank lines', () => {
    const text = [
      '# a recorded trace',
      '',
      'W 3 16 deadBEEF   # trailing comment',
      '   ',
      'R 7',
      'R 0#no space before the comment',
      '\tW  2\t4095 ff',
    ].join('\n');
    const trace = parseTrace(text, 't.trace');
    expect(trace.format).toBe('memvisor');
    expect(trace.file).toBe('t.trace');
    expect(trace.ops).toEqual([
      { kind: 'W', page: 3, offset: 16, bytes: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) },
      { kind: 'R', page: 7 },
      { kind: 'R', page: 0 },
      { kind: 'W', page: 2, offset: 4095, bytes: new Uint8Array([0xff]) },
    ]);
    expect(trace.maxPage).toBe(7);
  });

  it('accepts CRLF line endings', () => {
    expect(parseTrace('R 1\r\nW 2 0 00ff\r\n', 'crlf').ops).toEqual([
      { kind: 'R', page: 1 },
      { kind: 'W', page: 2, offset: 0, bytes: new Uint8Array([0, 0xff]) },
    ]);
  });

  it('has maxPage -1 and no ops when there is nothing but comments', () => {
    const trace = parseTrace('# nothing\n\n', 'empty');
    expect(trace.ops).toEqual([]);
    expect(trace.maxPage).toBe(-1);
  });

  it.each([
    ['R 1\nR 2\nW 5 0 ab\nR 3\nR 4\nR 5\nW 1 2', 7, 'W needs <page> <offset> <hex bytes>'],
    ['R 1\nW 1 2 ab cd', 2, 'W needs <page> <offset> <hex bytes>'],
    ['R', 1, 'R needs <page>'],
    ['R 1\nR 1 2', 2, 'R needs <page>'],
    ['R 1\nX 1', 2, 'unknown operation "X" (expected W or R)'],
    ['R 1\nr 1', 2, 'unknown operation "r" (expected W or R)'],
    ['R 1\n==1== hello', 2, 'unknown operation "==1==" (expected W or R)'],
    ['R abc', 1, 'page "abc" is not a non-negative integer'],
    ['R -1', 1, 'page "-1" is not a non-negative integer'],
    ['R 1.5', 1, 'page "1.5" is not a non-negative integer'],
    ['W 1 x ab', 1, 'offset "x" is not a non-negative integer'],
    ['W 1 0 abc', 1, 'hex bytes "abc" have an odd number of digits'],
    ['W 1 0 zz', 1, 'hex bytes "zz" contain a non-hex character'],
    ['W 1 0 0x12', 1, 'hex bytes "0x12" contain a non-hex character'],
    ['# c\n\nW 1 4090 0102030405060708', 3, 'offset 4090 + 8 bytes runs past the 4096-byte page'],
    ['W 1 4096 01', 1, 'offset 4096 + 1 bytes runs past the 4096-byte page'],
  ])('rejects %j at line %i', (text, line, detail) => {
    const err = parseError(text);
    expect(err.file).toBe('trace.txt');
    expect(err.line).toBe(line);
    expect(err.message).toBe(`trace.txt:${line}: ${detail}`);
  });

  it('accepts a write that ends exactly at the page end', () => {
    const [op] = parseTrace('W 0 4088 0102030405060708', 't').ops;
    expect(op).toEqual({ kind: 'W', page: 0, offset: 4088, bytes: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) });
  });
});

describe('lackey output', () => {
  const lackey = [
    '==12345== Lackey, an example Valgrind tool',
    '==12345== Command: ./a.out',
    '==12345== ',
    'I  0401f3a8,3',
    ' L 04020010,8',
    ' S 1ffefffe70,8',
    ' M 00003004,4',
    '==12345== ',
    '==12345== I   refs:      1',
  ];

  it('maps I and L to reads, S to a write and M to a read then a write', () => {
    const trace = parseTrace(lackey.join('\n'), 'lk.out');
    expect(trace.format).toBe('lackey');
    const stack = 0x1ffefffe70;
    expect(
      trace.ops.map((op) =>
        op.kind === 'W' ? [op.kind, op.page, op.offset, op.bytes.length] : [op.kind, op.page],
      ),
    ).toEqual([
      ['R', 0x0401f],
      ['R', 0x04020],
      ['W', Math.floor(stack / 4096), stack % 4096, 8],
      ['R', 3],
      ['W', 3, 4, 4],
    ]);
    expect(trace.maxPage).toBe(Math.floor(stack / 4096));
  });

  it('is lenient about whitespace but strict about structure', () => {
    const ops = parseTrace('I\t0401f3a8,3\n   L      10,1   \r\nS 2000,1', 'x').ops;
    expect(ops.map((op) => [op.kind, op.page])).toEqual([
      ['R', 0x401f],
      ['R', 0],
      ['W', 2],
    ]);
    const err = parseError([...lackey.slice(0, 6), '  M   00003004 , 4'].join('\n'), 'lk.out');
    expect(err.message).toBe('lk.out:7: malformed lackey line, expected "<I|L|S|M> <hex address>,<size>"');
  });

  it('splits a store that crosses a page boundary into two writes', () => {
    const trace = parseTrace(' S 00001ffd,8', 'x');
    expect(trace.ops.map((op) => (op.kind === 'W' ? [op.page, op.offset, op.bytes.length] : op))).toEqual([
      [1, 4093, 3],
      [2, 0, 5],
    ]);
    expect(trace.maxPage).toBe(2);
    // The split continues the one store's content: the same bytes as an aligned 8-byte store on that line.
    const aligned = writes(parseTrace(' S 00001000,8', 'x').ops)[0];
    const [a, b] = writes(trace.ops);
    expect([...a.bytes, ...b.bytes]).toEqual([...aligned.bytes]);
  });

  it('reads both pages for a modify that crosses a page boundary', () => {
    expect(parseTrace(' M 00000fff,2', 'x').ops.map((op) => [op.kind, op.page])).toEqual([
      ['R', 0],
      ['W', 0],
      ['R', 1],
      ['W', 1],
    ]);
  });

  it('generates deterministic, non-zero, line-dependent store content', () => {
    const text = ' S 00000100,64\n S 00000100,64\n L 0,1';
    const first = writes(parseTrace(text, 'a').ops);
    const again = writes(parseTrace(text, 'b').ops);
    expect(again.map((op) => [...op.bytes])).toEqual(first.map((op) => [...op.bytes]));
    expect(new Set(first[0].bytes).size).toBeGreaterThan(8);
    // The same store on a different line writes different content.
    expect([...first[1].bytes]).not.toEqual([...first[0].bytes]);
  });

  it('never generates a zero byte, so a lost store is visible', () => {
    const many = writes(parseTrace(Array(4000).fill(' S 00000000,64').join('\n'), 'x').ops);
    expect(many.some((op) => op.bytes.includes(0))).toBe(false);
  });

  it('handles 48-bit addresses exactly', () => {
    const [op] = parseTrace(' S ffffffffffff,1', 'x').ops;
    expect(op).toMatchObject({ kind: 'W', page: 2 ** 36 - 1, offset: 4095 });
  });

  it.each([
    ['I  0401f3a8,3\n L 04020010', 2, 'malformed lackey line, expected "<I|L|S|M> <hex address>,<size>"'],
    ['I  0401f3a8,3\n L 0x4020010,8', 2, 'malformed lackey line, expected "<I|L|S|M> <hex address>,<size>"'],
    ['I  0401f3a8,3\n X 04020010,8', 2, 'malformed lackey line, expected "<I|L|S|M> <hex address>,<size>"'],
    ['I  0401f3a8,3\n L 0402g010,8', 2, 'malformed lackey line, expected "<I|L|S|M> <hex address>,<size>"'],
    [
      'I  0401f3a8,3\n L 04020010,8 extra',
      2,
      'malformed lackey line, expected "<I|L|S|M> <hex address>,<size>"',
    ],
    ['I  0401f3a8,3\nW 1 0 ab', 2, 'malformed lackey line, expected "<I|L|S|M> <hex address>,<size>"'],
    ['L 1,a', 1, 'malformed lackey line, expected "<I|L|S|M> <hex address>,<size>"'],
    ['\n\n S 1000,0', 3, 'size 0 is not between 1 and 4096'],
    [' S 1000,4097', 1, 'size 4097 is not between 1 and 4096'],
    [' L ffffffffffffffff,1', 1, 'address ffffffffffffffff is beyond 2^53'],
  ])('rejects %j at line %i', (text, line, detail) => {
    expect(parseError(text).message).toBe(`trace.txt:${line}: ${detail}`);
  });
});

describe('format detection', () => {
  it.each([
    ['hello world', 1],
    ['# comment\n\n==1== valgrind\n  foo 1 2\nR 1', 4],
    ['w 1 0 ab', 1],
  ])('rejects %j at line %i as neither format', (text, line) => {
    const err = parseError(text);
    expect(err.line).toBe(line);
    expect(err.message).toBe(
      `trace.txt:${line}: neither a memvisor trace (W/R lines) nor valgrind lackey output (I/L/S/M lines)`,
    );
  });
});

describe('trace files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memvisor-trace-'));
  const file = (name: string, content: string | Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('checks a file through and summarises it, naming it in errors; a stream reads the same operations', () => {
    const path = file('ok.trace', 'R 4\nW 9 0 01\n');
    expect(checkTrace(path)).toEqual({ format: 'memvisor', file: path, ops: 2, maxPage: 9 });
    expect(streamed(path)).toEqual([
      { kind: 'R', page: 4 },
      { kind: 'W', page: 9, offset: 0, bytes: new Uint8Array([1]) },
    ]);
    const bad = file('bad.trace', 'R 4\nR x\n');
    expect(loadError(bad).message).toBe(`${bad}:2: page "x" is not a non-negative integer`);
  });

  /** A memvisor trace of `lines` lines mixing reads, small and page-sized writes, comments and CRLF. */
  const bigTrace = (lines: number): string => {
    const out: string[] = [];
    for (let i = 0; i < lines; i++) {
      const page = (i * 7919) % 5000;
      if (i % 97 === 0) out.push(`# line ${i + 1}\r`);
      else if (i % 150 === 1) out.push(`W ${page} 0 ${'ab'.repeat(4096)}`);
      else if (i % 3 === 0) out.push(`W ${page} ${i % 4000} ${(i & 0xffff).toString(16).padStart(4, '0')}`);
      else out.push(`R ${page}`);
    }
    return `${out.join('\n')}\n`;
  };

  it('streams a trace many windows long to the same operations, in order, as parsing it whole', () => {
    const text = bigTrace(40_000);
    expect(text.length).toBeGreaterThan(8 * CHUNK);
    const path = file('big.trace', text);
    const whole = parseTrace(text, path);
    const ops = streamed(path);
    // Compared as text: a toEqual over tens of thousands of operations is slow to diff.
    const line = (op: TraceOp) =>
      op.kind === 'R' ? `R ${op.page}` : `W ${op.page} ${op.offset} ${Buffer.from(op.bytes).toString('hex')}`;
    expect(ops.length).toBe(whole.ops.length);
    expect(ops.map(line).join('\n') === whole.ops.map(line).join('\n')).toBe(true);
    expect(checkTrace(path)).toEqual({
      format: 'memvisor',
      file: path,
      ops: whole.ops.length,
      maxPage: whole.maxPage,
    });
  });

  it('names the file and line of a malformed line far into a large trace, found before anything runs', () => {
    const lines = bigTrace(40_000).split('\n');
    lines[37_654] = 'W 12 0 xyz';
    const path = file('late.trace', lines.join('\n'));
    expect(loadError(path).message).toBe(`${path}:37655: hex bytes "xyz" contain a non-hex character`);
    // A stream meets it at the same place, after every operation before it.
    const s = new TraceStream(path);
    expect(() => {
      while (s.next());
    }).toThrow(`${path}:37655: hex bytes`);
  });

  it('keeps its memory bounded: a line longer than the window allows is an error, not a bigger window', () => {
    const path = file('long.trace', `R 1\n# ${'x'.repeat(MAX_LINE + 10)}\nR 2\n`);
    expect(loadError(path).message).toBe(`${path}:2: a line longer than ${MAX_LINE} bytes`);
  });

  it('rejects an unreadable file', () => {
    const missing = join(dir, 'missing.trace');
    const err = loadError(missing);
    expect(err.line).toBe(0);
    expect(err.message).toMatch(new RegExp(`^${missing}:0: cannot read the trace file: .*ENOENT`));
    expect(loadError(dir).message).toContain(`${dir}:0: cannot read the trace file`);
  });

  it.each([
    ['empty', ''],
    ['comments only', '# just a comment\n\n'],
    ['valgrind messages only', '==1== Lackey\n==1== \n'],
  ])('rejects a file with no operations (%s)', (name, content) => {
    const path = file(`${name}.trace`, content);
    expect(loadError(path).message).toBe(`${path}:0: the trace file has no operations`);
  });

  it('rejects a binary file at the line of its first NUL byte', () => {
    const path = file(
      'bin.trace',
      new Uint8Array([0x52, 0x20, 0x31, 0x0a, 0x52, 0x0a, 0x41, 0x00, 0x0a, 0x00]),
    );
    const err = loadError(path);
    expect(err.line).toBe(3);
    expect(err.message).toBe(`${path}:3: binary file (contains a NUL byte), not a text trace`);
  });
});
