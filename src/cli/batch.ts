import { writeFileSync } from 'node:fs';
import type { EngineEvent } from '../engine/events.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import { dumpAddressSpaces } from '../output/dump.ts';
import { jsonSample } from '../output/json.ts';
import { pdhCsv } from '../output/pdh-csv.ts';
import { xentopBatchSample } from '../output/xentop-batch.ts';
import type { Session } from '../session/session.ts';

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
}

/**
 * The headless runner: advances the session `delay` simulated seconds at a time and takes a sample
 * after each; prints them in the format asked for (JSON lines and xentop tables as they come, CSV at
 * the end, since its header names every guest of the run), then (with a dump directory) writes every
 * process's address space. Progress goes to stderr when that is a terminal and the output goes to a file.
 */
export function runBatch(session: Session, options: BatchOptions): void {
  const lines: string[] = [];
  const samples: HostSnapshot[] = [];
  let cursor = session.host.events.count;
  const progress = process.stderr.isTTY && options.output !== undefined;
  let previous: HostSnapshot | undefined;
  for (let i = 1; i <= options.samples; i++) {
    const s = session.runUntil(session.host.t + options.delay);
    const events: EngineEvent[] = session.host.events.since(cursor);
    cursor = session.host.events.count;
    if (options.format === 'json') emit(`${jsonSample(s, events)}\n`, options.output, lines);
    else if (options.format === 'xentop') emit(xentopBatchSample(s, previous), options.output, lines);
    else samples.push(s);
    previous = s;
    if (progress) process.stderr.write(`\rsample ${i}/${options.samples} (t=${s.t}s)`);
  }
  if (progress) process.stderr.write('\n');
  if (options.format === 'csv') emit(pdhCsv(samples, options.hostName), options.output, lines);
  if (options.output) writeFileSync(options.output, lines.join(''));
  if (options.dumpDir) {
    for (const f of dumpAddressSpaces(session.host, options.dumpDir).failed) {
      process.stderr.write(`${f.file}: not written: ${f.reason}\n`);
    }
  }
}

/** To standard output at once, or kept for the file. */
function emit(text: string, output: string | undefined, lines: string[]): void {
  if (output) lines.push(text);
  else process.stdout.write(text);
}
