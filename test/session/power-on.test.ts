/**
 * The dashboard draws at once: a session can power its preset's guests on one part at a time, so its
 * first snapshot (time 0, no guest yet, `powerOn` 0 of N) exists before any guest's work, and the clock
 * fills the host in. A guest the personality refuses then is an error event, not the end of the run; in
 * compare mode that personality leaves the panes with its reason.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { plain } from '../../src/render/text.ts';
import { CompareSession } from '../../src/session/compare-session.ts';
import { LocalLink } from '../../src/session/link.ts';
import { Session } from '../../src/session/session.ts';
import { Controller } from '../../src/ui/controller.ts';
import { session as makeSession } from '../ui/fixtures.ts';

const open: { close(): void }[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

const preset = () => {
  const s = makeSession(
    [
      { name: 'a', memszMB: 64 },
      { name: 'b', memszMB: 460 },
    ],
    512,
    ['at 0s: limit a 32MB'],
  );
  s.close();
  return s.preset;
};

describe('power-on, guest by guest', () => {
  it('has a snapshot at time 0 before any guest is on, and one more guest at each part', () => {
    const s = new Session(preset(), { stepwisePowerOn: true });
    open.push(s);
    expect(s.snapshot).toMatchObject({ t: 0, powerOn: { done: 0, of: 2 }, guests: [] });
    expect(s.tickUnderway).toBe(true);
    expect(s.advance()).toBe(false);
    expect(s.snapshot.powerOn).toEqual({ done: 1, of: 2 });
    expect(s.snapshot.guests.map((g) => g.name)).toEqual(['a']);
    expect(s.advance()).toBe(false);
    expect(s.snapshot.powerOn).toBeNull();
    // The timeline's time-0 commands come once every guest is on, as when powered on all at once.
    expect(s.snapshot.guests[0].AMAX).toBe(32);
    expect(s.tick().t).toBe(1);
  });

  it('draws the first frame before any guest is on', () => {
    const s = new Session(preset(), { stepwisePowerOn: true });
    open.push(s);
    const c = new Controller(new LocalLink(s), { cols: 100, rows: 24, sampler: false });
    const frame = c.frame().map(plain);
    expect(frame[0]).toMatch(/^ memvisor {2}t=0:00:00 .* powering on 0\/2/);
    expect(frame.join('\n')).toContain("powering the preset's guests on: 0 of 2");
  });

  it('goes on without a guest the personality refuses, saying so in the event log', () => {
    const s = new Session(preset(), { stepwisePowerOn: true, personality: 'hyperv' });
    open.push(s);
    s.tick();
    expect(s.snapshot.guests.map((g) => g.name)).toEqual(['a']);
    expect(s.refusal).toMatch(/:\d+:5: guest b: add: b: hyperv: /);
    expect(s.snapshot.events.some((e) => e.kind === 'error' && e.message.includes('runs without it'))).toBe(
      true,
    );
  });

  it('in compare mode, moves a personality refused a guest to the lines under the panes', () => {
    const p = preset();
    const c = new CompareSession([
      new Session(p, { stepwisePowerOn: true }),
      new Session(p, { stepwisePowerOn: true, personality: 'hyperv' }),
    ]);
    open.push(c);
    c.tick();
    expect(c.compare().map((s) => s.personality)).toEqual(['esx']);
    expect(c.refused).toEqual([expect.stringMatching(/^hyperv: cannot run this preset: .*guest b/)]);
  });
});

describe('word of a refused personality', () => {
  it('reaches the status line and the event log as it leaves compare mode', () => {
    const p = preset();
    const cmp = new CompareSession([
      new Session(p, { stepwisePowerOn: true }),
      new Session(p, { stepwisePowerOn: true, personality: 'hyperv' }),
    ]);
    open.push(cmp);
    const c = new Controller(new LocalLink(cmp), { cols: 200, rows: 24, sampler: false, screen: 'compare' });
    // Heard with the next snapshot of the host on screen.
    cmp.tick();
    cmp.tick();
    expect(c.frame().map(plain).at(-1)).toMatch(/^error: hyperv: cannot run this preset: .*guest b/);
    expect(c.feed.all().some((e) => e.message.startsWith('hyperv: cannot run this preset'))).toBe(true);
  });
});
