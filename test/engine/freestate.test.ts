import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../src/engine/config.ts';
import { initialFreeState, nextFreeState } from '../../src/engine/freestate.ts';
import type { FreeState } from '../../src/engine/snapshot.ts';
import { workloadSpec } from '../../src/engine/workloads/defaults.ts';
import { guestConfig, makeHost, must } from './helpers.ts';

const T = DEFAULT_THRESHOLDS; // high 6, soft 4, hard 2, low 1 (percent free)
const STATES: FreeState[] = ['high', 'soft', 'hard', 'low'];
const rank = (s: FreeState): number => STATES.indexOf(s);

describe('nextFreeState', () => {
  it('uses the ESX defaults 6/4/2/1 %', () => {
    expect(T).toEqual({ high: 6, soft: 4, hard: 2, low: 1 });
  });

  it.each([
    // From high: down at soft, hard and low.
    ['high', 50, 'high'],
    ['high', 5, 'high'],
    ['high', 4, 'high'],
    ['high', 3.9, 'soft'],
    ['high', 1.5, 'hard'],
    ['high', 0.5, 'low'],
    ['high', 0, 'low'],
    // From soft: hysteresis, back to high only above the high threshold.
    ['soft', 5.9, 'soft'],
    ['soft', 4.5, 'soft'],
    ['soft', 6.5, 'high'],
    ['soft', 3, 'soft'],
    ['soft', 1.9, 'hard'],
    ['soft', 0.9, 'low'],
    // From hard: back to soft only above the soft threshold.
    ['hard', 3.9, 'hard'],
    ['hard', 2.5, 'hard'],
    ['hard', 4.5, 'soft'],
    ['hard', 7, 'high'],
    ['hard', 1.5, 'hard'],
    ['hard', 0.9, 'low'],
    // From low: back to hard only above the hard threshold.
    ['low', 1.9, 'low'],
    ['low', 1.2, 'low'],
    ['low', 0, 'low'],
    ['low', 2.5, 'hard'],
    ['low', 5, 'soft'],
    ['low', 10, 'high'],
  ] as [FreeState, number, FreeState][])('from %s at %d %% free -> %s', (prev, free, want) => {
    expect(nextFreeState(prev, free, T)).toBe(want);
  });

  it('does not flap when free memory oscillates between the soft and high thresholds', () => {
    let s: FreeState = 'high';
    const seen: FreeState[] = [];
    for (const free of [5, 3.5, 5.5, 3.5, 5.9, 4.1, 5.5, 6.5, 5, 4.5]) {
      s = nextFreeState(s, free, T);
      seen.push(s);
    }
    expect(seen).toEqual(['high', 'soft', 'soft', 'soft', 'soft', 'soft', 'soft', 'high', 'high', 'high']);
  });

  it('follows custom thresholds', () => {
    const t: Thresholds = { high: 20, soft: 15, hard: 10, low: 5 };
    expect(nextFreeState('high', 16, t)).toBe('high');
    expect(nextFreeState('high', 14, t)).toBe('soft');
    expect(nextFreeState('soft', 19, t)).toBe('soft');
    expect(nextFreeState('soft', 21, t)).toBe('high');
    expect(nextFreeState('hard', 12, t)).toBe('hard');
    expect(nextFreeState('hard', 16, t)).toBe('soft');
    expect(nextFreeState('low', 7, t)).toBe('low');
    expect(nextFreeState('low', 11, t)).toBe('hard');
    expect(nextFreeState('high', 4, t)).toBe('low');
  });

  it('gives the initial state from free memory alone', () => {
    expect(initialFreeState(100, T)).toBe('high');
    expect(initialFreeState(5, T)).toBe('high');
    expect(initialFreeState(3, T)).toBe('soft');
    expect(initialFreeState(1.5, T)).toBe('hard');
    expect(initialFreeState(0.5, T)).toBe('low');
  });

  const state = fc.constantFrom<FreeState>(...STATES);
  const percent = fc.double({ min: 0, max: 100, noNaN: true });

  it('goes down only below a threshold and up only on clearing one', () => {
    const below = { soft: T.soft, hard: T.hard, low: T.low } as const;
    const clear = { high: T.high, soft: T.soft, hard: T.hard } as const;
    fc.assert(
      fc.property(state, percent, (prev, free) => {
        const next = nextFreeState(prev, free, T);
        if (rank(next) > rank(prev)) {
          // Went down into `next`: free memory is below that state's threshold.
          expect(free).toBeLessThan(below[next as keyof typeof below]);
        } else if (rank(next) < rank(prev)) {
          // Went up into `next`: free memory cleared the threshold above the state it left.
          expect(free).toBeGreaterThanOrEqual(clear[STATES[rank(next)] as keyof typeof clear]);
        }
        // Whatever the previous state, the new one is consistent with where free memory is.
        if (free < T.low) expect(next).toBe('low');
        else if (free < T.hard) expect(rank(next)).toBeGreaterThanOrEqual(rank('hard'));
        else if (free < T.soft) expect(rank(next)).toBeGreaterThanOrEqual(rank('soft'));
        if (free >= T.high) expect(next).toBe('high');
        else if (free >= T.soft) expect(rank(next)).toBeLessThanOrEqual(rank('soft'));
        else if (free >= T.hard) expect(rank(next)).toBeLessThanOrEqual(rank('hard'));
      }),
      { numRuns: 2000 },
    );
  });

  it('is stable: the same free memory again changes nothing', () => {
    fc.assert(
      fc.property(state, percent, (prev, free) => {
        const next = nextFreeState(prev, free, T);
        expect(nextFreeState(next, free, T)).toBe(next);
      }),
      { numRuns: 2000 },
    );
  });

  it('is monotone: less free memory never gives a higher state', () => {
    fc.assert(
      fc.property(state, percent, percent, (prev, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(rank(nextFreeState(prev, lo, T))).toBeGreaterThanOrEqual(rank(nextFreeState(prev, hi, T)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the host free state', () => {
  it('logs every change as the host fills and reclaims, each one following nextFreeState', () => {
    // KVM: it lets a guest above its target take free memory down to nothing (ESX would swap it as it
    // grew past the soft threshold and stay in soft), so the host goes all the way down and back.
    const host = makeHost(16384, 7, undefined, 'kvm');
    try {
      expect(host.state).toBe('high');
      must(host, {
        type: 'addGuest',
        // 16384 frames: 2048 vmk, 100 overhead, 2048 kernel; the program then takes all but 88.
        guest: guestConfig('filler', 14200, { overheadPages: 100, guestSwapPages: 0, balloonDriver: false }),
        workloads: [workloadSpec('idle', { sizePages: 12100 })],
      });
      for (let i = 0; i < 10; i++) host.tick();
      const changes = host.events
        .recent(500)
        .filter((e) => e.kind === 'state')
        .map((e) => {
          const m =
            /^free memory ([\d.]+) % \(\d+ MB\)(?:, at least ([\d.]+) % all tick(?: less \d+ MB owed to guests waiting for it)?)?: (\w+) -> (\w+) \(thresholds 6\/4\/2\/1 %\)$/.exec(
              e.message,
            );
          if (!m) throw new Error(`unexpected state event: ${e.message}`);
          // A rise is decided on the least free memory of the tick, and says so.
          const from = m[3] as FreeState;
          const to = m[4] as FreeState;
          expect(m[2] !== undefined, `${e.message}: a rise names the tick's least free memory`).toBe(
            rank(to) < rank(from),
          );
          return { free: Number(m[2] ?? m[1]), from, to };
        });
      // The host went down (all the way to low: the program took all but 88 frames) and came back up.
      expect(changes.some((c) => c.to === 'low')).toBe(true);
      expect(changes.some((c) => rank(c.to) < rank(c.from))).toBe(true);
      let state: FreeState = 'high';
      for (const c of changes) {
        expect(c.from).toBe(state);
        expect(c.to).not.toBe(c.from);
        // The logged percentage has one decimal: the transition holds for a value within 0.05 of it.
        const ok = [c.free - 0.05, c.free, c.free + 0.049].some((f) => nextFreeState(c.from, f, T) === c.to);
        expect(ok, `${c.from} -> ${c.to} at ${c.free} %`).toBe(true);
        state = c.to;
      }
      expect(state).toBe(host.state);
    } finally {
      host.close();
    }
  });
});
