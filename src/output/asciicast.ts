/**
 * asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/): a JSON header line, then one
 * `[time, "o", data]` line per output event. The header has no timestamp and times are rounded to the
 * microsecond, so the same events give the same bytes.
 * The bytes of the frames themselves come from ui/screen-writer.ts, the same as on a live terminal.
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

export const castEvent = (seconds: number, data: string, code: 'o' | 'm' = 'o'): string =>
  JSON.stringify([castTime(seconds), code, data]);

/** Output events, and markers (chapters a player can jump to), in time order; output at the same time is one event. */
export class Asciicast {
  private readonly events: [number, 'o' | 'm', string][] = [];

  constructor(readonly header: CastHeader) {}

  /** Appends output at `seconds` (never before the previous event: time only moves on). */
  add(seconds: number, data: string): void {
    if (data === '') return;
    const last = this.events[this.events.length - 1];
    const t = this.at(seconds);
    if (last && last[0] === t && last[1] === 'o') last[2] += data;
    else this.events.push([t, 'o', data]);
  }

  /** A marker with a label at `seconds` (asciicast v2 "m" events). */
  marker(seconds: number, label: string): void {
    this.events.push([this.at(seconds), 'm', label]);
  }

  get length(): number {
    return this.events.length;
  }

  /** The file: header, then one event a line, each line ending in a newline. */
  toString(): string {
    return [castHeader(this.header), ...this.events.map(([t, code, d]) => castEvent(t, d, code))]
      .map((l) => `${l}\n`)
      .join('');
  }

  private at(seconds: number): number {
    const last = this.events[this.events.length - 1];
    return Math.max(castTime(seconds), last ? last[0] : 0);
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
