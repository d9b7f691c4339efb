import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.ts';
import { parsePreset } from '../../src/scenario/preset.ts';
import { Session } from '../../src/session/session.ts';

/**
 * The default preset in small (its full run is the `free-state` experiment): an overcommitted ESX host
 * whose guests press on their targets, and a Windows guest that powers on and zeroes its memory faster
 * than anything can be reclaimed. The host goes down to low once, sits there while it blocks and
 * swaps, and comes back up: it used to swing between low and hard every tick, with a reclaim line per
 * guest each time.
 */
const PRESET = `
seed: 42
host:
  memory: 320MB
guests:
  - name: db1
    memsz: 128MB
    workloads:
      - type: boot
      - type: database
        size: 96MB
        ws: 40%
  - name: app1
    memsz: 128MB
    workloads:
      - type: boot
      - type: memhog
        size: 80MB
        ws: 50%
        locality: 0.9
  - name: vm4
    memsz: 128MB
    balloon: false
    workloads:
      - type: boot
      - type: idle
        size: 64MB
timeline:
  - at 20s: add win1 memsz=160MB vcpus=2 os=windows
  - at 20s: start win1 boot
`;

describe('the free state under a guest powering on into a full host', () => {
  it('goes down twice a minute at most and comes straight back, and writes a repeated decision once', () => {
    const session = new Session(parsePreset(PRESET, 'calm.yaml'));
    const events: EngineEvent[] = [];
    let seen = session.host.events.count;
    try {
      while (session.host.t < 75) {
        session.tick();
        events.push(...session.host.events.since(seen));
        seen = session.host.events.count;
      }
    } finally {
      session.close();
    }
    const states = events.filter((e) => e.kind === 'state');
    expect(
      states.some((e) => e.message.includes('-> low')),
      `the Windows guest takes the host to low: ${states.map((e) => e.message)}`,
    ).toBe(true);
    // Down at most twice in any minute (the boot storm, the Windows guest), and back up each time
    // without going down on the way: each change of direction is a fall followed by rises.
    const RANK: Record<string, number> = { high: 0, soft: 1, hard: 2, low: 3 };
    const falls = states.filter((e) => {
      const [, from, to] = / (\w+) -> (\w+) /.exec(e.message) ?? [];
      return RANK[to] > RANK[from];
    });
    for (const e of falls) {
      const inMinute = falls.filter((o) => o.t >= e.t && o.t < e.t + 60);
      expect(
        inMinute.length,
        `falls in the minute from ${e.t}s: ${states.map((o) => `${o.t}s ${o.message}`).join('; ')}`,
      ).toBeLessThanOrEqual(2);
    }
    // The same decision for the same guest (numbers aside) is not written twice within a minute.
    const last = new Map<string, number>();
    for (const e of events.filter((e) => e.kind === 'reclaim')) {
      const key = `${e.guest} ${e.message.replace(/[\d.]+/g, 'N')}`;
      const before = last.get(key);
      expect(before === undefined || e.t - before >= 60, `${e.t}s ${key} (also at ${before}s)`).toBe(true);
      last.set(key, e.t);
    }
  }, 60_000);
});
