/**
 * Memory over a simulated hour: a shipped preset (default: `default`) runs for 60 simulated minutes
 * while the heap (after a full collection) and the resident set are read every simulated minute. After
 * a warm-up of 15 minutes (host memory touched, caches filled, the sharing scanner's hint table full),
 * both must stay flat: the heap within 10 % (+ 8 MB) and the RSS within 5 % (+ 32 MB) of where they
 * stood at the end of the warm-up. Run with --expose-gc (`npm run soak` does).
 *
 *   node --expose-gc --import tsx bench/soak-memory.ts [preset] [--minutes N]
 *
 * Exit status: 0 flat; 4 heap or RSS grew.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPreset } from '../src/scenario/preset.ts';
import { Session } from '../src/session/session.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const minutesAt = args.indexOf('--minutes');
const MINUTES = minutesAt >= 0 ? Number(args[minutesAt + 1]) : 60;
const name = args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '--minutes') ?? 'default';
const WARMUP = Math.min(15, Math.floor(MINUTES / 4));
const MB = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('soak-memory: run with node --expose-gc');
  process.exit(2);
}

const session = new Session(loadPreset(join(here, '..', 'presets', `${name}.yaml`)));
const series: { minute: number; heap: number; rss: number }[] = [];
const start = performance.now();
for (let minute = 1; minute <= MINUTES; minute++) {
  session.runUntil(minute * 60);
  gc();
  const m = process.memoryUsage();
  series.push({ minute, heap: m.heapUsed + m.arrayBuffers, rss: m.rss });
  if (process.stderr.isTTY) process.stderr.write(`\rsoak-memory: ${name} minute ${minute}/${MINUTES}`);
}
if (process.stderr.isTTY) process.stderr.write('\n');
const wall = (performance.now() - start) / 1000;
const hints = session.host.reclaimer.sharing.hints;
session.close();

const base = series[WARMUP - 1];
const after = series.slice(WARMUP);
const heapMax = Math.max(...after.map((s) => s.heap));
const rssMax = Math.max(...after.map((s) => s.rss));
const heapOk = heapMax <= base.heap * 1.1 + 8 * MB;
const rssOk = rssMax <= base.rss * 1.05 + 32 * MB;
const mb = (b: number): string => `${(b / MB).toFixed(1)} MB`;
console.log(`soak-memory: ${name} for ${MINUTES} simulated minutes in ${wall.toFixed(1)} s`);
for (const s of series.filter((s) => s.minute % 5 === 0 || s.minute === WARMUP))
  console.log(`  minute ${String(s.minute).padStart(3)}: heap ${mb(s.heap)}, rss ${mb(s.rss)}`);
console.log(
  `  after the ${WARMUP}-minute warm-up: heap ${mb(base.heap)} -> at most ${mb(heapMax)} ${heapOk ? 'flat' : 'GREW'}, ` +
    `rss ${mb(base.rss)} -> at most ${mb(rssMax)} ${rssOk ? 'flat' : 'GREW'}; sharing hints held ${hints.toLocaleString('en')}`,
);
process.exit(heapOk && rssOk ? 0 : 4);
