/**
 * Themes: JSON files in themes/ that give each role of render/text.ts a style. `paint` turns a line into
 * one string with SGR escape codes. Without colour (--no-color, NO_COLOR) the mono theme is used: bold,
 * dim, underline and reverse video only, which NO_COLOR allows.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Line, ROLES, type Role } from '../render/text.ts';

export interface Style {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

/** 0: attributes only; 1: 16 colours; 2: 256 colours; 3: 24-bit colour. */
export type ColorLevel = 0 | 1 | 2 | 3;

export const THEMES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../themes');

const NAMED = [
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'gray',
  'brightRed',
  'brightGreen',
  'brightYellow',
  'brightBlue',
  'brightMagenta',
  'brightCyan',
  'brightWhite',
] as const;
/** SGR foreground code of each named colour; background is +10. */
const NAMED_CODE: Record<string, number> = {
  black: 30,
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  white: 37,
  gray: 90,
  brightRed: 91,
  brightGreen: 92,
  brightYellow: 93,
  brightBlue: 94,
  brightMagenta: 95,
  brightCyan: 96,
  brightWhite: 97,
};
/** The xterm palette's RGB for the 16 colours, to map hex colours down on 16-colour terminals. */
const NAMED_RGB: [number, number, number, number][] = [
  [30, 0, 0, 0],
  [31, 205, 0, 0],
  [32, 0, 205, 0],
  [33, 205, 205, 0],
  [34, 0, 0, 238],
  [35, 205, 0, 205],
  [36, 0, 205, 205],
  [37, 229, 229, 229],
  [90, 127, 127, 127],
  [91, 255, 0, 0],
  [92, 0, 255, 0],
  [93, 255, 255, 0],
  [94, 92, 92, 255],
  [95, 255, 0, 255],
  [96, 0, 255, 255],
  [97, 255, 255, 255],
];

const HEX = /^#([0-9a-f]{6})$/i;

export class ThemeError extends Error {
  override name = 'ThemeError';
}

/** Why a colour is not one a theme may use, or undefined. */
function colorProblem(c: unknown): string | undefined {
  if (typeof c !== 'string') return `expected a colour name or #rrggbb, got ${JSON.stringify(c)}`;
  if (c in NAMED_CODE || HEX.test(c)) return undefined;
  return `unknown colour "${c}" (use #rrggbb or one of ${NAMED.join(', ')})`;
}

function colorCode(c: string, level: ColorLevel, background: boolean): string {
  const add = background ? 10 : 0;
  const named = NAMED_CODE[c];
  if (named !== undefined) return String(named + add);
  const m = HEX.exec(c);
  if (!m) return '';
  const n = Number.parseInt(m[1], 16);
  const r = n >> 16;
  const g = (n >> 8) & 255;
  const b = n & 255;
  if (level === 3) return `${background ? 48 : 38};2;${r};${g};${b}`;
  if (level === 2) {
    const q = (x: number): number => (x < 48 ? 0 : x < 115 ? 1 : Math.floor((x - 35) / 40));
    return `${background ? 48 : 38};5;${16 + 36 * q(r) + 6 * q(g) + q(b)}`;
  }
  let best = NAMED_RGB[0];
  let bestD = Number.POSITIVE_INFINITY;
  for (const p of NAMED_RGB) {
    const d = (p[1] - r) ** 2 + (p[2] - g) ** 2 + (p[3] - b) ** 2;
    if (d < bestD) {
      bestD = d;
      best = p;
    }
  }
  return String(best[0] + add);
}

/** A theme colour (a name or #rrggbb) as red, green and blue, for drawing libraries that take RGB. */
export function colorRgb(c: string): [number, number, number] | null {
  const m = HEX.exec(c);
  if (m) {
    const n = Number.parseInt(m[1], 16);
    return [n >> 16, (n >> 8) & 255, n & 255];
  }
  const p = NAMED_RGB.find((x) => x[0] === NAMED_CODE[c]);
  return p ? [p[1], p[2], p[3]] : null;
}

export function sgr(style: Style, level: ColorLevel): string {
  const codes: string[] = [];
  if (style.bold) codes.push('1');
  if (style.dim) codes.push('2');
  if (style.italic) codes.push('3');
  if (style.underline) codes.push('4');
  if (style.inverse) codes.push('7');
  if (level > 0 && style.fg) codes.push(colorCode(style.fg, level, false));
  if (level > 0 && style.bg) codes.push(colorCode(style.bg, level, true));
  const real = codes.filter(Boolean);
  return real.length === 0 ? '' : `\x1b[${real.join(';')}m`;
}

