import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { PAGE_SIZE } from '../units.ts';

/**
 * Trace files for the `trace` workload: either memvisor's own `W`/`R` format or the output of
 * `valgrind --tool=lackey --trace-mem=yes`. Page numbers are raw; the caller folds them onto the
 * process's size.
 *
 * Real programs' traces run to gigabytes, so a trace is never held whole: a TraceStream reads the file
 * a window at a time (CHUNK bytes), parses it line by line as the workload asks for operations, and
 * keeps at most a batch of parsed operations in typed arrays. `checkTrace` streams a file through the
 * same parser once to find its first malformed line (with its file and line number) before anything
 * runs. `parseTrace` parses a whole text at once (tests and small inputs).
 */
export type TraceOp =
  | { kind: 'W'; page: number; offset: number; bytes: Uint8Array }
  | { kind: 'R'; page: number };

export type TraceFormat = 'memvisor' | 'lackey';

export interface Trace {
  format: TraceFormat;
  file: string;
  ops: TraceOp[];
  /** The largest page number referenced, -1 if none. */
  maxPage: number;
}

/** What a check of a whole trace file found: its format, operations and largest page. */
export interface TraceSummary {
  format: TraceFormat;
  file: string;
  ops: number;
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

/** Bytes read from the file at a time: the window a stream holds, whatever the file's size. */
export const CHUNK = 256 * 1024;
/** The longest line accepted: a page-sized write in hex is about 8,200 characters. */
export const MAX_LINE = 64 * 1024;
/** Parsed operations a stream keeps ahead of the workload (and the bytes their writes carry). */
const BATCH_OPS = 4096;
const BATCH_BYTES = 1 << 20;

// All patterns are anchored with no nested quantifiers, so they match in linear time.
const DECIMAL = /^\d+$/;
const HEX = /^[0-9a-fA-F]+$/;
const WHITESPACE = /\s+/;
const LACKEY = /^\s*([ILSM])\s+([0-9a-fA-F]+),(\d+)\s*$/;
const KIND_R = 0;
const KIND_W = 1;

/**
 * Parsed operations in typed arrays (no object per operation): kind, page, offset, and the bytes a
 * write carries, end to end in one buffer.
 */
class OpBatch {
  count = 0;
  readonly kind = new Uint8Array(BATCH_OPS + 8);
  readonly page = new Float64Array(BATCH_OPS + 8);
  readonly offset = new Uint16Array(BATCH_OPS + 8);
  readonly start = new Uint32Array(BATCH_OPS + 8);
  readonly length = new Uint16Array(BATCH_OPS + 8);
  bytes = new Uint8Array(BATCH_BYTES + 2 * PAGE_SIZE);
  used = 0;
  maxPage = -1;

  /** Room for another line's operations (a line makes at most four, with at most two pages of bytes). */
  get full(): boolean {
    return this.count >= BATCH_OPS || this.used >= BATCH_BYTES;
  }

  clear(): void {
    this.count = 0;
    this.used = 0;
  }

  read(page: number): void {
    this.kind[this.count] = KIND_R;
    this.page[this.count++] = page;
    if (page > this.maxPage) this.maxPage = page;
  }

  /** A write of `n` bytes; the caller fills them at bytes[at(returned) ...]. */
  write(page: number, offset: number, n: number): number {
    const i = this.count++;
    this.kind[i] = KIND_W;
    this.page[i] = page;
    this.offset[i] = offset;
    this.start[i] = this.used;
    this.length[i] = n;
    if (page > this.maxPage) this.maxPage = page;
    this.used += n;
    return this.start[i];
  }
}

/** Parses lines into a batch; the first line that is not blank, a comment or a valgrind message decides the format. */
class LineParser {
  format: TraceFormat | null = null;

  constructor(readonly file: string) {}

