/**
 * `memvisor batch` writes each sample when it is taken, and a signal stops it after the sample under way
 * with the output whole: the real CLI, interrupted while it runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { pdhTimestamp } from '../../src/output/pdh-csv.ts';
import { ROOT } from '../cli.ts';

const SMALL = join(ROOT, 'test/record/fixtures/small.yaml');
const TMP = mkdtempSync(join(tmpdir(), 'memvisor-batch-'));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function batch(...args: string[]): Run {
  const child = spawn(process.execPath, [join(ROOT, 'bin/memvisor.js'), 'batch', SMALL, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('exit', (code, signal) => r({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** Waits (without a deadline of its own: the test's timeout is the bound) until `ready()` holds. */
async function until(ready: () => boolean, run: Run): Promise<void> {
  while (!ready()) {
    if (run.child.exitCode !== null) throw new Error(`batch ended early: ${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const readText = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

describe('memvisor batch, interrupted', () => {
  it('has whole CSV rows in the file while it runs, and a valid file after SIGINT', async () => {
    const file = join(TMP, 'run.csv');
    const run = batch('-n', '100000', '-d', '1', '--format', 'csv', '-o', file);
    // Rows reach the file one by one while the run goes on (100000 samples would take many minutes).
    // Three rows first: an interrupt between two samples adds none (split gives the header, the rows, '').
    await until(() => readText(file).split('\r\n').length > 4, run);
    expect(run.child.exitCode).toBeNull();
    run.child.kill('SIGINT');
    const { code } = await run.exit;
    expect(code).toBe(130);

    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const rows: string[][] = parse(text, { relax_column_count: false });
    expect(rows[0][0]).toBe('(PDH-CSV 4.0) (UTC)(0)');
    for (const r of rows) expect(r).toHaveLength(rows[0].length);
    const samples = rows.length - 1;
    expect(samples).toBeGreaterThanOrEqual(3);
    // One sample a simulated second, none missing.
    expect(rows.slice(1).map((r) => r[0])).toEqual(
      Array.from({ length: samples }, (_, i) => pdhTimestamp(i + 1)),
    );
    expect(run.stderr()).toContain(`batch: stopped by SIGINT after ${samples} of 100000 samples`);
  });

  it('prints whole JSON lines to standard output as it goes, and stops after the sample under way on SIGTERM', async () => {
    const run = batch('-n', '100000', '-d', '1');
    await until(() => run.stdout().split('\n').length > 2, run);
    expect(run.child.exitCode).toBeNull();
    run.child.kill('SIGTERM');
    const { code } = await run.exit;
    expect(code).toBe(143);

    const text = run.stdout();
    expect(text.endsWith('\n')).toBe(true);
    const samples = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: number });
    expect(samples.map((s) => s.t)).toEqual(samples.map((_, i) => i + 1));
    expect(run.stderr()).toContain(`batch: stopped by SIGTERM after ${samples.length} of 100000 samples`);
  });
});
