/**
 * Splits a byte stream into lines (newline-delimited JSON) with a cap on a line's length: a peer that
 * sends more than `max` bytes without a newline is cut off (`onOversize`) instead of growing a buffer
 * without end. After `stop()` (or an oversize line) nothing more is delivered.
 */
export class LineReader {
  private parts: Buffer[] = [];
  private size = 0;
  private stopped = false;

  constructor(
    private readonly max: number,
    private readonly onLine: (line: string) => void,
    private readonly onOversize: () => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (!this.stopped) {
      const nl = chunk.indexOf(10, start);
      const end = nl < 0 ? chunk.length : nl;
      if (this.size + (end - start) > this.max) {
        this.stop();
        this.onOversize();
        return;
      }
      if (nl < 0) {
        if (end > start) {
          this.parts.push(chunk.subarray(start));
          this.size += end - start;
        }
        return;
      }
      const piece = chunk.subarray(start, nl);
      const line =
        this.parts.length === 0
          ? piece.toString('utf8')
          : Buffer.concat([...this.parts, piece]).toString('utf8');
      this.parts = [];
      this.size = 0;
      start = nl + 1;
      this.onLine(line);
    }
  }

  stop(): void {
    this.stopped = true;
    this.parts = [];
    this.size = 0;
  }
}
