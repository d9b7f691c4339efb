import { readFileSync } from 'node:fs';
import { PAGE_SIZE } from '../units.ts';

/**
 * Trace files for the `trace` workload: either memvisor's own `W`/`R` format or the output of
 * `valgrind --tool=lackey --trace-mem=yes`. Page numbers are raw; the caller folds them onto the
 * process's size.
 */
export type TraceOp =
  | { kind: 'W'; page: number; offset: number; bytes: Uint8Array }
  | { kind: 'R'; page: number };

export interface Trace {
  format: 'memvisor' | 'lackey';
  file: string;
  ops: TraceOp[];
  /** The largest page number referenced, -1 if none. */
  maxPage: number;
}

export class TraceFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'TraceFormatError';
  }
}

// All patterns are anchored with no nested quantifiers, so they match in linear time.
const DECIMAL = /^\d+$/;
const HEX = /^[0-9a-fA-F]+$/;
const WHITESPACE = /\s+/;
const LACKEY = /^\s*([ILSM])\s+([0-9a-fA-F]+),(\d+)\s*$/;

export function parseTrace(text: string, file: string): Trace {
  const lines = text.split('\n');
  const ops: TraceOp[] = [];
  let format: Trace['format'] = 'memvisor';
  let first = 0;
  // The first line that is not blank, a comment or a valgrind message decides the format.
  for (; first < lines.length; first++) {
    const t = lines[first].trim();
    if (t === '' || t.startsWith('#') || t.startsWith('==')) continue;
    const op = t.split(WHITESPACE, 1)[0];
    if (op === 'W' || op === 'R') break;
    if (op === 'I' || op === 'L' || op === 'S' || op === 'M') {
      format = 'lackey';
      break;
    }
    throw new TraceFormatError(
      file,
      first + 1,
      'neither a memvisor trace (W/R lines) nor valgrind lackey output (I/L/S/M lines)',
    );
  }
  const parseLine = format === 'memvisor' ? parseMemvisorLine : parseLackeyLine;
  for (let i = first; i < lines.length; i++) parseLine(lines[i], i + 1, file, ops);
  let maxPage = -1;
  for (const op of ops) if (op.page > maxPage) maxPage = op.page;
  return { format, file, ops, maxPage };
}

function parseMemvisorLine(raw: string, line: number, file: string, ops: TraceOp[]): void {
  const hash = raw.indexOf('#');
  const t = (hash < 0 ? raw : raw.slice(0, hash)).trim();
  if (t === '') return;
  const f = t.split(WHITESPACE);
  if (f[0] === 'R') {
    if (f.length !== 2) throw new TraceFormatError(file, line, 'R needs <page>');
    ops.push({ kind: 'R', page: decimal(f[1], 'page', file, line) });
  } else if (f[0] === 'W') {
    if (f.length !== 4) throw new TraceFormatError(file, line, 'W needs <page> <offset> <hex bytes>');
    const page = decimal(f[1], 'page', file, line);
    const offset = decimal(f[2], 'offset', file, line);
    const hex = f[3];
    // Buffer stops decoding at the first pair that is not hex (and drops an odd last digit): a short
    // result means a non-hex character. Much faster than a regular expression over a page of digits.
    const decoded = Buffer.from(hex, 'hex');
    const odd = hex.length % 2 !== 0;
    if (decoded.length !== hex.length >> 1 || (odd && !HEX.test(hex.slice(-1)))) {
      throw new TraceFormatError(file, line, `hex bytes "${hex}" contain a non-hex character`);
    }
    if (odd) throw new TraceFormatError(file, line, `hex bytes "${hex}" have an odd number of digits`);
    const n = decoded.length;
    if (offset + n > PAGE_SIZE) {
      throw new TraceFormatError(
        file,
        line,
        `offset ${offset} + ${n} bytes runs past the ${PAGE_SIZE}-byte page`,
      );
    }
    ops.push({ kind: 'W', page, offset, bytes: new Uint8Array(decoded) });
  } else {
    throw new TraceFormatError(file, line, `unknown operation "${f[0]}" (expected W or R)`);
  }
}

function decimal(s: string, name: string, file: string, line: number): number {
  const n = Number(s);
  if (!DECIMAL.test(s) || !Number.isSafeInteger(n)) {
    throw new TraceFormatError(file, line, `${name} "${s}" is not a non-negative integer`);
  }
  return n;
}

function parseLackeyLine(raw: string, line: number, file: string, ops: TraceOp[]): void {
  const t = raw.trim();
  if (t === '' || t.startsWith('#') || t.startsWith('==')) return;
  const m = LACKEY.exec(raw);
  if (!m) {
    throw new TraceFormatError(
      file,
      line,
      'malformed lackey line, expected "<I|L|S|M> <hex address>,<size>"',
    );
  }
  const [, kind, hexAddr, sizeText] = m;
  const addr = Number.parseInt(hexAddr, 16);
  const size = Number(sizeText);
  if (!Number.isSafeInteger(addr)) {
    throw new TraceFormatError(file, line, `address ${hexAddr} is beyond 2^53`);
  }
  // Real accesses are at most a vector register wide; capping at a page bounds them to two pages.
  if (size < 1 || size > PAGE_SIZE) {
    throw new TraceFormatError(file, line, `size ${sizeText} is not between 1 and ${PAGE_SIZE}`);
  }
  // Split the access at page boundaries: a crossing access touches both pages.
  let page = Math.floor(addr / PAGE_SIZE);
  let offset = addr % PAGE_SIZE;
  let done = 0;
  while (done < size) {
    const n = Math.min(size - done, PAGE_SIZE - offset);
    if (kind !== 'S') ops.push({ kind: 'R', page });
    if (kind === 'S' || kind === 'M') {
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = storeByte(line, done + i);
      ops.push({ kind: 'W', page, offset, bytes });
    }
    done += n;
    page++;
    offset = 0;
  }
}

/** Content for byte `index` of the store on `line`: deterministic, and never 0 so a lost write shows. */
function storeByte(line: number, index: number): number {
  let h = Math.imul(line, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (((h ^ (h >>> 13)) >>> 0) % 255) + 1;
}

export function loadTrace(path: string): Trace {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (err) {
    throw new TraceFormatError(path, 0, `cannot read the trace file: ${(err as Error).message}`);
  }
  const nul = data.indexOf(0);
  if (nul >= 0) {
    let line = 1;
    for (let i = data.indexOf(10); i >= 0 && i < nul; i = data.indexOf(10, i + 1)) line++;
    throw new TraceFormatError(path, line, 'binary file (contains a NUL byte), not a text trace');
  }
  const trace = parseTrace(data.toString('utf8'), path);
  if (trace.ops.length === 0) throw new TraceFormatError(path, 0, 'the trace file has no operations');
  return trace;
}
