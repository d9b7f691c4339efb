import type { GuestConfig, OptionalMechanism, ReclaimConfig } from '../config.ts';
import type { FreeState } from '../snapshot.ts';
import type { TargetInput } from '../targets.ts';

/** Host settings that only some products read. */
export const POLICY_SETTINGS = [
  'shareScanTime',
  'ksmPagesToScan',
  'ksmSleep',
  'eviction',
  'compressionCache',
  'mom',
  'hypervBuffer',
  'nodeLimit',
] as const;
export type PolicySetting = (typeof POLICY_SETTINGS)[number];

/** What a personality sees of a guest: plain numbers taken when asked, not the running machine. */
export interface GuestView {
  readonly gid: number;
  readonly config: GuestConfig;
  /** The allocation target. */
  readonly targetPages: number;
  /** Memory at power-on (Hyper-V's startup memory). */
  readonly startupPages: number;
  readonly balloonPages: number;
  /** The guest OS's free pages. */
  readonly freePages: number;
  /** Committed_AS. */
  readonly committedPages: number;
}

/** What a personality's balloon rule sees for one guest. */
export interface BalloonContext {
  readonly guest: GuestView;
  readonly state: FreeState;
  /** Pages the guest is over its target (in a pressured state) or its limit, beyond a small dead band. */
  readonly need: number;
  /** Pages the guest is under its target, beyond the dead band. */
  readonly slack: number;
  /** Most pages the balloon may hold. */
  readonly max: number;
  /** The balloon target so far. */
  readonly current: number;
  readonly hostFreePercent: number;
  /** Simulated seconds. */
  readonly t: number;
}

/** What a personality's swap rule sees for one guest. */
export interface SwapContext {
  readonly state: FreeState;
  readonly overLimit: boolean;
  readonly ballooning: boolean;
}

/**
 * A product's memory management: which mechanisms it has (its ReclaimConfig) and its rules for
 * allocation targets, balloon targets and when the host swaps. One module per product.
 */
export interface Personality {
  readonly name: string;
  readonly product: string;
  readonly summary: string;
  /** The screen operators of this product know. */
  readonly screen: 'esxtop' | 'xentop';
  reclaim(base: ReclaimConfig): ReclaimConfig;
  targets(inputs: readonly TargetInput[], available: number, idleTax: number): number[];
  balloonTarget(c: BalloonContext): number;
  swapNow(c: SwapContext): boolean;
  /** The preset's host settings this product reads (others are reported once as unused). */
  readonly uses: readonly PolicySetting[];
  /** Guest settings this product has no use for (reported once as a warning). */
  unused(g: GuestConfig): string[];
  /**
   * Admission control beyond ESX's reservations: why this guest cannot power on next to `others` on a
   * host of `usable` pages, or null. Products without host swap cannot start what they cannot back.
   */
  admit?(g: GuestConfig, others: readonly GuestConfig[], usable: number): string | null;
  /**
   * Whether the host keeps free memory at its high threshold (ESX): it balloons guests above their
   * target as soon as free memory falls under it, and such a guest takes no free memory below it.
   */
  readonly holdsHighThreshold?: boolean;
  /** A new memory size for the guest (Hyper-V hot-add), or null to leave it. */
  resize?(g: GuestView, hostFreePages: number): number | null;
}

/** ESX's balloon rule, shared by products that balloon toward a host-computed target. */
export function balloonTowardTarget(c: BalloonContext): number {
  const pressured = c.state !== 'high';
  const balloon = c.guest.balloonPages;
  // Inflate by what the guest is over (once the balloon has reached its last target: until then the
  // guest has not yet given what was asked); deflate by what it is under, once pressure is gone.
  const inflated = balloon >= c.current ? balloon + c.need : c.current;
  const next = c.need > 0 ? inflated : pressured ? c.current : balloon - c.slack;
  return Math.max(0, Math.min(c.max, Math.round(next)));
}

/** The base settings with only the named mechanisms on: what a product does not name, it lacks. */
export const only = (base: ReclaimConfig, on: Partial<ReclaimConfig>): ReclaimConfig => ({
  ...base,
  sharing: 'off',
  balloon: false,
  compression: false,
  hostSwap: false,
  tmem: false,
  selfBalloon: false,
  ...on,
});

/** The personality's mechanisms less those the host does without. */
export const withoutMechanisms = (c: ReclaimConfig, off: readonly OptionalMechanism[]): ReclaimConfig => ({
  ...c,
  ...(off.includes('sharing') ? { sharing: 'off' as const } : {}),
  ...(off.includes('compression') ? { compression: false } : {}),
  ...(off.includes('tmem') ? { tmem: false } : {}),
});

/** Names a setting that differs from its default, for the unused-settings warning. */
export const setIf = (cond: boolean, name: string): string[] => (cond ? [name] : []);

/** Admission when each guest must have `need(g)` pages backed from the start. */
export function admitWhenBacked(what: string, need: (g: GuestConfig) => number) {
  return (g: GuestConfig, others: readonly GuestConfig[], usable: number): string | null => {
    const used = others.reduce((a, o) => a + need(o) + o.overheadPages, 0);
    const wanted = need(g) + g.overheadPages;
    if (used + wanted <= usable) return null;
    return `${what} ${Math.round(wanted / 256)} MB does not fit: ${Math.round(Math.max(0, usable - used) / 256)} MB left`;
  };
}
