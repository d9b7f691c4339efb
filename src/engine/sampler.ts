import { type Guest, Sample } from './guest.ts';
import type { Rng } from './rng.ts';

/**
 * ESX's working-set estimate: at the start of each sampling period a few random guest pages are
 * armed; an access to an armed page marks it. At the end, the fraction marked estimates the fraction
 * of memory that is active. A fast and a slow moving average smooth it, and the estimate used is the
 * largest of the two and the current period's, so the estimate rises quickly and falls slowly.
 */
export class ActiveSampler {
  private armed: Int32Array = new Int32Array(0);
  private elapsed = 0;
  /** Fractions of guest memory, 0..1. */
  current = 0;
  currentWrites = 0;
  fast = 0;
  slow = 0;
  /** The running estimate for the period under way (esxtop's %ACTVN). */
  next = 0;

  constructor(
    private readonly period: number,
    private readonly pages: number,
  ) {}

  get active(): number {
    return Math.max(this.current, this.fast, this.slow);
  }

  /** Advances by `dt` seconds; closes the period and arms a new sample when it is due. */
  advance(dt: number, guest: Guest, rng: Rng): void {
    if (this.armed.length === 0) {
      this.arm(guest, rng);
      return;
    }
    this.elapsed += dt;
    const { touched } = this.count(guest);
    this.next = touched / this.armed.length;
    if (this.elapsed + 1e-9 < this.period) return;
    const { touched: t, written } = this.count(guest);
    this.current = t / this.armed.length;
    this.currentWrites = written / this.armed.length;
    this.fast = this.fast === 0 ? this.current : 0.5 * this.fast + 0.5 * this.current;
    this.slow = this.slow === 0 ? this.current : 0.875 * this.slow + 0.125 * this.current;
    for (const gpn of this.armed) if (gpn < guest.sample.length) guest.sample[gpn] = Sample.None;
    this.arm(guest, rng);
  }

  private arm(guest: Guest, rng: Rng): void {
    const n = Math.min(this.pages, guest.sample.length);
    this.armed = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const gpn = rng.int(guest.sample.length);
      this.armed[i] = gpn;
      guest.sample[gpn] = Sample.Armed;
    }
    this.elapsed = 0;
  }

  private count(guest: Guest): { touched: number; written: number } {
    let touched = 0;
    let written = 0;
    for (const gpn of this.armed) {
      const s = gpn < guest.sample.length ? guest.sample[gpn] : Sample.None;
      if (s === Sample.Read || s === Sample.Written) touched++;
      if (s === Sample.Written) written++;
    }
    return { touched, written };
  }
}
