/**
 * A host under bench: 64 idle guests ticking at speed 1, published on a socket (argv[2]). It prints
 * `ready` once listening, and on SIGTERM one JSON line: when (epoch ms) each tick's snapshot was
 * published, so the parent can measure how far viewers lag.
 */
import { parsePreset } from '../src/scenario/preset.ts';
import { Session } from '../src/session/session.ts';
import { Publisher } from '../src/share/publisher.ts';
import { ownEngine } from '../src/wall/source.ts';

const GUESTS = 64;
const lines = ['# bench', 'seed: 1', 'host:', '  memory: 4GB', 'guests:'];
for (let i = 1; i <= GUESTS; i++) lines.push(`  - name: vm${i}`, '    memsz: 48MB');
const session = new Session(parsePreset(lines.join('\n'), 'bench.yaml'));
session.tick();
const published: Record<number, number> = {};
session.subscribe((s) => {
  published[s.tick] ??= Date.now();
});
const engine = ownEngine(session);
const publisher = await Publisher.start(engine, {
  address: { kind: 'unix', path: process.argv[2] },
  token: null,
  hostName: 'bench',
  log: () => {},
});
console.log('ready');
process.on('SIGTERM', async () => {
  console.log(JSON.stringify({ published, frames: publisher.frames }));
  await publisher.close();
  await engine.close();
  process.exit(0);
});
