/**
 * The wall under bench: 64 guests whose numbers change every second (a stand-in for the session that
 * costs almost nothing), so what the parent measures is the wall alone: collecting its data and
 * drawing it with blessed once a second.
 */
import type { CommandResult } from '../src/engine/commands.ts';
import type { HostSnapshot } from '../src/engine/snapshot.ts';
import { parsePreset } from '../src/scenario/preset.ts';
import { Session } from '../src/session/session.ts';
import { runWall } from '../src/wall/run.ts';
import type { WallSource } from '../src/wall/source.ts';

const GUESTS = 64;
const lines = ['# bench', 'seed: 1', 'host:', '  memory: 4GB', 'guests:'];
for (let i = 1; i <= GUESTS; i++) lines.push(`  - name: vm${i}`, '    memsz: 48MB');
const session = new Session(parsePreset(lines.join('\n'), 'bench.yaml'));
session.tick();
const base = session.snapshot;
session.close();

type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };

let n = 0;
const next = (): HostSnapshot => {
  n++;
  const s = structuredClone(base) as Mutable<HostSnapshot>;
  s.t = n;
  s.tick = n;
  for (const g of s.guests) {
    const r = Math.sin(n + g.GID);
    g.CNSM = Math.round((30 + 15 * r) * 100) / 100;
    g.GRANT = g.CNSM + 1.5;
    g.THRU = Math.round(10000 + 5000 * r);
  }
  s.host.freeMB = Math.round((1500 + 500 * Math.sin(n)) * 100) / 100;
  s.events = [
    {
      t: n,
      kind: 'reclaim',
      guest: `vm${1 + (n % GUESTS)}`,
      message: `ballooned ${n % 17} MB toward its target`,
    },
  ];
  s.eventCount = n;
  return s as HostSnapshot;
};

let current = next();
const listeners = new Set<(s: HostSnapshot) => void>();
setInterval(() => {
  current = next();
  for (const fn of listeners) fn(current);
}, 1000);

const source: WallSource = {
  get snapshot() {
    return current;
  },
  subscribe(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
  send: (): CommandResult => ({ ok: false, error: 'bench' }),
  readOnly: null,
  close: () => {},
};
await runWall(source, { theme: 'dark', color: true });
process.exit(0);
