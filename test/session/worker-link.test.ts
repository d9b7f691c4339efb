/**
 * The engine in a worker thread (WorkerLink): the host a preset describes runs there with its clock, the
 * link gets its snapshots as plain data, and commands go to it as text with their answers coming back.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostSnapshot } from '../../src/engine/snapshot.ts';
import { WorkerLink } from '../../src/session/worker-link.ts';

const preset = join(import.meta.dirname, '..', 'policy', 'fixtures', 'overcommit.yaml');

/** The first snapshot `link` gets that satisfies `ok`. */
function until(link: WorkerLink, ok: (s: HostSnapshot) => boolean): Promise<HostSnapshot> {
  return new Promise((resolve) => {
    if (ok(link.snapshot)) return resolve(link.snapshot);
    const off = link.subscribe((s) => {
      if (!ok(s)) return;
      off();
      resolve(s);
    });
  });
}

describe('WorkerLink', () => {
  it('runs the host in a worker: snapshots come as time runs, commands are answered, close ends it', async () => {
    const link = await WorkerLink.open({ kind: 'single', file: preset });
    try {
      // Time 0, guests powering on as the clock runs (the dashboard draws this at once).
      expect(link.snapshot.t).toBe(0);
      expect(await link.send('speed max')).toMatchObject({ ok: true });
      link.start();
      const later = await until(link, (s) => s.t >= 2);
      expect(later.clock.speed).toBe('max');
      expect(later.guests.map((g) => g.name)).toEqual(['vm1', 'vm2', 'vm3']);
      expect(await link.send('limit vm1 64MB')).toMatchObject({ ok: true });
      expect((await link.send('limit nosuch 64MB')).ok).toBe(false);
      const limited = await until(link, (s) => s.guests[0].AMAX === 64);
      expect(limited.guests[0].name).toBe('vm1');
      expect(await link.send('pause')).toMatchObject({ ok: true });
      expect(link.snapshot.clock.paused).toBe(true);
    } finally {
      await link.close();
    }
    expect(await link.send('resume')).toEqual({ ok: false, error: 'the host has stopped' });
  }, 60_000);

  it('says why it could not build the host, in the words the session would', async () => {
    await expect(WorkerLink.open({ kind: 'single', file: join(preset, 'missing.yaml') })).rejects.toThrow(
      'missing.yaml',
    );
  });

  it('runs several personalities for compare mode, each with its snapshot', async () => {
    const link = await WorkerLink.open({ kind: 'compare', file: preset, personalities: ['esx', 'kvm'] });
    try {
      expect(link.compare?.hosts.map((h) => h.personality)).toEqual(['esx', 'kvm']);
    } finally {
      await link.close();
    }
  }, 60_000);
});
