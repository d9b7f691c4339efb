/** What is wrong with a preset, where: `presets/x.yaml:12:15: guests[1].memsz: "2048" has no unit ...`. */

export type PathStep = string | number;

/** A problem found while checking a preset, before it is given a line and column. */
export interface Finding {
  path: PathStep[];
  message: string;
  /** Point at the key rather than its value: for unknown keys, where the key is what is wrong. */
  at?: 'key';
}

export interface Problem {
  file: string;
  /** 1-based; 0 when the file could not be read at all. */
  line: number;
  col: number;
  /** As written in messages: `guests[1].memsz`; empty for the file as a whole. */
  path: string;
  message: string;
}

/** A value as a message shows what was found: `"2048"`, `a list`, `nothing`. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return typeof value === 'string' ? `"${value}"` : String(value);
}

export const formatPath = (path: PathStep[]): string =>
  path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');

export function formatProblem(p: Problem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.col}` : p.file;
  return p.path === '' ? `${where}: ${p.message}` : `${where}: ${p.path}: ${p.message}`;
}

/** Every problem in a preset at once, one per line, so a user can fix them all in one pass. */
export class PresetError extends Error {
  override name = 'PresetError';

  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}
