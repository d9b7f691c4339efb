/**
 * A multi-gigabyte trace in bounded memory: writes a valgrind lackey trace of GIB gibibytes (2 by
 * default) to the temp directory, checks it through (as loading a preset that names it does), then
 * replays all of it in a guest, and reads the process's peak resident set after each. Read whole, the
 * file would not even fit in one string (V8 stops at 512 MiB); streamed, the peak stays far below the
 * file's size. The file is removed at the end.
 *
 *   node --import tsx bench/soak-trace.ts [GIB]
 *
 * Exit status: 0 bounded; 5 the peak resident set reached the size of the file.
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTrace } from '../src/engine/workloads/tracefile.ts';
import { parsePreset } from '../src/scenario/preset.ts';
import { Session } from '../src/session/session.ts';

const GIB = Number(process.argv[2] ?? 2);
const MB = 1024 * 1024;
const peak = (): number => (process.resourceUsage().maxRSS * 1024) / MB;

/** Lackey lines over a 48 MiB address range: instruction fetches, loads, stores and modifies. */
function writeTrace(path: string, bytes: number): number {
  const fd = openSync(path, 'w');
  let lines = 0;
  let written = 0;
  let x = 12345;
  while (written < bytes) {
    const out: string[] = ['==1== Lackey, an example Valgrind tool'];
    for (let i = 0; i < 100_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const addr = (0x400000 + (x % (48 * MB))).toString(16).padStart(8, '0');
      const k = x >>> 29;
      out.push(k < 4 ? `I  ${addr},4` : k < 6 ? ` L ${addr},8` : k < 7 ? ` S ${addr},8` : ` M ${addr},4`);
    }
    const chunk = Buffer.from(`${out.join('\n')}\n`);
    writeSync(fd, chunk);
    written += chunk.length;
    lines += out.length;
  }
  closeSync(fd);
  return lines;
}

const dir = mkdtempSync(join(tmpdir(), 'memvisor-trace-soak-'));
const path = join(dir, 'big.lackey');
try {
  const lines = writeTrace(path, GIB * 1024 * MB);
  const size = statSync(path).size / MB;
  const base = process.memoryUsage().rss / MB;
  console.log(
    `soak-trace: ${size.toFixed(0)} MB lackey trace, ${lines.toLocaleString('en')} lines; RSS before ${base.toFixed(0)} MB`,
  );

  let t = performance.now();
  const summary = checkTrace(path);
  const checkS = (performance.now() - t) / 1000;
  console.log(
    `  checked ${summary.ops.toLocaleString('en')} operations in ${checkS.toFixed(1)} s ` +
      `(${(size / checkS).toFixed(0)} MB/s); peak RSS ${peak().toFixed(0)} MB`,
  );

  const preset = [
    'seed: 1',
    'host:',
    '  memory: 256MB',
    'guests:',
    '  - name: tracer',
    '    memsz: 128MB',
    '    workloads:',
    '      - type: trace',
    `        file: ${JSON.stringify(path)}`,
    '        size: 64MB',
  ].join('\n');
  const session = new Session(parsePreset(preset, join(dir, 'soak.yaml')));
  const w = session.host.machines[0].workloads[0];
  t = performance.now();
  while (w.state === 'running') session.tick();
  const replayS = (performance.now() - t) / 1000;
  console.log(
    `  replayed ${w.totalOps.toLocaleString('en')} operations (${session.host.t} simulated s) in ${replayS.toFixed(1)} s; ` +
      `peak RSS ${peak().toFixed(0)} MB`,
  );
  session.close();
  const bounded = peak() < size / 4;
  console.log(
    `  peak RSS ${peak().toFixed(0)} MB against a ${size.toFixed(0)} MB file: ${bounded ? 'bounded' : 'NOT BOUNDED'}`,
  );
  process.exitCode = bounded ? 0 : 5;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
