/** YAML text into plain data, keeping enough of the parse to say on which line and column a value sits. */
import { type Document, isMap, isScalar, isSeq, LineCounter, type ParsedNode, parseDocument } from 'yaml';
import { type PathStep, PresetError } from './problems.ts';

export interface Position {
  line: number;
  col: number;
}

export interface YamlSource {
  data: unknown;
  /** Where the node at `path` starts (its key with `at: 'key'`); the nearest existing parent if it is missing. */
  locate(path: PathStep[], at?: 'key'): Position;
  /** Where the character at `offset` of the text value at `path` is written (quotes, escapes and folding skipped). */
  locateIn(path: PathStep[], offset: number): Position;
}

export type YamlRead =
  | { ok: true; source: YamlSource }
  | { ok: false; errors: (Position & { message: string })[] };

/** A YAML map as plain data (toJS gives objects for maps, arrays for sequences). */
export const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const START: Position = { line: 1, col: 1 };

/** What kind of file is read, for messages: its name and what it needs at least. */
export interface FileKind {
  name: string;
  needs: string;
}

export const PRESET: FileKind = { name: 'preset', needs: 'host.memory' };

/** Reads one YAML document; binary, empty and malformed text are refused with positioned errors. */
export function readYaml(text: string, kind: FileKind = PRESET): YamlRead {
  if (text.includes('\0')) {
    return {
      ok: false,
      errors: [{ ...START, message: `not a text file (it contains NUL bytes); a ${kind.name} is YAML` }],
    };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => ({
      ...lineCounter.linePos(e.pos[0]),
      message:
        e.code === 'MULTIPLE_DOCS'
          ? `invalid YAML: a ${kind.name} is a single document, but this file has another after ---`
          : `invalid YAML: ${e.message}`,
    }));
    return { ok: false, errors };
  }
  if (doc.contents === null) {
    return {
      ok: false,
      errors: [{ ...START, message: `the ${kind.name} is empty: it needs at least ${kind.needs}` }],
    };
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    // toJS resolves aliases, and refuses unknown anchors and alias bombs.
    return { ok: false, errors: [{ ...START, message: `invalid YAML: ${(e as Error).message}` }] };
  }
  return {
    ok: true,
    source: {
      data,
      locate: (path, at) => lineCounter.linePos(find(doc, path, at).offset),
      locateIn: (path, offset) => lineCounter.linePos(offsetIn(text, find(doc, path).node, offset)),
    },
  };
}

/** The node at `path` (or the nearest existing parent) and where it, or its key with `at: 'key'`, starts. */
function find(
  doc: Document.Parsed,
  path: PathStep[],
  at?: 'key',
): { node: ParsedNode | null; offset: number } {
  let node: ParsedNode | null = doc.contents;
  let offset = node?.range[0] ?? 0;
  for (const [i, step] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (pair === undefined) break;
      const key = pair.key as ParsedNode;
      if (at === 'key' && i === path.length - 1) return { node: key, offset: key.range[0] };
      node = (pair.value as ParsedNode | null) ?? key;
    } else if (isSeq(node) && typeof step === 'number' && step < node.items.length) {
      node = node.items[step] as ParsedNode;
    } else {
      break;
    }
    offset = node.range[0];
  }
  return { node, offset };
}

/**
 * The offset in the file of character `index` of a scalar's value: the value's characters are matched
 * in order against the source, past its quotes, escape backslashes, block header and indentation (a
 * space or line break of the value matches either in the source, which is how folding maps them).
 */
function offsetIn(text: string, node: ParsedNode | null, index: number): number {
  if (!isScalar(node) || typeof node.value !== 'string') return node?.range[0] ?? 0;
  const value = node.value;
  const [start, end] = node.range;
  let j = start;
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') j = text.indexOf('\n', start) + 1;
  else if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') j = start + 1;
  const space = (c: string): boolean => c === ' ' || c === '\n' || c === '\t';
  const same = (a: string, b: string): boolean => a === b || (space(a) && space(b));
  const last = Math.min(index, value.length - 1);
  for (let i = 0; i <= last; i++) {
    while (j < end && !same(text[j], value[i])) j++;
    if (i < last) j++;
  }
  return Math.min(j, end);
}

/**
 * Reads a file that must be a YAML map (a preset or a script): its data and where each node is, or a
 * PresetError with every problem the text has. `keys` names the keys the map is for, for the message.
 */
export function readMapping(
  text: string,
  file: string,
  kind: FileKind,
  keys: string,
): { data: Record<string, unknown>; locate: YamlSource['locate']; locateIn: YamlSource['locateIn'] } {
  const read = readYaml(text, kind);
  if (!read.ok) throw new PresetError(read.errors.map((e) => ({ file, path: '', ...e })));
  const { data, locate, locateIn } = read.source;
  if (!isMapping(data)) {
    const message = `a ${kind.name} is a map with ${keys} keys, not a single value or a list`;
    throw new PresetError([{ file, line: 1, col: 1, path: '', message }]);
  }
  return { data, locate, locateIn };
}
