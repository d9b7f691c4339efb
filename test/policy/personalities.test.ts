import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HostSnapshot } from '../../src/engine/snapshot.ts';
import { loadPreset } from '../../src/scenario/preset.ts';
import { Session } from '../../src/session/session.ts';

/**
 * Runs a fixture (optionally under another personality), handing every snapshot to `each`, for `seconds`
 * or until `each` returns true (what the test looks for has been seen, and nothing later can undo it).
 * The fixtures are the shipped presets made small (hosts of a few hundred MB, runs of seconds), so that
 * each shows its product's signature in a second or two of CPU.
 */
function run(
  fixture: string,
  seconds: number,
  each: (s: HostSnapshot, session: Session) => unknown,
  personality?: string,
): Session {
  const session = new Session(
    loadPreset(join(FIXTURES, `${fixture}.yaml`)),
    personality ? { personality } : {},
  );
  try {
    while (session.host.t < seconds) if (each(session.tick(), session) === true) break;
  } finally {
    session.close();
  }
  return session;
}

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('each personality shows its signature', () => {
  it('XenServer never writes host swap, balloons instead, and reports n/a for what it lacks', () => {
    let ballooned = 0;
    run(
      'overcommit',
      10,
      (s, session) => {
        for (const m of session.host.machines) expect(m.vm.stats.swapOuts).toBe(0);
        for (const g of s.guests) {
          expect(g.SWCUR).toBeNull();
          expect(g.SHRD).toBeNull();
          expect(g.CACHEUSD).toBeNull();
          ballooned = Math.max(ballooned, g.MCTLSZ ?? 0);
        }
      },
      'xenserver',
    );
    expect(ballooned).toBeGreaterThan(0);
  });

  it('the same host under ESX does swap: what XenServer lacks is the personality, not the load', () => {
    let swapped = 0;
    run(
      'overcommit',
      10,
      (s) => {
        swapped = Math.max(swapped, s.host.swap.curr);
        return swapped > 0;
      },
      'esx',
    );
    expect(swapped).toBeGreaterThan(0);
  });

  it('Hyper-V hot-adds memory as demand grows and never goes past the maximum', () => {
    const grew = new Set<string>();
    run('hyperv-dynamic-memory', 35, (s) => {
      for (const g of s.guests) {
        expect(g.MEMSZ).toBeLessThanOrEqual(256); // the limit is the maximum
        if (g.MEMSZ > 96) grew.add(g.name);
      }
    });
    expect([...grew].sort()).toEqual(['hv1', 'hv2']);
  });

  it('Hyper-V refuses to start a guest whose startup memory does not fit', () => {
    expect(
      () => new Session(loadPreset(join(FIXTURES, 'overcommit.yaml')), { personality: 'hyperv' }),
    ).toThrow(/startup memory and overhead .* does not fit/);
  });

  it('xen-tmem records successful ephemeral gets on a file-heavy workload', () => {
    let gets = 0;
    let ephPages = 0;
    run('xen-tmem', 3, (s) => {
      for (const g of s.guests) {
        gets = Math.max(gets, g['Succ eph gets'] ?? 0);
        ephPages = Math.max(ephPages, g['Curr eph pages'] ?? 0);
        expect(g.SWCUR).toBeNull();
      }
    });
    expect(ephPages).toBeGreaterThan(0);
    expect(gets).toBeGreaterThan(0);
  });

  it("KVM's KSM scans at its configured rate and merges identical guests", () => {
    let scanned = 0;
    let shared = 0;
    const session = run('kvm-ksm', 5, (s, sess) => {
      scanned = sess.host.reclaimer.sharing.scanned;
      shared = Math.max(shared, s.host.pshare.saving);
    });
    // 100 pages every 20 ms: 5,000 pages a second, exactly.
    expect(scanned).toBe(5 * 5000);
    expect(shared).toBeGreaterThan(0);
    expect(session.host.reclaimer.config.sharing).toBe('ksm');
  });

  it('PSBM honours guarantees: a guest is never squeezed below its guarantee', () => {
    let bronzeSqueezed = 0;
    run('psbm-containers', 15, (s) => {
      const gold = s.guests.find((g) => g.name === 'ct-gold')!;
      expect(gold.SZTGT).toBeGreaterThanOrEqual(gold.AMIN);
      // Reclaim takes only what is above the guarantee: if anything of gold's is out, the rest is at least it.
      const out = (gold.SWCUR ?? 0) + (gold.zippedMB ?? 0);
      if (out > 0) expect(gold.GRANT).toBeGreaterThanOrEqual(gold.AMIN - 1);
      const bronze = s.guests.find((g) => g.name === 'ct-bronze')!;
      bronzeSqueezed = Math.max(bronzeSqueezed, (bronze.SWCUR ?? 0) + (bronze.zippedMB ?? 0));
      expect(bronze.MCTLSZ).toBeNull();
    });
    expect(bronzeSqueezed).toBeGreaterThan(0);
  });

  it('ESX balloons before it swaps a guest that has a balloon driver', () => {
    const firstBalloon = new Map<string, number>();
    const firstSwap = new Map<string, number>();
    run('esx-balloon-vs-swap', 15, (s) => {
      for (const g of s.guests) {
        if ((g.MCTLSZ ?? 0) > 0 && !firstBalloon.has(g.name)) firstBalloon.set(g.name, s.t);
        if ((g.SWCUR ?? 0) > 0 && !firstSwap.has(g.name)) firstSwap.set(g.name, s.t);
      }
      // Decided once every twin with a driver has ballooned (a swap from then on comes after it) and
      // every twin without one has swapped.
      return ['compile', 'db', 'jbb'].every((n) => firstBalloon.has(`${n}-b`) && firstSwap.has(`${n}-s`));
    });
    for (const name of ['compile-b', 'db-b', 'jbb-b']) {
      expect(firstBalloon.has(name), name).toBe(true);
      expect(firstSwap.get(name) ?? Number.POSITIVE_INFINITY, name).toBeGreaterThan(firstBalloon.get(name)!);
    }
    // Their twins without a driver are swapped by the host instead.
    for (const name of ['compile-s', 'db-s', 'jbb-s']) expect(firstSwap.has(name), name).toBe(true);
  });
});
