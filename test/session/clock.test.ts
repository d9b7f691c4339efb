/**
 * The clock is the session's: pause, resume, speed and step are its commands, its state travels in every
 * snapshot as plain data, and it never changes what the simulation does. The real-time driver ticks at
 * the speed asked, runs what a timeline's `step` owes, and measures the speed it achieves.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClockState } from '../../src/engine/snapshot.ts';
import { xentopBatchSample } from '../../src/output/xentop-batch.ts';
import { Clock, type Tickable } from '../../src/session/clock.ts';
import type { Session } from '../../src/session/session.ts';
import { session as makeSession, workload } from '../ui/fixtures.ts';

const open: Session[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  vi.useRealTimers();
});

function small(timeline: readonly string[] = []): Session {
  const s = makeSession([{ name: 'a', memszMB: 64, extra: workload('database', '32MB') }], 128, timeline);
  open.push(s);
  return s;
}

describe('the session clock', () => {
  it('is changed by commands and carried by every snapshot as JSON-safe data', () => {
    const s = small();
    expect(s.snapshot.clock).toEqual({ paused: false, speed: 1, achieved: null });
    expect(s.send('pause')).toEqual({ ok: true, message: 'paused' });
    expect(s.snapshot.clock.paused).toBe(true);
    expect(s.send('speed max')).toEqual({ ok: true, message: 'speed max' });
    expect(JSON.parse(JSON.stringify(s.snapshot.clock))).toEqual({
      paused: true,
      speed: 'max',
      achieved: null,
    });
    // The whole snapshot survives JSON (a worker thread, a socket): no Infinity, no class instances.
    s.tick();
    expect(JSON.parse(JSON.stringify(s.snapshot))).toStrictEqual(structuredClone(s.snapshot));
    expect(s.send('resume').ok).toBe(true);
    expect(s.send('speed 2.5').ok).toBe(true);
    expect(s.snapshot.clock).toEqual({ paused: false, speed: 2.5, achieved: null });
    expect(s.snapshot.events.at(-1)?.message).toBe('speed 2.5x');
  });

  it('step N runs N ticks and leaves the clock paused', () => {
    const s = small();
    expect(s.send('step 3')).toEqual({ ok: true, message: 'stepped 3 ticks' });
    expect(s.snapshot.t).toBe(3);
    expect(s.snapshot.clock.paused).toBe(true);
  });

  it('refuses a clock command built with a bad value, changing nothing', () => {
    const s = small();
    expect(s.command({ type: 'step', ticks: 0 })).toEqual({
      ok: false,
      error: 'step: "0" is not a positive whole number of ticks',
    });
    expect(s.command({ type: 'speed', speed: -1 }).ok).toBe(false);
    expect(s.snapshot.t).toBe(0);
    expect(s.snapshot.clock).toEqual({ paused: false, speed: 1, achieved: null });
  });

  it('runs a timeline with step, pause and speed in simulated time without a crash, as if they were not there', () => {
    const plain = small();
    const clocked = small(['at 2s: step 3', 'at 4s: pause', 'at 6s: speed max', 'at 7s: resume']);
    plain.runUntil(10);
    clocked.runUntil(10);
    expect(clocked.snapshot.t).toBe(10);
    // The same host; only the clock and its event log lines (four more events) differ.
    const { clock, events, eventCount, ...rest } = clocked.snapshot;
    const { clock: _c, events: _e, eventCount: plainCount, ...plainRest } = plain.snapshot;
    expect(rest).toEqual(plainRest);
    expect(eventCount).toBe(plainCount + 4);
    expect(clock).toEqual({ paused: false, speed: 'max', achieved: null });
    const paused = small(['at 1s: pause']);
    paused.runUntil(3);
    expect(paused.snapshot.clock.paused).toBe(true);
    expect(xentopBatchSample(paused.snapshot, undefined)).not.toMatch(/----p-/);
    expect(events.map((e) => e.message)).toEqual(
      expect.arrayContaining(['stepping 3 ticks, then paused', 'paused', 'speed max', 'running']),
    );
  });

  it("owes the ticks of a timeline's step, which the real-time clock runs while paused", () => {
    const s = small(['at 1s: step 2']);
    s.tick();
    expect(s.snapshot.clock.paused).toBe(true);
    expect(s.stepsOwed).toBe(2);
    s.tick();
    s.tick();
    expect(s.stepsOwed).toBe(0);
    expect(s.snapshot.t).toBe(3);
  });
});

describe('the real-time clock', () => {
  /** A session whose ticks take `parts` calls of `advance`, each costing `partMs` of the fake clock. */
  interface Fake extends Tickable {
    ticks: number;
    partsRun: number;
    part: number;
    owed: number;
    clock: ClockState;
    measures: (number | null)[];
    failures: unknown[];
  }

  function fake(speed: number | 'max', parts = 1, partMs = 1) {
    let now = 0;
    const s: Fake = {
      ticks: 0,
      partsRun: 0,
      part: 0,
      owed: 0,
      clock: { paused: false, speed, achieved: null } as ClockState,
      measures: [] as (number | null)[],
      failures: [] as unknown[],
      tickSeconds: 1,
      get stepsOwed(): number {
        return s.owed;
      },
      get tickUnderway(): boolean {
        return s.part > 0;
      },
      advance(): boolean {
        s.partsRun++;
        now += partMs;
        s.part = (s.part + 1) % parts;
        if (s.part > 0) return false;
        s.ticks++;
        if (s.owed > 0) s.owed--;
        return true;
      },
      measured(x: number | null) {
        s.measures.push(x);
      },
      fail(e: unknown) {
        s.failures.push(e);
        s.clock = { ...s.clock, paused: true };
      },
    };
    return { s, advance: (ms: number) => (now += ms), now: () => now };
  }

  it('ticks at speed simulated seconds per wall second, and not while paused', () => {
    vi.useFakeTimers();
    const f = fake(2);
    const c = new Clock(f.s, { now: f.now });
    c.start();
    for (let i = 0; i < 40; i++) {
      f.advance(100);
      vi.advanceTimersByTime(100);
    }
    expect(f.s.ticks).toBeGreaterThanOrEqual(7);
    expect(f.s.ticks).toBeLessThanOrEqual(9);
    f.s.clock = { ...f.s.clock, paused: true };
    const before = f.s.ticks;
    for (let i = 0; i < 20; i++) {
      f.advance(100);
      vi.advanceTimersByTime(300);
    }
    expect(f.s.ticks).toBe(before);
    c.stop();
  });

  it('runs the ticks a step owes while paused, then stops', () => {
    vi.useFakeTimers();
    const f = fake(1);
    f.s.clock = { ...f.s.clock, paused: true };
    f.s.owed = 5;
    const c = new Clock(f.s, { now: f.now });
    c.start();
    for (let i = 0; i < 20; i++) {
      f.advance(10);
      vi.advanceTimersByTime(300);
    }
    expect(f.s.ticks).toBe(5);
    c.stop();
  });

  it('at max runs batches and yields between them', () => {
    vi.useFakeTimers();
    const f = fake('max');
    const c = new Clock(f.s, { now: f.now, budgetMs: 10 });
    c.start();
    vi.runOnlyPendingTimers();
    expect(f.s.ticks).toBe(10);
    vi.runOnlyPendingTimers();
    expect(f.s.ticks).toBe(20);
    c.stop();
  });

  it('measures the speed it achieves when the engine cannot keep up', () => {
    vi.useFakeTimers();
    // 100x asked; each tick costs 30 ms of wall time, so about 33 ticks a wall second at most.
    const f = fake(100, 1, 30);
    const c = new Clock(f.s, { now: f.now, budgetMs: 40 });
    c.start();
    for (let i = 0; i < 100; i++) {
      f.advance(1);
      vi.advanceTimersToNextTimer();
    }
    const last = f.s.measures.at(-1) ?? 0;
    expect(last).toBeGreaterThan(25);
    expect(last).toBeLessThan(40);
    c.stop();
  });

  it('runs a long tick part by part, yielding between parts, and starts no tick it does not owe', () => {
    vi.useFakeTimers();
    const f = fake(1, 10, 30);
    const c = new Clock(f.s, { now: f.now, budgetMs: 40 });
    c.start();
    f.advance(1000);
    vi.advanceTimersToNextTimer();
    // Two parts fit the budget (30 ms, then over it at 60 ms); the rest of the tick waits its turn.
    expect(f.s.partsRun).toBe(2);
    expect(f.s.tickUnderway).toBe(true);
    let turns = 1;
    while (f.s.tickUnderway) {
      vi.advanceTimersToNextTimer();
      turns++;
    }
    expect(turns).toBe(5);
    expect(f.s.ticks).toBe(1);
    // 0.3 s of the next second is owed, not a whole tick: nothing more runs until it is.
    vi.advanceTimersToNextTimer();
    expect(f.s.partsRun).toBe(10);
    c.stop();
  });

  it('hands an engine error to the session, which pauses, and ticks no more', () => {
    vi.useFakeTimers();
    const f = fake(1);
    f.s.advance = () => {
      throw new Error('disk full');
    };
    const c = new Clock(f.s, { now: f.now });
    c.start();
    for (let i = 0; i < 30; i++) {
      f.advance(100);
      vi.advanceTimersByTime(100);
    }
    expect(f.s.failures).toHaveLength(1);
    c.stop();
  });
});
