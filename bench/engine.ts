/**
 * The engine's speed: a 1 GiB host with four guests running mixed workloads for ten simulated minutes,
 * as simulated seconds per wall second; beside it, the raw access rate of the same guests' pages.
 */
import { applyCommand } from '../src/engine/apply-command.ts';
import { defaultHostConfig, defaultOverheadPages } from '../src/engine/config.ts';
import { Host } from '../src/engine/host.ts';
import { takeSnapshot } from '../src/engine/snapshot-build.ts';
import { workloadSpec } from '../src/engine/workloads/defaults.ts';

const MINUTES = Number(process.env.BENCH_MINUTES ?? 10);
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
const start = performance.now();
for (let t = 0; t < MINUTES * 60; t++) {
  host.tick();
  const s = takeSnapshot(host);
  ops += s.guests.reduce((a, g) => a + g.THRU, 0);
  states.set(s.host.state, (states.get(s.host.state) ?? 0) + 1);
}
const wall = (performance.now() - start) / 1000;
const s = takeSnapshot(host);
host.close();
console.log(`| engine | figure |`);
console.log(`|---|---:|`);
console.log(
  `| simulated seconds per wall second (1 GiB host, 4 guests, ${MINUTES} min) | ${(host.t / wall).toFixed(2)} |`,
);
console.log(`| guest operations per wall second | ${Math.round(ops / wall).toLocaleString('en')} |`);
console.log(`| seconds in each free state | ${[...states].map(([k, v]) => `${k} ${v}`).join(', ')} |`);
console.log(
  `| at the end: shared saving, swapped, zipped, ballooned (MB) | ${s.host.pshare.saving}, ${s.host.swap.curr}, ${s.host.zip.zipped}, ${s.host.memctl.curr} |`,
);
