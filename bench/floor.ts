/**
 * The byte-work floor: the byte operations an engine run counted (src/engine/bytework.ts) priced at the
 * raw rates `pageops` measures in the same run, in a process of its own.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BYTE_OPS, type ByteOp } from '../src/engine/bytework.ts';

export type Rates = Record<keyof typeof ByteOp, number>;
export type Work = Record<keyof typeof ByteOp, number>;

const here = dirname(fileURLToPath(import.meta.url));

/** A benchmark script of this directory in a child process; its standard output. */
export function runChild(script: string, args: string[] = []): string {
  return execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, script), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** pageops' rates, measured now. */
export const measureRates = (): Rates => JSON.parse(runChild('pageops.ts', ['--json'])) as Rates;

/** Seconds the counted byte work takes at the measured raw rates. */
export function floorSeconds(work: Work, rates: Rates): number {
  let s = 0;
  for (const op of BYTE_OPS) if (rates[op] > 0) s += work[op] / rates[op];
  return s;
}

/** Each kind of work done, in pages, with its seconds at the raw rates. */
export const workParts = (work: Work, rates: Rates): string =>
  BYTE_OPS.filter((op) => work[op] > 0)
    .map(
      (op) => `${op} ${Math.round(work[op]).toLocaleString('en')} (${(work[op] / rates[op]).toFixed(2)} s)`,
    )
    .join(', ');
