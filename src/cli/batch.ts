import { createWriteStream, type WriteStream } from 'node:fs';
import type { EngineEvent } from '../engine/events.ts';
import { dumpAddressSpaces } from '../output/dump.ts';
import { jsonSample } from '../output/json.ts';
import type { Session } from '../session/session.ts';

export interface BatchOptions {
  samples: number;
  /** Simulated seconds between samples. */
  delay: number;
  format: 'json';
  output?: string;
  dumpDir?: string;
}

/**
 * The headless runner: advances the session `delay` simulated seconds at a time and prints a sample
 * after each, then (with a dump directory) writes every process's address space.
 */
export async function runBatch(session: Session, options: BatchOptions): Promise<void> {
  const out: WriteStream | NodeJS.WriteStream = options.output
    ? createWriteStream(options.output)
    : process.stdout;
  let cursor = session.host.events.count;
  const progress = process.stderr.isTTY && options.output !== undefined;
  for (let i = 1; i <= options.samples; i++) {
    const s = session.runUntil(session.host.t + options.delay);
    const events: EngineEvent[] = session.host.events.since(cursor);
    cursor = session.host.events.count;
    await write(out, `${jsonSample(s, events)}\n`);
    if (progress) process.stderr.write(`\rsample ${i}/${options.samples} (t=${s.t}s)`);
  }
  if (progress) process.stderr.write('\n');
  if (options.dumpDir) dumpAddressSpaces(session.host, options.dumpDir);
  if (out !== process.stdout) await new Promise<void>((resolve) => (out as WriteStream).end(resolve));
}

function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (out.write(text)) resolve();
    else out.once('drain', resolve);
  });
}
