/**
 * The classroom's costs, each read from /proc for the process concerned, as per cent of one core:
 * - the wall: 64 guests, one refresh a second, 160x48, in a real pseudo-terminal (median of rounds;
 *   budget 5 %);
 * - sharing: a host with 64 guests ticking at speed 1 and publishing on a socket, first with no
 *   viewer, then with 20 attached, in the same run; the rise in the host's CPU is judged (budget 5 %),
 *   and so is each viewer's lag: from a tick's snapshot being published to its arrival, against one
 *   refresh (1 s).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pty from 'node-pty';

const here = dirname(fileURLToPath(import.meta.url));
const BUDGET = 5;
const WARMUP_S = 3;
const MEASURE_S = Number(process.env.BENCH_SECONDS ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const VIEWERS = 20;
const REFRESH_MS = 1000;
const TICKS = 100; // clock ticks a second (/proc stat units)

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Per cent of a core that process `pid` uses over the next `seconds`. */
async function percentOver(pid: number, seconds: number): Promise<number> {
  const c0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  return (100 * (cpuSeconds(pid) - c0)) / ((performance.now() - t0) / 1000);
}

async function wallRound(): Promise<number> {
  const child = pty.spawn(process.execPath, ['--import', 'tsx', join(here, 'wall-child.ts')], {
    name: 'xterm-256color',
    cols: 160,
    rows: 48,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let started = false;
  child.onData((d) => {
    if (d.includes('free memory state')) started = true;
  });
  for (let waited = 0; !started && waited < 60_000; waited += 100) await sleep(100);
  await sleep(WARMUP_S * 1000);
  const percent = await percentOver(child.pid, MEASURE_S);
  child.write('q');
  await sleep(500);
  child.kill();
  return percent;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const rounds: number[] = [];
for (let i = 0; i < ROUNDS; i++) rounds.push(await wallRound());
const wall = median(rounds);
console.log(
  `wall: 64 guests, 1 refresh/s, 160x48, ${ROUNDS} rounds of ${MEASURE_S} s: median ${wall.toFixed(2)} % of a core ` +
    `(rounds ${rounds.map((x) => x.toFixed(2)).join(', ')}; budget ${BUDGET} %) ${wall < BUDGET ? 'ok' : 'OVER BUDGET'}`,
);

/** Starts a bench child and waits for its first line; its last line comes on SIGTERM. */
async function child(
  file: string,
  args: string[],
  ready: string,
): Promise<{ p: ChildProcess; last: () => Promise<string> }> {
  const p = spawn(process.execPath, ['--import', 'tsx', join(here, file), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let out = '';
  p.stdout!.on('data', (d) => {
    out += d;
  });
  for (let waited = 0; !out.includes(ready) && waited < 120_000; waited += 100) await sleep(100);
  if (!out.includes(ready)) throw new Error(`${file} did not start`);
  return {
    p,
    last: async () => {
      const closed = new Promise((r) => p.once('close', r));
      p.kill('SIGTERM');
      await closed;
      return out.trim().split('\n').at(-1)!;
    },
  };
}

const sock = join(mkdtempSync(join(tmpdir(), 'memvisor-bench-')), 'share.sock');
const host = await child('share-host-child.ts', [sock], 'ready');
await sleep(WARMUP_S * 1000);
const alone = await percentOver(host.p.pid!, MEASURE_S);
const viewers = await child('share-viewers-child.ts', [sock, String(VIEWERS)], 'attached');
await sleep(WARMUP_S * 1000);
const watched = await percentOver(host.p.pid!, MEASURE_S);
const { arrivals } = JSON.parse(await viewers.last()) as { arrivals: Record<string, number>[] };
const { published } = JSON.parse(await host.last()) as { published: Record<string, number> };
const lags: number[] = [];
for (const seen of arrivals)
  for (const [tick, at] of Object.entries(seen))
    if (published[tick] !== undefined) lags.push(at - published[tick]);
const rise = watched - alone;
const worst = Math.max(...lags);
console.log(
  `share: host with 64 guests at speed 1: ${alone.toFixed(2)} % of a core alone, ${watched.toFixed(2)} % with ` +
    `${VIEWERS} viewers: +${rise.toFixed(2)} % (budget ${BUDGET} %) ${rise < BUDGET ? 'ok' : 'OVER BUDGET'}; ` +
    `lag over ${lags.length} snapshots: median ${median(lags).toFixed(0)} ms, worst ${worst.toFixed(0)} ms ` +
    `(budget one refresh, ${REFRESH_MS} ms) ${worst < REFRESH_MS ? 'ok' : 'OVER BUDGET'}`,
);
if (wall >= BUDGET || rise >= BUDGET || worst >= REFRESH_MS || lags.length === 0) process.exitCode = 1;
