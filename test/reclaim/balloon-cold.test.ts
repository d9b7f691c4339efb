/**
 * What ballooning costs a guest whose limit cuts into memory it touches (seed 002, 3.3 and 5.3): the
 * guest, not the hypervisor, chooses what to page out, so it keeps its hot set and gives up pages of its
 * cold tail; the throughput lost is then the cold tail's accesses that find their page in guest swap,
 * each costing a swap-in (and the swap-out that makes room for it). The experiment balloon-vs-swap rests
 * on this: ballooning falls only when the limit is under what the guest touches.
 */
import { describe, expect, it } from 'vitest';
import { COST } from '../../src/engine/costs.ts';
import { GpnUse } from '../../src/engine/guestos.ts';
import { UNMAPPED } from '../../src/engine/process.ts';
import { consumedPages } from '../../src/engine/reclaim/reclaimer.ts';
import { workloadSpec } from '../../src/engine/workloads/defaults.ts';
import { guestConfig, machineOf, makeHost, must } from '../engine/helpers.ts';

const SIZE = 4096;
const WS = 0.5;
const LOCALITY = 0.9;
/** java-heap's compute per operation (workloads/anon.ts). */
const CPU_PER_OP = 50e-6;

describe('a ballooned guest under a limit that cuts into what it touches', () => {
  it('pages out only its cold tail, and loses the throughput the cold accesses to guest swap cost', () => {
    const host = makeHost(65536);
    try {
      must(host, {
        type: 'addGuest',
        guest: guestConfig('g', 8192, { guestSwapPages: 8192 }),
        workloads: [workloadSpec('java-heap', { sizePages: SIZE, workingSet: WS, locality: LOCALITY })],
      });
      const m = machineOf(host, 'g');
      const ops = (ticks: number): number => {
        let n = 0;
        for (let i = 0; i < ticks; i++) {
          host.tick();
          n += m.tick.ops;
        }
        return n / ticks;
      };
      ops(30);
      const base = ops(10);
      const p = m.workloads[0].process;
      expect(p.resident, 'the whole heap is touched').toBe(SIZE);
      // A limit that leaves room for the kernel, the hot set and three quarters of the cold tail.
      const hot = Math.floor(WS * SIZE);
      const out = (SIZE - hot) / 4;
      must(host, { type: 'setLimit', guest: 'g', pages: consumedPages(m.vm) - out });
      ops(30);
      const before = m.os.stats.swapIns;
      const thru = ops(20);
      // The balloon took it all: no host swap, and the guest holds nothing of its cold tail it need not.
      expect(m.os.balloonPages).toBeGreaterThan(0);
      expect(host.reclaimer.hostSwap.used(m.vm)).toBe(0);
      expect(m.os.useCount[GpnUse.Free], 'free pages left in the guest').toBeLessThan(64);
      const swapped = (from: number, to: number): number => {
        let n = 0;
        for (let v = from; v < to; v++) if (p.pte[v] < 0 && p.pte[v] !== UNMAPPED) n++;
        return n;
      };
      expect(swapped(0, hot), 'hot pages in guest swap').toBe(0);
      const cold = swapped(hot, SIZE);
      expect(cold).toBeGreaterThan(0.8 * out);
      expect(cold).toBeLessThan(1.2 * out);
      // Each access finds its page in guest swap with the chance the uniform tail gives it.
      const miss = (1 - LOCALITY) * (cold / SIZE);
      const expected = CPU_PER_OP / (CPU_PER_OP + miss * (COST.guestSwapIn + COST.guestSwapOut));
      expect(thru / base).toBeGreaterThan(0.85 * expected);
      expect(thru / base).toBeLessThan(1.15 * expected);
      // And the swap-ins per second are those misses.
      const rate = (m.os.stats.swapIns - before) / 20;
      expect(rate / (miss * thru)).toBeGreaterThan(0.85);
      expect(rate / (miss * thru)).toBeLessThan(1.15);
    } finally {
      host.close();
    }
  });
});
