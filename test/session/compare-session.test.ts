/**
 * Compare mode drives several hosts as one: hosts with more guests take more parts to end a tick,
 * yet no host starts its next tick before every host has ended this one, and a command lands on
 * all of them between the same two ticks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CompareSession } from '../../src/session/compare-session.ts';
import { Session } from '../../src/session/session.ts';
import { session, workload } from '../ui/fixtures.ts';

const open: CompareSession[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

/** A host with `guests` small guests, each compiling. */
const host = (guests: number): Session =>
  session(
    Array.from({ length: guests }, (_, i) => ({
      name: `g${i}`,
      memszMB: 64,
      extra: workload('kernel-compile', '32MB'),
    })),
    256,
  );

function pair(): CompareSession {
  const c = new CompareSession([host(1), host(4)]);
  open.push(c);
  return c;
}

const times = (c: CompareSession): number[] => c.compare().map((s) => s.t);

describe('compare mode, tick by tick', () => {
  it('keeps hosts with different guest counts in step, part by part', () => {
    const c = pair();
    for (let tick = 1; tick <= 3; tick++) {
      let advances = 0;
      while (!c.advance()) {
        advances++;
        expect(c.tickUnderway).toBe(true);
      }
      // The host with four guests sets the pace: ten slices of four guests and reclamation.
      expect(advances + 1).toBe(10 * 5);
      expect(times(c)).toEqual([tick, tick]);
      expect(c.tickUnderway).toBe(false);
    }
  });

  it('finishes the round under way before a command, on every host alike', () => {
    const c = pair();
    for (let i = 0; i < 20; i++) c.advance(); // the one-guest host has ended its tick, the other not
    expect(c.sessions[0].tickUnderway).toBe(false);
    expect(c.sessions[1].tickUnderway).toBe(true);
    expect(c.send('limit g0 32MB').ok).toBe(true);
    expect(times(c)).toEqual([1, 1]);
    expect(c.compare().map((s) => s.guests.find((g) => g.name === 'g0')?.AMAX)).toEqual([32, 32]);
    c.tick();
    expect(times(c)).toEqual([2, 2]);
  });

  it('ends a round under way with tick, without a second tick on the host that had ended it', () => {
    const c = pair();
    for (let i = 0; i < 20; i++) c.advance();
    c.tick();
    expect(times(c)).toEqual([1, 1]);
    expect(c.tickUnderway).toBe(false);
  });
});

describe('compare mode, a command for all', () => {
  /** The same two small guests under ESX (which overcommits) and Hyper-V (which backs every guest). */
  function esxAndHyperv(): CompareSession {
    const esx = session(
      [
        { name: 'a', memszMB: 64 },
        { name: 'b', memszMB: 64 },
      ],
      512,
    );
    const c = new CompareSession([esx, new Session(esx.preset, { personality: 'hyperv' })]);
    open.push(c);
    return c;
  }
  const names = (c: CompareSession): string[][] => c.compare().map((s) => s.guests.map((g) => g.name));

  it('changes nothing anywhere when one host refuses it, and names that host', () => {
    const c = esxAndHyperv();
    const r = c.send('add big memsz=400MB');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^hyperv: add: big: hyperv: /);
    expect(names(c)).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('applies a command every host accepts on all of them', () => {
    const c = esxAndHyperv();
    expect(c.send('add small memsz=64MB').ok).toBe(true);
    expect(names(c)).toEqual([
      ['a', 'b', 'small'],
      ['a', 'b', 'small'],
    ]);
  });

  it('answers a refusal every host gives alike without naming one', () => {
    const c = esxAndHyperv();
    expect(c.send('limit nosuch 1GB')).toEqual({
      ok: false,
      error: 'limit: no guest named "nosuch" (guests: a, b)',
    });
  });
});