const RESET = '\x1b[0m';

export class Theme {
  private readonly cache = new Map<string, string>();

  constructor(
    readonly name: string,
    readonly styles: Readonly<Partial<Record<Role, Style>>>,
    readonly level: ColorLevel,
  ) {}

  style(role: Role | undefined): Style {
    return (role && this.styles[role]) || {};
  }

  private open(role: Role | undefined, row: Role | undefined): string {
    const key = `${role ?? ''}|${row ?? ''}`;
    let code = this.cache.get(key);
    if (code === undefined) {
      code = sgr(row ? { ...this.style(role), ...this.style(row) } : this.style(role), this.level);
      this.cache.set(key, code);
    }
    return code;
  }

  /** One line as one string with escape codes; neighbouring spans that look the same share one code. */
  paint(l: Line): string {
    let out = '';
    let run = '';
    let runOpen = '';
    for (const s of l.spans) {
      if (s.text === '') continue;
      const open = this.open(s.role, l.role);
      if (open !== runOpen && run) {
        out += runOpen ? runOpen + run + RESET : run;
        run = '';
      }
      runOpen = open;
      run += s.text;
    }
    if (run) out += runOpen ? runOpen + run + RESET : run;
    return out;
  }
}

/** The names of the themes in themes/. */
export function themeNames(dir = THEMES_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** Checks a parsed theme file; every problem is listed, each with where it is. */
export function parseTheme(data: unknown, file: string): Partial<Record<Role, Style>> {
  const problems: string[] = [];
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ThemeError(`${file}: a theme is a JSON object with a "styles" object`);
  }
  const styles = (data as { styles?: unknown }).styles;
  if (typeof styles !== 'object' || styles === null || Array.isArray(styles)) {
    throw new ThemeError(`${file}: "styles" must be an object mapping roles to styles`);
  }
  const out: Partial<Record<Role, Style>> = {};
  for (const [role, value] of Object.entries(styles)) {
    if (!(ROLES as readonly string[]).includes(role)) {
      problems.push(`styles.${role}: unknown role`);
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`styles.${role}: expected an object such as {"fg": "cyan", "bold": true}`);
      continue;
    }
    const style: Style = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === 'fg' || k === 'bg') {
        const p = colorProblem(v);
        if (p) problems.push(`styles.${role}.${k}: ${p}`);
        else style[k] = v as string;
      } else if (k === 'bold' || k === 'dim' || k === 'italic' || k === 'underline' || k === 'inverse') {
        if (typeof v !== 'boolean') problems.push(`styles.${role}.${k}: expected true or false`);
        else style[k] = v;
      } else
        problems.push(
          `styles.${role}.${k}: unknown attribute (fg, bg, bold, dim, italic, underline, inverse)`,
        );
    }
    out[role as Role] = style;
  }
  if (problems.length > 0) throw new ThemeError(`${file}:\n  ${problems.join('\n  ')}`);
  return out;
}

/** How many colours this terminal shows, from COLORTERM and TERM. */
export function detectColorLevel(env: NodeJS.ProcessEnv = process.env): ColorLevel {
  const ct = (env.COLORTERM ?? '').toLowerCase();
  if (ct === 'truecolor' || ct === '24bit') return 3;
  const term = env.TERM ?? '';
  if (term === 'dumb') return 0;
  if (term.includes('256')) return 2;
  return 1;
}

/** Whether colour is wanted: not when --no-color was given or NO_COLOR is set to anything non-empty. */
export const colorWanted = (option: boolean, env: NodeJS.ProcessEnv = process.env): boolean =>
  option && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');

/**
 * Loads themes/NAME.json. Without colour the mono theme replaces it (its roles are attributes only).
 * Throws ThemeError naming the file and every problem, or the themes there are when NAME is unknown.
 */
export function loadTheme(
  name: string,
  color: boolean,
  options: { dir?: string; level?: ColorLevel } = {},
): Theme {
  const dir = options.dir ?? THEMES_DIR;
  const known = themeNames(dir);
  if (!known.includes(name)) {
    throw new ThemeError(`unknown theme "${name}" (themes: ${known.join(', ') || `none in ${dir}`})`);
  }
  const chosen = color ? name : 'mono';
  const file = join(dir, `${chosen}.json`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ThemeError(`${file}: ${(e as Error).message}`);
  }
  const level: ColorLevel = color ? (options.level ?? detectColorLevel()) : 0;
  return new Theme(chosen, parseTheme(data, file), level);
}
