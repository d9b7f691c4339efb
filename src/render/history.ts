/**
 * What the charts draw: the last samples of each host and guest series, one sample per tick, kept in
 * fixed-size rings. Also the event log as the dashboard accumulates it (a snapshot carries only the
 * newest events). Both are fed from every snapshot the session publishes.
 */
import type { EngineEvent } from '../engine/events.ts';
import type { GuestSnapshot, HostSnapshot } from '../engine/snapshot.ts';

export class Ring {
  private readonly data: Float64Array;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.data = new Float64Array(capacity);
  }

  push(v: number): void {
    this.data[this.head] = v;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  get length(): number {
    return this.count;
  }

  /** Oldest first. */
  values(): Float64Array {
    const out = new Float64Array(this.count);
    const start = (this.head - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) out[i] = this.data[(start + i) % this.capacity];
    return out;
  }

  last(): number {
    return this.count === 0 ? Number.NaN : this.data[(this.head - 1 + this.capacity) % this.capacity];
  }
}

export const HOST_SERIES = [
  'free',
  'private',
  'shared',
  'compressed',
  'tmem',
  'overhead',
  'swapped',
  'balloon',
  'thru',
] as const;
export type HostSeries = (typeof HOST_SERIES)[number];

export const GUEST_SERIES = [
  'consumed',
  'active',
  'balloon',
  'swapped',
  'shared',
  'compressed',
  'tmem',
  'thru',
] as const;
export type GuestSeries = (typeof GUEST_SERIES)[number];

const PAGES_PER_MB = 256;
const orNaN = (x: number | null): number => (x === null ? Number.NaN : x);

export function guestSample(g: GuestSnapshot): Record<GuestSeries, number> {
  const tmemPages = g['Curr eph pages'];
  return {
    consumed: g.CNSM,
    active: (g['%ACTV'] / 100) * g.MEMSZ,
    balloon: orNaN(g.MCTLSZ),
    swapped: orNaN(g.SWCUR),
    shared: orNaN(g.SHRD),
    compressed: orNaN(g.CACHEUSD),
    tmem: tmemPages === null ? Number.NaN : tmemPages / PAGES_PER_MB,
    thru: g.THRU,
  };
}

export function hostSample(s: HostSnapshot): Record<HostSeries, number> {
  const h = s.host;
  return {
    free: h.freeMB,
    private: h.privateMB,
    shared: h.sharedMB,
    compressed: h.compressedMB,
    tmem: h.tmemMB,
    overhead: h.overheadMB,
    swapped: h.swap.curr,
    balloon: h.memctl.curr,
    thru: h.THRU,
  };
}

const rings = <K extends string>(keys: readonly K[], capacity: number): Record<K, Ring> =>
  Object.fromEntries(keys.map((k) => [k, new Ring(capacity)])) as Record<K, Ring>;

/** A history as plain data (no sample as NaN: null), for a viewer that attaches late to a shared host. */
export interface HistoryData {
  /** The tick of the newest sample. */
  readonly tick: number;
  readonly host: Readonly<Record<HostSeries, readonly (number | null)[]>>;
  readonly guests: readonly {
    readonly gid: number;
    readonly series: Readonly<Record<GuestSeries, readonly (number | null)[]>>;
  }[];
}

const plainValues = (r: Ring): (number | null)[] =>
  Array.from(r.values(), (v) => (Number.isNaN(v) ? null : v));

export class History {
  readonly host: Record<HostSeries, Ring>;
  private readonly guests = new Map<number, Record<GuestSeries, Ring>>();
  private lastTick = -1;

  constructor(readonly capacity = 600) {
    this.host = rings(HOST_SERIES, capacity);
  }

  /** Takes one sample per tick; snapshots published for commands between ticks are skipped. */
  record(s: HostSnapshot): void {
    const seen = new Set<number>();
    for (const g of s.guests) seen.add(g.GID);
    for (const gid of [...this.guests.keys()]) if (!seen.has(gid)) this.guests.delete(gid);
    if (s.tick === this.lastTick) {
      for (const g of s.guests) if (!this.guests.has(g.GID)) this.addGuest(g);
      return;
    }
    this.lastTick = s.tick;
    const hs = hostSample(s);
    for (const k of HOST_SERIES) this.host[k].push(hs[k]);
    for (const g of s.guests) {
      const r = this.guests.get(g.GID) ?? this.addGuest(g);
      const gs = guestSample(g);
      for (const k of GUEST_SERIES) r[k].push(gs[k]);
    }
  }

  private addGuest(g: GuestSnapshot): Record<GuestSeries, Ring> {
    const r = rings(GUEST_SERIES, this.capacity);
    const gs = guestSample(g);
    for (const k of GUEST_SERIES) r[k].push(gs[k]);
    this.guests.set(g.GID, r);
    return r;
  }

  guest(gid: number): Record<GuestSeries, Ring> | undefined {
    return this.guests.get(gid);
  }

  /** The samples as plain data, oldest first. */
  toData(): HistoryData {
    const series = <K extends string>(keys: readonly K[], r: Record<K, Ring>): Record<K, (number | null)[]> =>
      Object.fromEntries(keys.map((k) => [k, plainValues(r[k])])) as Record<K, (number | null)[]>;
    return {
      tick: this.lastTick,
      host: series(HOST_SERIES, this.host),
      guests: [...this.guests].map(([gid, r]) => ({ gid, series: series(GUEST_SERIES, r) })),
    };
  }

  /** Takes the samples of `d` as its own, before any other (a late viewer's charts start where the host's do). */
  load(d: HistoryData): void {
    const fill = <K extends string>(
      keys: readonly K[],
      r: Record<K, Ring>,
      from: Record<K, readonly (number | null)[]>,
    ): void => {
      for (const k of keys) for (const v of from[k].slice(-this.capacity)) r[k].push(v ?? Number.NaN);
    };
    fill(HOST_SERIES, this.host, d.host);
    for (const g of d.guests) {
      const r = rings(GUEST_SERIES, this.capacity);
      fill(GUEST_SERIES, r, g.series);
      this.guests.set(g.gid, r);
    }
    this.lastTick = d.tick;
  }
}

/**
 * The event log as the dashboard keeps it: every event seen in any snapshot, once, oldest first. In
 * compare mode it is fed by every host, each tagged with its personality.
 */
export class EventFeed {
  private readonly items: EngineEvent[] = [];
  /** How many events each source had logged at its last snapshot (a snapshot carries only the newest). */
  private readonly counts = new Map<string, number>();
  /** Bumped on every new event, so screens know when to redraw. */
  seq = 0;

  constructor(readonly capacity = 2000) {}

  /**
   * Takes the events of `s` not seen before (by the host's count of events, so a copy of a snapshot
   * that crossed a socket counts as the same); returns them (tagged with `source` when given).
   */
  record(s: HostSnapshot, source?: string): EngineEvent[] {
    const key = source ?? '';
    const seen = this.counts.get(key) ?? 0;
    const unseen = Math.min(s.events.length, s.eventCount - seen);
    if (unseen <= 0) return [];
    this.counts.set(key, s.eventCount);
    const fresh = s.events
      .slice(s.events.length - unseen)
      .map((e) => (source ? { ...e, message: `${source}: ${e.message}` } : e));
    this.items.push(...fresh);
    this.seq++;
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
    return fresh;
  }

  /** A note from the dashboard itself (an error it caught), in the same log. */
  note(t: number, kind: EngineEvent['kind'], message: string): void {
    this.items.push({ t, kind, message });
    this.seq++;
  }

  all(): readonly EngineEvent[] {
    return this.items;
  }
}
