/**
 * Whole frames (the dashboard's lines, colours included) as the bytes a terminal needs to show them:
 * only the rows that changed are rewritten, each cleared first and then written from its first column,
 * so nothing depends on what the terminal did with the previous frame's line ends. The dashboard's frame
 * is one row shorter than the terminal; that last row is where a recording shows its captions. Both the
 * live dashboard (ui/run.tsx) and the recorder (cli/record.ts) draw through this.
 */

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
