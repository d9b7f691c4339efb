/**
 * Every shipped preset for ten simulated minutes, as `memvisor batch` runs it (a JSON sample every 5
 * simulated seconds), each in a process of its own: simulated seconds per wall second and per CPU
 * second, and the byte-work floor: the byte operations the engine counted (src/engine/bytework.ts)
 * priced at the raw rates `pageops` measures in the same run. The efficiency is the floor's share of
 * the run's CPU time (CPU, not wall: the machine is shared, and wall time counts others' turns). A CPU
 * profile of the run names the three largest costs above the floor. Metadata is the engine's memory
 * other than page bytes, per simulated page (host frames plus guest pages).
 *
 *   node --import tsx bench/presets.ts [preset ...]      (BENCH_MINUTES=10 by default)
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { Session as Inspector } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSample } from '../src/output/json.ts';
import { loadPreset } from '../src/scenario/preset.ts';
import { Session } from '../src/session/session.ts';
import { floorSeconds, measureRates, runChild, type Work, workParts } from './floor.ts';
import { type CpuProfile, selfTimes } from './profile.ts';

const here = dirname(fileURLToPath(import.meta.url));
const PRESETS = join(here, '..', 'presets');
const MINUTES = Number(process.env.BENCH_MINUTES ?? 10);
const SAMPLE = 5;

interface RunResult {
  preset: string;
  simSeconds: number;
  wall: number;
  cpu: number;
  work: Work;
  metadataBytes: number;
  simulatedPages: number;
  costs: { name: string; seconds: number; byteWork: boolean }[];
}

/** One preset, in this process: the child side. */
async function runOne(name: string): Promise<RunResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const session = new Session(loadPreset(join(PRESETS, `${name}.yaml`)));
  const host = session.host;
  const inspector = new Inspector();
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
  const c0 = process.cpuUsage();
  const start = performance.now();
  let cursor = host.events.count;
  let bytes = 0;
  for (let t = SAMPLE; t <= MINUTES * 60; t += SAMPLE) {
    const s = session.runUntil(t);
    bytes += jsonSample(s, host.events.since(cursor)).length;
    cursor = host.events.count;
  }
  const wall = (performance.now() - start) / 1000;
  const c = process.cpuUsage(c0);
  const { profile } = await inspector.post('Profiler.stop');
  inspector.disconnect();
  if (process.env.BENCH_PROFILE_DIR) {
    writeFileSync(join(process.env.BENCH_PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
  }
  gc?.();
  const after = process.memoryUsage();
  const slabBytes = host.pool.slabs.reduce((a, s) => a + s.byteLength, 0);
  const guestPages = host.machines.reduce((a, m) => a + m.vm.config.memszPages, 0);
  const result: RunResult = {
    preset: name,
    simSeconds: host.t,
    wall,
    cpu: (c.user + c.system) / 1e6,
    work: host.pool.work.toJSON(),
    metadataBytes: after.heapUsed + after.arrayBuffers - slabBytes - (before.heapUsed + before.arrayBuffers),
    simulatedPages: host.pool.frameCount + guestPages,
    costs: selfTimes(profile as CpuProfile),
  };
  session.close();
  if (bytes < 0) console.error(bytes);
  return result;
}

const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(0)} %`;

async function main(): Promise<void> {
  const run = process.argv.indexOf('--run');
  if (run >= 0) {
    console.log(JSON.stringify(await runOne(process.argv[run + 1])));
    return;
  }
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = readdirSync(PRESETS)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'))
    .filter((n) => asked.length === 0 || asked.includes(n));
  const load0 = loadavg()[0];
  const rates = measureRates();
  console.log(
    `| preset (${MINUTES} simulated min) | sim s per wall s | sim s per CPU s | byte-work floor | CPU | efficiency | top three costs above the floor (% of the profile) | metadata B/page |`,
  );
  console.log('|---|---:|---:|---:|---:|---:|---|---:|');
  const details: string[] = [];
  for (const name of names) {
    const r = JSON.parse(runChild('presets.ts', ['--run', name])) as RunResult;
    const floor = floorSeconds(r.work, rates);
    // Profile samples come every millisecond of wall time: shares are of the profile's total.
    const sampled = r.costs.reduce((a, c) => a + c.seconds, 0);
    const above = r.costs
      .filter((c) => !c.byteWork)
      .slice(0, 3)
      .map((c) => `${c.name} ${pct(c.seconds, sampled)}`)
      .join('; ');
    console.log(
      `| ${name} | ${(r.simSeconds / r.wall).toFixed(1)} | ${(r.simSeconds / r.cpu).toFixed(1)} | ` +
        `${floor.toFixed(1)} s | ${r.cpu.toFixed(1)} s | ${(floor / r.cpu).toFixed(2)} | ${above} | ` +
        `${Math.round(r.metadataBytes / r.simulatedPages)} |`,
    );
    const parts = workParts(r.work, rates);
    const byteFns = r.costs.filter((c) => c.byteWork).reduce((a, c) => a + c.seconds, 0);
    details.push(
      `- ${name}: ${parts}; byte-work functions ${pct(byteFns, sampled)} of the profile, the floor ${pct(floor, r.cpu)} of the CPU time`,
    );
  }
  console.log(`\nByte work counted, in pages (seconds at the raw rates):\n${details.join('\n')}`);
  // The machine is shared: the wall figures mean little without the load they were measured under.
  console.log(
    `\nLoad average (1 min) at the start ${load0.toFixed(1)}, at the end ${loadavg()[0].toFixed(1)}`,
  );
}

await main();
