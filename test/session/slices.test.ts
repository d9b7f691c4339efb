/**
 * A tick run slice by slice (`advance`, as the dashboard's clock runs it) is the same tick: the same
 * snapshots come out, a command in the middle of a tick waits for its end, and nothing can start a
 * second tick inside the first.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostSnapshot } from '../../src/engine/snapshot.ts';
import type { Session } from '../../src/session/session.ts';
import { session as makeSession, workload } from '../ui/fixtures.ts';

const open: Session[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

/** A small overcommitted host whose guests touch memory, so every tick moves pages; its timeline acts. */
function busy(): Session {
  const s = makeSession(
    [
      { name: 'a', memszMB: 96, extra: workload('database', '64MB') },
      { name: 'b', memszMB: 96, extra: workload('kernel-compile', '64MB') },
    ],
    128,
    ['at 3s: limit a 64MB', 'at 6s: start b memhog size=16MB'],
  );
  open.push(s);
  return s;
}

/** What a snapshot says, without the event ids' object identity mattering. */
const view = (snap: HostSnapshot): string => JSON.stringify(snap);

describe('ticking slice by slice', () => {
  it('gives the same snapshots as whole ticks, however the slices are spread', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }), (bursts) => {
        const whole = busy();
        const sliced = busy();
        for (const n of bursts) {
          let ended = 0;
          for (let i = 0; i < n; i++) if (sliced.advance()) ended++;
          for (let i = 0; i < ended; i++) whole.tick();
          if (!sliced.tickUnderway) expect(view(sliced.snapshot)).toBe(view(whole.snapshot));
        }
        sliced.tick();
        if (whole.host.t < sliced.host.t) whole.tick();
        expect(view(sliced.snapshot)).toBe(view(whole.snapshot));
        whole.close();
        sliced.close();
      }),
      { numRuns: 6 },
    );
  });

  it('applies the timeline from inside a tick run slice by slice', () => {
    const s = busy();
    while (s.host.t < 7) s.advance();
    expect(s.snapshot.guests.find((g) => g.name === 'a')?.AMAX).toBe(64);
    expect(s.snapshot.events.some((e) => e.message.includes('memhog'))).toBe(true);
  });

  it('pauses after each guest and after reclamation in each of ten slices, and publishes a snapshot only at the end', () => {
    const s = busy();
    const before = s.snapshot;
    const parts = 10 * (s.host.machines.length + 1);
    const ends: boolean[] = [];
    for (let i = 0; i < parts; i++) {
      ends.push(s.advance());
      if (i < parts - 1) expect(s.snapshot).toBe(before);
    }
    expect(ends.indexOf(true)).toBe(parts - 1);
    expect(s.snapshot.t).toBe(before.t + 1);
    expect(s.tickUnderway).toBe(false);
  });

  it('finishes the tick under way before a command, as if the command came between ticks', () => {
    const sliced = busy();
    const whole = busy();
    for (let i = 0; i < 3; i++) sliced.advance();
    expect(sliced.tickUnderway).toBe(true);
    const r = sliced.send('limit a 64MB');
    expect(r.ok).toBe(true);
    expect(sliced.tickUnderway).toBe(false);
    whole.tick();
    whole.send('limit a 64MB');
    sliced.tick();
    whole.tick();
    expect(view(sliced.snapshot)).toBe(view(whole.snapshot));
  });

  it('refuses to start a tick inside another', () => {
    const s = busy();
    s.advance();
    expect(() => s.host.tick()).toThrow('a tick started while another was under way');
    expect(s.tick().t).toBe(1);
  });
});
