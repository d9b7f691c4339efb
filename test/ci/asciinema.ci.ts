/**
 * The real client: asciinema 2.x (Debian's package, which .ci/run installs) plays our recordings. The
 * tests read casts with the strict reader instead, so they pass without asciinema.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pty from 'node-pty';
import { describe, expect, it } from 'vitest';
import { recordScript } from '../../src/cli/record.ts';
import { loadScript } from '../../src/scenario/script.ts';
import { ROOT } from '../cli.ts';

/** `asciinema cat FILE` in a terminal (it reads its terminal's size): exit code and what it printed. */
async function cat(file: string, cols: number, rows: number): Promise<{ code: number; output: string }> {
  const child = pty.spawn('asciinema', ['cat', file], { cols, rows, env: process.env });
  let output = '';
  child.onData((d) => {
    output += d;
  });
  const code = await new Promise<number>((r) => child.onExit((e) => r(e.exitCode)));
  return { code, output };
}

describe('asciinema plays what memvisor records', () => {
  it('is asciinema 2.x', () => {
    const v = spawnSync('asciinema', ['--version'], { encoding: 'utf8' });
    expect(v.status, 'asciinema is not installed: apt-get install -y asciinema').toBe(0);
    expect(v.stdout).toMatch(/asciinema 2\./);
  });

  it('plays a recording of the test script', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'memvisor-asciinema-')), 'short.cast');
    writeFileSync(file, await recordScript(loadScript(join(ROOT, 'test/record/fixtures/short.yaml'))));
    const { code, output } = await cat(file, 100, 30);
    expect(code).toBe(0);
    expect(output).toContain('The end');
    expect(output).toContain('xentop - 00:00:10');
  });

  it('plays docs/demo.cast', async () => {
    const { code, output } = await cat(join(ROOT, 'docs/demo.cast'), 120, 36);
    expect(code).toBe(0);
    expect(output).toContain('Scripts like this one are in scripts/');
  });
});
