/**
 * A progress bar for long headless runs (batch, compare --table, record, experiments), on standard
 * error when it is a terminal and nothing at all when it is not, so pipes, files and CI logs stay
 * clean. It counts simulated seconds:
 *
 *   batch default [██████████░░░░░░░░░░░░░░]  42% t=2:06 of 5:00  14.1 sim s/s  0:12 left
 *
 * The rate is simulated seconds per wall second since the start; the time left is cli-progress's
 * estimate over the last updates. cli-progress draws at most 10 times a second, also from inside a
 * synchronous loop (its synchronous updates), and is given no signal handlers of its own.
 */
import cliProgress from 'cli-progress';

// A CommonJS module whose exports Node cannot name statically.
const { Format, SingleBar } = cliProgress;

export interface Progress {
  /** Simulated seconds done so far (of the total given at the start). */
  update(done: number): void;
  /** Writes output of the run (standard output, say) above the bar, which is drawn again below it. */
  above(write: () => void): void;
  /** Removes the bar; the line is left empty. */
  stop(): void;
}

/** The stream the bar goes to: standard error, or a test's terminal. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

const NONE: Progress = {
  update() {},
  above: (write) => write(),
  stop() {},
};

/** `m:ss`, or `h:mm:ss` from an hour on. */
export function clockTime(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const mm = String(Math.floor(s / 60) % 60);
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm.padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/**
 * The bar's line, fitted to the terminal's width by leaving out whole parts, the least needed first (the
 * rate, the label, the simulated time), never by cutting a number in two.
 */
export function progressLine(
  label: string,
  done: number,
  total: number,
  wallSeconds: number,
  left: number | null,
  width: number,
  bar: (fraction: number) => string,
): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const rate = wallSeconds > 0 ? done / wallSeconds : null;
  const parts: (string | null)[] = [
    label,
    `[${bar(fraction)}]`,
    `${String(Math.floor(fraction * 100)).padStart(3)}%`,
    `t=${clockTime(done)} of ${clockTime(total)}`,
    rate === null ? null : ` ${rate.toFixed(1)} sim s/s`,
    left === null ? null : ` ${clockTime(left)} left`,
  ];
  const text = (): string => parts.filter((p) => p !== null).join(' ');
  const room = Math.max(0, width - 1);
  for (const drop of [4, 0, 3]) {
    if (text().length <= room) break;
    parts[drop] = null;
  }
  return text().slice(0, room);
}

/** A bar labelled `label` over `total` simulated seconds on `stream` (standard error by default). */
export function progressBar(label: string, total: number, stream: ProgressStream = process.stderr): Progress {
  if (!stream.isTTY) return NONE;
  const bar = new SingleBar({
    stream,
    barsize: 24,
    barCompleteChar: '\u2588',
    barIncompleteChar: '\u2591',
    clearOnComplete: true,
    // Draw even when nothing changed: `above` has cleared the line.
    forceRedraw: true,
    format: (options, params) => {
      const wall = (Date.now() - params.startTime) / 1000;
      const eta = typeof params.eta === 'number' && params.value > 0 ? params.eta : null;
      const left = params.value >= params.total ? 0 : eta;
      const cells = (f: number) => Format.BarFormat(f, options);
      return progressLine(label, params.value, params.total, wall, left, params.maxWidth, cells);
    },
  });
  bar.start(total, 0);
  let stopped = false;
  return {
    update: (done) => {
      if (!stopped) bar.update(Math.min(done, total));
    },
    above: (write) => {
      if (stopped) return write();
      stream.write('\r\x1b[K');
      write();
      // cli-progress saved the cursor at the start and puts it back at the end: save it where the bar is now.
      stream.write('\x1b7');
      bar.render();
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
