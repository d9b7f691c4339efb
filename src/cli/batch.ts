import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import type { HostSnapshot } from '../engine/snapshot.ts';
import { dumpAddressSpaces } from '../output/dump.ts';
import { jsonSample } from '../output/json.ts';
import { type CsvGuest, PdhCsvWriter } from '../output/pdh-csv.ts';
import { xentopBatchSample } from '../output/xentop-batch.ts';
import type { Session } from '../session/session.ts';
import { progressBar } from './progress.ts';
import { UsageError } from './usage-error.ts';

export const BATCH_FORMATS = ['json', 'csv', 'xentop'] as const;
export type BatchFormat = (typeof BATCH_FORMATS)[number];

export interface BatchOptions {
  samples: number;
  /** Simulated seconds between samples. */
  delay: number;
  format: BatchFormat;
  output?: string;
  dumpDir?: string;
  /** The host's name in CSV counter names. */
  hostName: string;
  /** The progress bar's label. */
  label: string;
}

/** How a batch run ended: every sample taken, or stopped by a signal after `samples` of them. */
export interface BatchResult {
  samples: number;
  signal: NodeJS.Signals | null;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * The headless runner, as `esxtop -b` and `xentop -b` are: advances the session `delay` simulated
 * seconds at a time and writes each sample as soon as it is taken, to the file (written through, so
 * `tail -f` follows it) or standard output, in the format asked for. SIGINT or SIGTERM stops the run
 * after the sample under way, with the output whole (a CSV header and whole rows, whole JSON lines);
 * a second signal ends the process at once. Then, with a dump directory, every process's address space
 * is written. A progress bar goes to standard error when that is a terminal.
 */
export async function runBatch(session: Session, options: BatchOptions): Promise<BatchResult> {
  if (options.dumpDir !== undefined) makeDumpDir(options.dumpDir);
  const out = openOutput(options.output);
  const bar = progressBar(options.label, options.samples * options.delay);
  const write = options.output === undefined ? (text: string) => bar.above(() => out.write(text)) : out.write;
  let signal: NodeJS.Signals | null = null;
  const onSignal = (s: NodeJS.Signals): void => {
    signal = s;
  };
  for (const s of SIGNALS) process.once(s, onSignal);
  let taken = 0;
  try {
    const format = formatter(session, options, (names) =>
      bar.above(() =>
        process.stderr.write(
          `batch: ${names.join(', ')} powered on after the CSV header was written: not in the file\n`,
        ),
      ),
    );
    write(format.start);
    const start = session.host.t;
    for (taken = 0; taken < options.samples && signal === null; ) {
      const s = session.runUntil(session.host.t + options.delay);
      write(format.sample(s));
      taken++;
      bar.update(s.t - start);
      // Signals are delivered between samples (a sample's ticks run without a break).
      await new Promise<void>((r) => setImmediate(r));
    }
  } finally {
    for (const s of SIGNALS) process.off(s, onSignal);
    bar.stop();
    out.close();
  }
  if (options.dumpDir) {
    for (const f of dumpAddressSpaces(session.host, options.dumpDir).failed) {
      process.stderr.write(`${f.file}: not written: ${f.reason}\n`);
    }
  }
  return { samples: taken, signal };
}

interface Formatter {
  /** What comes before the first sample (the CSV header). */
  start: string;
  sample(s: HostSnapshot): string;
}

function formatter(session: Session, options: BatchOptions, leftOut: (names: string[]) => void): Formatter {
  let previous: HostSnapshot | undefined;
  let cursor = session.host.events.count;
  switch (options.format) {
    case 'json':
      return {
        start: '',
        sample: (s) => {
          const events = session.host.events.since(cursor);
          cursor = session.host.events.count;
          return `${jsonSample(s, events)}\n`;
        },
      };
    case 'xentop':
      return {
        start: '',
        sample: (s) => {
          const text = xentopBatchSample(s, previous);
          previous = s;
          return text;
        },
      };
    case 'csv': {
      const csv = new PdhCsvWriter(options.hostName, guestsOfRun(session, options.samples * options.delay));
      const said = new Set<string>();
      return {
        start: csv.header(),
        sample: (s) => {
          const { text, left } = csv.row(s);
          const news = left.filter((n) => !said.has(n));
          for (const n of news) said.add(n);
          if (news.length > 0) leftOut(news);
          return text;
        },
      };
    }
  }
}

/**
 * The guests of the next `seconds` of the run, for the CSV header (written before the first sample):
 * those powered on now and those the timeline adds by then, with the GIDs they will get if no add is
 * refused (a guest whose GID differs still finds its columns by name).
 */
export function guestsOfRun(session: Session, seconds: number): CsvGuest[] {
  const now = session.snapshot.guests.map((g) => ({ gid: g.GID, name: g.name }));
  let gid = Math.max(0, ...now.map((g) => g.gid));
  const t = session.host.t;
  const added = session.preset.timeline.flatMap((e) =>
    e.command.type === 'addGuest' && e.at > t + 1e-9 && e.at <= t + seconds + 1e-9
      ? [{ gid: ++gid, name: e.command.guest.name }]
      : [],
  );
  return [...now, ...added];
}

/** Made before the run: a directory that cannot be made is bad input, found before any sample. */
function makeDumpDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UsageError(`batch: --dump-dir ${dir}: cannot create: ${(err as Error).message}`);
  }
}

interface Output {
  write(text: string): void;
  close(): void;
}

/** The file, written through at each sample; or standard output. A file that cannot be opened is bad input. */
function openOutput(file: string | undefined): Output {
  if (file === undefined) return { write: (text) => process.stdout.write(text), close() {} };
  let fd: number;
  try {
    fd = openSync(file, 'w');
  } catch (err) {
    throw new UsageError(`batch: -o ${file}: cannot write: ${(err as Error).message}`);
  }
  return { write: (text) => writeSync(fd, text), close: () => closeSync(fd) };
}
