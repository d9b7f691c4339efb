/**
 * The dashboard under bench: 64 guests whose numbers change at every refresh (a stand-in for the
 * session that costs almost nothing), so what the parent measures is the dashboard alone. With
 * `--engine` it runs a real session instead: 64 idle guests ticking at speed 1.
 */
import type { HostSnapshot } from '../src/engine/snapshot.ts';
import { parsePreset } from '../src/scenario/preset.ts';
import { type HostLink, LocalLink } from '../src/session/link.ts';
import { Session } from '../src/session/session.ts';
import { runDashboard } from '../src/ui/run.tsx';

const GUESTS = 64;
const lines = ['# bench', 'seed: 1', 'host:', '  memory: 4GB', 'guests:'];
for (let i = 1; i <= GUESTS; i++) lines.push(`  - name: vm${i}`, '    memsz: 96MB');
const session = new Session(parsePreset(lines.join('\n'), 'bench.yaml'));
session.tick();

type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };

/** Serves a fresh copy of the snapshot with moving numbers each time the dashboard asks for one. */
class Jitter implements HostLink {
  private n = 0;
  readonly readOnly = null;
  constructor(private readonly base: HostSnapshot) {}
  get snapshot(): HostSnapshot {
    this.n++;
    const s = structuredClone(this.base) as Mutable<HostSnapshot>;
    s.t = this.n;
    s.tick = this.n;
    for (const g of s.guests) {
      const r = Math.sin(this.n + g.GID);
      g.CNSM = Math.round((60 + 30 * r) * 100) / 100;
      g.GRANT = g.CNSM + 1.5;
      g.THRU = Math.round(10000 + 5000 * r);
      g['%ACTV'] = Math.round(50 + 40 * r);
      g.cpuSeconds = this.n;
      g.cpuPercent = Math.round(500 + 400 * r) / 10;
    }
    s.host.freeMB = Math.round((4000 + 500 * Math.sin(this.n)) * 100) / 100;
    return s as HostSnapshot;
  }
  subscribe(): () => void {
    return () => {};
  }
  async send(text: string) {
    return { ok: false as const, error: `bench: ${text} ignored` };
  }
  async close(): Promise<void> {}
}

const engine = process.argv.includes('--engine');
const local = new LocalLink(session, { clock: true });
const link = engine ? local : new Jitter(session.snapshot);
await runDashboard(link, {
  onReady: () => engine && local.start(),
  theme: 'dark',
  color: true,
  screen: 'esxtop',
});
await link.close();
session.close();
