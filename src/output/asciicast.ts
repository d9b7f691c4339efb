/**
 * asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/): a JSON header line, then one
 * `[time, "o", data]` line per output event. The header has no timestamp and times are rounded to the
 * microsecond, so the same events give the same bytes.
 *
 * `ScreenWriter` turns whole frames (the dashboard's lines, colours included) into the bytes a terminal
 * needs to show them: only the rows that changed are rewritten, each cleared first and then written from
 * its first column, so nothing depends on what the terminal did with the previous frame's line ends. The
 * last row is the caption line; the dashboard's frame is one row shorter than the terminal.
 */

export interface CastHeader {
  readonly width: number;
  readonly height: number;
  readonly title?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** The environment a recording says it was made in: what the bytes assume of the terminal. */
export const CAST_ENV = { SHELL: '/bin/sh', TERM: 'xterm-256color' } as const;

export const castHeader = (h: CastHeader): string =>
  JSON.stringify({
    version: 2,
    width: h.width,
    height: h.height,
    ...(h.title === undefined ? {} : { title: h.title }),
    env: h.env ?? CAST_ENV,
  });

/** Seconds rounded to the microsecond, the resolution asciinema itself writes. */
export const castTime = (seconds: number): number => Math.round(seconds * 1e6) / 1e6;

export const castEvent = (seconds: number, data: string): string =>
  JSON.stringify([castTime(seconds), 'o', data]);

/** Output events in time order; output at the same time is one event. */
export class Asciicast {
  private readonly events: [number, string][] = [];

  constructor(readonly header: CastHeader) {}

  /** Appends output at `seconds` (never before the previous event: time only moves on). */
  add(seconds: number, data: string): void {
    if (data === '') return;
    const last = this.events[this.events.length - 1];
    const t = Math.max(castTime(seconds), last ? last[0] : 0);
    if (last && last[0] === t) last[1] += data;
    else this.events.push([t, data]);
  }

  get length(): number {
    return this.events.length;
  }

  /** The file: header, then one event a line, each line ending in a newline. */
  toString(): string {
    return [castHeader(this.header), ...this.events.map(([t, d]) => castEvent(t, d))]
      .map((l) => `${l}\n`)
      .join('');
  }
}

/** Parses an asciicast v2 text back into its header and output events (for tests and players). */
export function parseCast(text: string): {
  header: Record<string, unknown>;
  events: [number, string, string][];
} {
  const [first, ...rest] = text.split('\n').filter((l) => l !== '');
  return { header: JSON.parse(first), events: rest.map((l) => JSON.parse(l)) };
}

const ESC = '\x1b';
const at = (row: number): string => `${ESC}[${row};1H`;
const CLEAR_LINE = `${ESC}[2K`;
const RESET = `${ESC}[0m`;

export class ScreenWriter {
  /** The rows as the terminal shows them now (frame rows only). */
  private shown: (string | undefined)[] = [];
  private captionText = '';

  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {}

  /** The first bytes: attributes reset, cursor hidden, screen cleared. */
  start(): string {
    this.shown = [];
    return `${RESET}${ESC}[?25l${ESC}[H${ESC}[2J`;
  }

  /** The rows of `lines` that differ from the screen; at most rows - 1 of them (the last row is the caption's). */
  frame(lines: readonly string[]): string {
    const height = this.rows - 1;
    let out = '';
    for (let i = 0; i < Math.max(lines.length, this.shown.length) && i < height; i++) {
      const next = lines[i] ?? '';
      if (this.shown[i] === next) continue;
      out += at(i + 1) + CLEAR_LINE + next + (next.includes(ESC) ? RESET : '');
      this.shown[i] = next;
    }
    return out;
  }

  /** Shows `text` on the bottom row in reverse video; an empty text clears the row. */
  caption(text: string): string {
    const width = this.cols - 2;
    const chars = [...text];
    const cut = chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : text;
    if (cut === this.captionText) return '';
    this.captionText = cut;
    return at(this.rows) + CLEAR_LINE + (cut === '' ? '' : `${ESC}[1;7m ${cut} ${RESET}`);
  }

  /** After the terminal was cleared (Ctrl-L): the whole screen is drawn again, caption too. */
  repaint(): string {
    this.shown = [];
    const caption = this.captionText;
    this.captionText = '';
    return `${ESC}[H${ESC}[2J${this.caption(caption)}`;
  }

  /** The last bytes: the picture stays, the cursor comes back at the start of the bottom row. */
  end(): string {
    return `${RESET}${at(this.rows)}${ESC}[?25h`;
  }
}
