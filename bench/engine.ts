/**
 * The engine's speed: a 1 GiB host with four guests running mixed workloads for a simulated hour
 * (BENCH_MINUTES to change it), in simulated seconds per wall and per CPU second, the wall time of the
 * hour (the target is under two minutes), and the byte-work floor of the run priced at pageops' raw
 * rates measured in the same run (see presets.ts). The heap and resident set are read at the end.
 */
import { applyCommand } from '../src/engine/apply-command.ts';
import { defaultHostConfig, defaultOverheadPages } from '../src/engine/config.ts';
import { Host } from '../src/engine/host.ts';
import { takeSnapshot } from '../src/engine/snapshot-build.ts';
import { workloadSpec } from '../src/engine/workloads/defaults.ts';
import { floorSeconds, measureRates, workParts } from './floor.ts';

const MINUTES = Number(process.env.BENCH_MINUTES ?? 60);
const rates = measureRates();
const host = new Host({ config: defaultHostConfig(262144), seed: 1 });
const mix = ['database', 'java-heap', 'kernel-compile', 'memhog'] as const;
mix.forEach((type, i) => {
  const memsz = 98304; // 384 MB each: 1.5 GB on a 1 GB host
  const r = applyCommand(host, {
    type: 'addGuest',
    guest: {
      name: `vm${i + 1}`,
      memszPages: memsz,
      reservationPages: 0,
      limitPages: null,
      shares: 3840,
      vcpus: 2,
      os: 'linux',
      balloonDriver: i !== 3,
      guestSwapPages: 65536,
      overheadPages: defaultOverheadPages(memsz, 2),
    },
    workloads: [
      workloadSpec('boot'),
      workloadSpec('os-image', { sizePages: 8192 }),
      workloadSpec(type, { sizePages: 65536 }),
    ],
  });
  if (!r.ok) throw new Error(r.error);
});
let ops = 0;
const states = new Map<string, number>();
const c0 = process.cpuUsage();
const start = performance.now();
for (let t = 0; t < MINUTES * 60; t++) {
  host.tick();
  const s = takeSnapshot(host);
  ops += s.guests.reduce((a, g) => a + g.THRU, 0);
  states.set(s.host.state, (states.get(s.host.state) ?? 0) + 1);
}
const wall = (performance.now() - start) / 1000;
const c = process.cpuUsage(c0);
const cpu = (c.user + c.system) / 1e6;
const s = takeSnapshot(host);
const work = host.pool.work.toJSON();
const floor = floorSeconds(work, rates);
host.close();
const mem = process.memoryUsage();
const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MB`;
console.log(`| engine (1 GiB host, 4 guests, ${MINUTES} simulated min) | figure |`);
console.log(`|---|---:|`);
console.log(`| simulated seconds per wall second | ${(host.t / wall).toFixed(2)} |`);
console.log(`| simulated seconds per CPU second | ${(host.t / cpu).toFixed(2)} |`);
console.log(`| wall time of the run (CPU time) | ${wall.toFixed(1)} s (${cpu.toFixed(1)} s) |`);
console.log(
  `| byte-work floor, and its share of the CPU time (efficiency) | ${floor.toFixed(1)} s, ${(floor / cpu).toFixed(2)} |`,
);
console.log(`| guest operations per wall second | ${Math.round(ops / wall).toLocaleString('en')} |`);
console.log(`| seconds in each free state | ${[...states].map(([k, v]) => `${k} ${v}`).join(', ')} |`);
console.log(
  `| at the end: shared saving, swapped, zipped, ballooned (MB) | ${s.host.pshare.saving}, ${s.host.swap.curr}, ${s.host.zip.zipped}, ${s.host.memctl.curr} |`,
);
console.log(`| at the end: heap, resident set | ${mb(mem.heapUsed + mem.arrayBuffers)}, ${mb(mem.rss)} |`);
console.log(`\nByte work counted, in pages (seconds at the raw rates): ${workParts(work, rates)}`);
