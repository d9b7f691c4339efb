/** Runs the real CLI (`bin/memvisor.js`) without a terminal and gives its exit status and output. */
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface CliRun {
  readonly status: number;
  readonly out: string;
  readonly err: string;
}

export function runCli(...args: string[]): CliRun {
  try {
    const out = execFileSync(process.execPath, [join(ROOT, 'bin/memvisor.js'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { status: 0, out, err: '' };
  } catch (e) {
    const x = e as { status: number; stdout: string; stderr: string };
    return { status: x.status, out: x.stdout, err: x.stderr };
  }
}