  parse(raw: string, line: number, out: OpBatch): void {
    if (this.format === null) {
      const t = raw.trim();
      if (t === '' || t.startsWith('#') || t.startsWith('==')) return;
      const op = t.split(WHITESPACE, 1)[0];
      if (op === 'W' || op === 'R') this.format = 'memvisor';
      else if (op === 'I' || op === 'L' || op === 'S' || op === 'M') this.format = 'lackey';
      else
        throw new TraceFormatError(
          this.file,
          line,
          'neither a memvisor trace (W/R lines) nor valgrind lackey output (I/L/S/M lines)',
        );
    }
    if (this.format === 'memvisor') parseMemvisorLine(raw, line, this.file, out);
    else parseLackeyLine(raw, line, this.file, out);
  }
}

function parseMemvisorLine(raw: string, line: number, file: string, out: OpBatch): void {
  const hash = raw.indexOf('#');
  const t = (hash < 0 ? raw : raw.slice(0, hash)).trim();
  if (t === '') return;
  const f = t.split(WHITESPACE);
  if (f[0] === 'R') {
    if (f.length !== 2) throw new TraceFormatError(file, line, 'R needs <page>');
    out.read(decimal(f[1], 'page', file, line));
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
    out.bytes.set(decoded, out.write(page, offset, n));
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

function parseLackeyLine(raw: string, line: number, file: string, out: OpBatch): void {
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
    if (kind !== 'S') out.read(page);
    if (kind === 'S' || kind === 'M') {
      const at = out.write(page, offset, n);
      for (let i = 0; i < n; i++) out.bytes[at + i] = storeByte(line, done + i);
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

/** Parses a whole trace text at once (a small trace, or a test's). */
export function parseTrace(text: string, file: string): Trace {
  const parser = new LineParser(file);
  const batch = new OpBatch();
  const ops: TraceOp[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    parser.parse(lines[i], i + 1, batch);
    for (let k = 0; k < batch.count; k++) ops.push(opAt(batch, k));
    batch.clear();
  }
  return { format: parser.format ?? 'memvisor', file, ops, maxPage: batch.maxPage };
}

const opAt = (b: OpBatch, k: number): TraceOp =>
  b.kind[k] === KIND_R
    ? { kind: 'R', page: b.page[k] }
    : {
        kind: 'W',
        page: b.page[k],
        offset: b.offset[k],
        bytes: b.bytes.slice(b.start[k], b.start[k] + b.length[k]),
      };

/**
 * A trace file read as it is replayed: `next()` moves to the next operation and exposes it in
 * `kind`, `page`, `offset` and `bytes` (a view valid until the next call). Memory is bounded by the
 * window and the batch, whatever the file's size; each read opens the file at the position reached,
 * so a stream holds no descriptor between reads. The operations are the same as parsing the whole
 * text would give, in the same order.
 */
export class TraceStream {
  kind: 'R' | 'W' = 'R';
  page = 0;
  offset = 0;
  bytes: Uint8Array = new Uint8Array(0);
  /** Lines read so far (the number of the line the last operation came from, or past it). */
  line = 0;
  private readonly window = Buffer.alloc(CHUNK + MAX_LINE);
  private from = 0;
  private to = 0;
  private position = 0;
  private ended = false;
  private readonly parser: LineParser;
  private readonly batch = new OpBatch();
  private at = 0;

  constructor(readonly file: string) {
    this.parser = new LineParser(file);
  }

  get format(): TraceFormat | null {
    return this.parser.format;
  }

  /** The largest page referenced by the operations read so far. */
  get maxPage(): number {
    return this.batch.maxPage;
  }

  /** Moves to the next operation; false at the end of the trace. Throws TraceFormatError at a bad line. */
  next(): boolean {
    if (this.at >= this.batch.count) {
      this.batch.clear();
      this.at = 0;
      while (!this.batch.full) {
        const text = this.nextLine();
        if (text === null) break;
        this.parser.parse(text, this.line, this.batch);
      }
      if (this.batch.count === 0) return false;
    }
    const b = this.batch;
    const k = this.at++;
    this.page = b.page[k];
    if (b.kind[k] === KIND_R) this.kind = 'R';
    else {
      this.kind = 'W';
      this.offset = b.offset[k];
      this.bytes = b.bytes.subarray(b.start[k], b.start[k] + b.length[k]);
    }
    return true;
  }

  /** The next line's text (without its newline), or null at the end of the file. */
  private nextLine(): string | null {
    for (;;) {
      const nl = this.window.indexOf(10, this.from);
      if (nl - this.from > MAX_LINE || (nl < 0 && this.to - this.from > MAX_LINE))
        throw new TraceFormatError(this.file, this.line + 1, `a line longer than ${MAX_LINE} bytes`);
      if (nl >= 0 && nl < this.to) {
        const text = this.window.toString('utf8', this.from, nl);
        this.from = nl + 1;
        this.line++;
        return text;
      }
      if (this.ended) {
        if (this.from >= this.to) return null;
        const text = this.window.toString('utf8', this.from, this.to);
        this.from = this.to;
        this.line++;
        return text;
      }
      this.fill();
    }
  }

  /** Moves what is left of the window to its start and reads the next piece of the file after it. */
  private fill(): void {
    this.window.copy(this.window, 0, this.from, this.to);
    this.to -= this.from;
    this.from = 0;
    let fd: number;
    let n: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (err) {
      throw new TraceFormatError(this.file, 0, `cannot read the trace file: ${(err as Error).message}`);
    }
    try {
      n = readSync(fd, this.window, this.to, CHUNK, this.position);
    } catch (err) {
      throw new TraceFormatError(this.file, 0, `cannot read the trace file: ${(err as Error).message}`);
    } finally {
      closeSync(fd);
    }
    const nul = this.window.indexOf(0, this.to);
    if (nul >= 0 && nul < this.to + n) {
      let line = this.line + 1;
      for (let i = this.window.indexOf(10, this.from); i >= 0 && i < nul; i = this.window.indexOf(10, i + 1))
        line++;
      throw new TraceFormatError(this.file, line, 'binary file (contains a NUL byte), not a text trace');
    }
    this.position += n;
    this.to += n;
    if (n === 0) this.ended = true;
  }
}

/** Checks already made, by file: a file unchanged since (size and time) is not read again. */
const checked = new Map<string, { size: number; mtimeMs: number; summary: TraceSummary }>();

/**
 * Reads a whole trace file through the streaming parser, keeping nothing but counts: its format, its
 * operations and largest page, or a TraceFormatError naming the file and the first bad line. Memory
 * stays bounded by the stream's window, however large the file.
 */
export function checkTrace(path: string): TraceSummary {
  let stat: { size: number; mtimeMs: number };
  try {
    const fd = openSync(path, 'r');
    try {
      stat = fstatSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new TraceFormatError(path, 0, `cannot read the trace file: ${(err as Error).message}`);
  }
  const seen = checked.get(path);
  if (seen && seen.size === stat.size && seen.mtimeMs === stat.mtimeMs) return seen.summary;
  const stream = new TraceStream(path);
  let ops = 0;
  while (stream.next()) ops++;
  if (ops === 0) throw new TraceFormatError(path, 0, 'the trace file has no operations');
  const summary: TraceSummary = {
    format: stream.format ?? 'memvisor',
    file: path,
    ops,
    maxPage: stream.maxPage,
  };
  checked.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, summary });
  return summary;
}
