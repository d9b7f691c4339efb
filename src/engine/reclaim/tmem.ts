import { COST } from '../costs.ts';
import { FrameKind, type FramePool } from '../framepool.ts';
import type { Guest } from '../guest.ts';

/** Per-guest tmem counters, named as xentop prints them where it has a name. */
export interface TmemStats {
  ephPuts: number;
  succEphGets: number;
  failedEphGets: number;
  failedEphPuts: number;
  succPersPuts: number;
  failedPersPuts: number;
  succPersGets: number;
  flushes: number;
  ephPages: number;
  persPages: number;
}

const newStats = (): TmemStats => ({
  ephPuts: 0,
  succEphGets: 0,
  failedEphGets: 0,
  failedEphPuts: 0,
  succPersPuts: 0,
  failedPersPuts: 0,
  succPersGets: 0,
  flushes: 0,
  ephPages: 0,
  persPages: 0,
});

/** Pool ids: private pools are per guest; shared ephemeral pools are per cluster file system. */
export type PoolRef = { kind: 'private'; gid: number } | { kind: 'shared'; fs: number };

const poolKey = (p: PoolRef, persistent: boolean): string =>
  p.kind === 'shared' ? `s${p.fs}` : `${persistent ? 'p' : 'e'}${p.gid}`;

/**
 * Transcendent memory: pools of page copies the hypervisor keeps in fallow memory (frames no guest is
 * entitled to). Ephemeral pools (cleancache) take clean page-cache pages a guest evicts; a get may
 * miss, because the host drops ephemeral pages whenever it needs the memory. Persistent pools
 * (frontswap) take pages a guest swaps out; a put may be refused, but a stored page is always there
 * for its get. Gets are exclusive: the page moves back into the guest and leaves the pool.
 */
export class Tmem {
  private readonly pools = new Map<string, Map<number, number>>();
  /** Every ephemeral page, oldest first, for dropping under pressure: "pool|key" -> [pool, key]. */
  private readonly ephemeral = new Map<string, [string, number]>();
  private readonly stats = new Map<number, TmemStats>();

  constructor(
    private readonly pool: FramePool,
    /** Frames that must stay free: tmem may use only what is above this. */
    private readonly reserve: () => number,
  ) {}

  statsOf(gid: number): TmemStats {
    let s = this.stats.get(gid);
    if (!s) {
      s = newStats();
      this.stats.set(gid, s);
    }
    return s;
  }

  /** Frames of fallow memory tmem could still take. */
  get fallow(): number {
    return Math.max(0, this.pool.freeFrames - this.reserve());
  }

  putEphemeral(vm: Guest, ref: PoolRef, key: number, bytes: Uint8Array): boolean {
    const s = this.statsOf(vm.gid);
    s.ephPuts++;
    const pk = poolKey(ref, false);
    this.remove(pk, key, vm.gid, false);
    const frame = this.copyIn(bytes);
    if (frame < 0) {
      s.failedEphPuts++;
      return false;
    }
    this.poolOf(pk).set(key, frame);
    this.ephemeral.set(`${pk}|${key}`, [pk, key]);
    s.ephPages++;
    return true;
  }

  getEphemeral(vm: Guest, ref: PoolRef, key: number, into: Uint8Array): boolean {
    const s = this.statsOf(vm.gid);
    const pk = poolKey(ref, false);
    const frame = this.pools.get(pk)?.get(key);
    if (frame === undefined) {
      s.failedEphGets++;
      return false;
    }
    this.pool.read(frame, into);
    this.remove(pk, key, vm.gid, false);
    s.succEphGets++;
    vm.stall += COST.tmemGet;
    return true;
  }

  putPersistent(vm: Guest, key: number, bytes: Uint8Array): boolean {
    const s = this.statsOf(vm.gid);
    const pk = poolKey({ kind: 'private', gid: vm.gid }, true);
    this.remove(pk, key, vm.gid, true);
    const frame = this.copyIn(bytes);
    if (frame < 0) {
      s.failedPersPuts++;
      return false;
    }
    this.poolOf(pk).set(key, frame);
    s.succPersPuts++;
    s.persPages++;
    return true;
  }

  /** A get of a stored persistent page always succeeds; false means it was never stored. */
  getPersistent(vm: Guest, key: number, into: Uint8Array): boolean {
    const pk = poolKey({ kind: 'private', gid: vm.gid }, true);
    const frame = this.pools.get(pk)?.get(key);
    if (frame === undefined) return false;
    this.pool.read(frame, into);
    this.remove(pk, key, vm.gid, true);
    this.statsOf(vm.gid).succPersGets++;
    vm.stall += COST.tmemGet;
    return true;
  }

  /** Reads a persistent page without taking it out (for dumps). */
  peekPersistent(vm: Guest, key: number, into: Uint8Array): boolean {
    const frame = this.pools.get(poolKey({ kind: 'private', gid: vm.gid }, true))?.get(key);
    if (frame === undefined) return false;
    this.pool.read(frame, into);
    return true;
  }

  /** The guest overwrote or freed the page: any copy is stale. */
  flush(vm: Guest, ref: PoolRef, key: number, persistent: boolean): void {
    if (this.remove(poolKey(ref, persistent), key, vm.gid, persistent)) this.statsOf(vm.gid).flushes++;
  }

  /** Drops up to `frames` ephemeral pages, oldest first, giving their frames back to the host. */
  dropEphemeral(frames: number): number {
    let dropped = 0;
    for (const [id, [pk, key]] of this.ephemeral) {
      if (dropped >= frames) break;
      const frame = this.pools.get(pk)!.get(key)!;
      this.pools.get(pk)!.delete(key);
      this.ephemeral.delete(id);
      this.pool.release(frame);
      const owner = pk.startsWith('e') ? Number(pk.slice(1)) : -1;
      if (owner >= 0) this.statsOf(owner).ephPages--;
      dropped++;
    }
    return dropped;
  }

  /** Frees every page of a guest's private pools (the guest is gone). */
  destroyGuest(gid: number): void {
    for (const persistent of [false, true]) {
      const pk = poolKey({ kind: 'private', gid }, persistent);
      for (const key of [...(this.pools.get(pk)?.keys() ?? [])]) this.remove(pk, key, gid, persistent);
      this.pools.delete(pk);
    }
    this.stats.delete(gid);
  }

  private copyIn(bytes: Uint8Array): number {
    if (this.fallow <= 0) return -1;
    const frame = this.pool.allocUnzeroed(FrameKind.Tmem);
    if (frame < 0) return -1;
    this.pool.write(frame, 0, bytes);
    return frame;
  }

  private remove(pk: string, key: number, gid: number, persistent: boolean): boolean {
    const pool = this.pools.get(pk);
    const frame = pool?.get(key);
    if (frame === undefined) return false;
    pool!.delete(key);
    this.pool.release(frame);
    const s = this.statsOf(gid);
    if (persistent) s.persPages--;
    else {
      this.ephemeral.delete(`${pk}|${key}`);
      if (pk.startsWith('e')) s.ephPages--;
    }
    return true;
  }

  private poolOf(pk: string): Map<number, number> {
    let p = this.pools.get(pk);
    if (!p) {
      p = new Map();
      this.pools.set(pk, p);
    }
    return p;
  }
}
