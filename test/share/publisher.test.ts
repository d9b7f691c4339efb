/**
 * A sharing host against well-behaved and hostile viewers: nothing a viewer sends changes the host,
 * nobody connects over TCP without the token, and garbage, oversized lines, wrong versions, a viewer
 * that stops reading or one that vanishes are each closed with one log line while the host goes on.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostSnapshot } from '../../src/engine/snapshot.ts';
import { EventFeed, History } from '../../src/render/history.ts';
import { hostPane } from '../../src/render/host.ts';
import { plain } from '../../src/render/text.ts';
import type { Session } from '../../src/session/session.ts';
import type { ShareAddress } from '../../src/share/address.ts';
import { attach } from '../../src/share/client.ts';
import { Publisher, type SnapshotSource } from '../../src/share/publisher.ts';
import { guest, session, snapshot } from '../ui/fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'memvisor-share-'));
let n = 0;
const sock = (): ShareAddress => ({ kind: 'unix', path: join(dir, `s${++n}.sock`) });

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/** Publishes `source` as host "lab", every snapshot at once; closed after the test. */
async function publish(source: SnapshotSource, address: ShareAddress = sock(), token: string | null = null) {
  const log: string[] = [];
  const p = await Publisher.start(source, {
    address,
    token,
    hostName: 'lab',
    log: (l) => log.push(l),
    minIntervalMs: 0,
    helloTimeoutMs: 1000,
  });
  open.push(p);
  return { p, log };
}

async function host(address: ShareAddress = sock(), token: string | null = null) {
  const s: Session = session([
    { name: 'vm1', memszMB: 64 },
    { name: 'vm2', memszMB: 64 },
  ]);
  open.push({ close: () => s.close() });
  return { s, ...(await publish(s, address, token)) };
}

/** A raw connection: what it receives, line by line, and whether the host closed it. */
function raw(a: ShareAddress): Promise<{ socket: Socket; lines: string[]; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = a.kind === 'unix' ? connect(a.path) : connect(a.port, a.host);
    const lines: string[] = [];
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      lines.push(...parts);
    });
    socket.on('error', () => {});
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('connect', () => resolve({ socket, lines, closed }));
    socket.on('error', reject);
    open.push({ close: () => socket.destroy() });
  });
}

const until = async (test: () => boolean, what: string, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`waited for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const hello = (extra: object = {}): string =>
  `${JSON.stringify({ v: 1, type: 'hello', viewer: 'wall', ...extra })}\n`;

describe('a viewer on the Unix socket', () => {
  it('gets the hello and the newest snapshot, then every new one; its commands are refused', async () => {
    const { s, p, log } = await host();
    expect(statSync((p.address as { path: string }).path).mode & 0o777).toBe(0o600);
    const link = await attach(p.address, { viewer: 'attach' });
    open.push(link);
    expect(link.hostName).toBe('lab');
    expect(link.readOnly).toBe('attached to lab');
    expect(link.snapshot).toEqual(s.snapshot);
    await until(() => log.length === 1, 'the attach line');
    expect(log[0]).toMatch(/^viewer 1 \(attach, unix socket\) attached$/);
    const seen: number[] = [];
    link.subscribe((x) => seen.push(x.tick));
    s.tick();
    s.tick();
    await until(() => link.snapshot.tick === s.snapshot.tick, 'the newest tick');
    expect(link.snapshot).toEqual(s.snapshot);
    expect(await link.send('remove vm1')).toEqual({ ok: false, error: 'read-only: attached to lab' });
    expect(s.snapshot.guests.map((g) => g.name)).toEqual(['vm1', 'vm2']);
  });

  it("arrives late and still has the host's charts: the same samples, the same host pane", async () => {
    const s: Session = session([
      { name: 'vm1', memszMB: 64, extra: 'workloads:\n  - type: memhog\n    size: 16MB' },
      { name: 'vm2', memszMB: 64 },
    ]);
    open.push({ close: () => s.close() });
    // What the host's own dashboard keeps, from the start.
    const hostHistory = new History();
    hostHistory.record(s.snapshot);
    s.subscribe((x) => hostHistory.record(x));
    const { p } = await publish(s);
    s.runUntil(4);
    s.send('add vm3 memsz=32MB');
    s.tick();
    const link = await attach(p.address, { viewer: 'attach' });
    open.push(link);
    // What the viewer's dashboard starts from.
    const viewerHistory = new History();
    viewerHistory.load(link.history!);
    viewerHistory.record(link.snapshot);
    expect(viewerHistory.toData()).toEqual(hostHistory.toData());
    expect(viewerHistory.host.free.length).toBe(6);
    expect(hostPane(link.snapshot, viewerHistory, 120, 40).map(plain)).toEqual(
      hostPane(s.snapshot, hostHistory, 120, 40).map(plain),
    );
  });

  it("keeps the host's event log: every event once, as the host's own dashboard has it", async () => {
    const { s, p } = await host();
    const hostFeed = new EventFeed();
    hostFeed.record(s.snapshot);
    s.subscribe((x) => hostFeed.record(x));
    const link = await attach(p.address, { viewer: 'attach' });
    open.push(link);
    const viewerFeed = new EventFeed();
    viewerFeed.record(link.snapshot);
    link.subscribe((x) => viewerFeed.record(x));
    for (const mb of [40, 48, 56]) {
      s.send(`limit vm1 ${mb}MB`);
      s.tick();
    }
    await until(() => link.snapshot.tick === s.snapshot.tick, 'the newest tick');
    const words = (f: EventFeed) => f.all().map((e) => `${e.t} ${e.message}`);
    expect(words(viewerFeed)).toEqual(words(hostFeed));
    expect(words(viewerFeed).filter((w) => w.includes('limit'))).toHaveLength(3);
  });

  it('hears that the host quit', async () => {
    const { p } = await host();
    const link = await attach(p.address, { viewer: 'wall' });
    await p.close();
    expect(await link.ended).toBe('the host lab quit');
  });
});

describe('hostile viewers', () => {
  const cases: [string, string | Buffer, RegExp][] = [
    ['garbage', 'GET / HTTP/1.1\r\n\r\n', /^viewer 1 closed: sent something that is not JSON$/],
    [
      'a command',
      `${JSON.stringify({ v: 1, type: 'command', text: 'remove vm1' })}\n`,
      /^viewer 1 closed: sent a message that is not the share protocol/,
    ],
    [
      'a hello carrying a command',
      hello({ command: 'remove vm1' }),
      /^viewer 1 closed: sent a message that is not the share protocol/,
    ],
    [
      'another protocol version',
      `${JSON.stringify({ v: 2, type: 'hello', viewer: 'wall' })}\n`,
      /^viewer 1 closed: speaks share protocol version 2, not 1$/,
    ],
    ['an oversized line', Buffer.alloc(100_000, 0x41), /^viewer 1 closed: sent a line over 4096 bytes$/],
    ['binary noise', Buffer.from([0, 255, 10, 13, 10]), /^viewer 1 closed: sent something that is not JSON$/],
  ];
  for (const [what, bytes, logged] of cases) {
    it(`closes a viewer that sends ${what}, with one log line; the host and other viewers go on`, async () => {
      const { s, p, log } = await host();
      const before = JSON.stringify(s.snapshot);
      const bad = await raw(p.address);
      bad.socket.write(bytes);
      await bad.closed;
      expect(log).toHaveLength(1);
      expect(log[0]).toMatch(logged);
      // Nothing changed: the same snapshot, the same guests; and the host still serves others.
      expect(JSON.stringify(s.snapshot)).toBe(before);
      const good = await attach(p.address, { viewer: 'wall' });
      open.push(good);
      s.tick();
      await until(() => good.snapshot.tick === s.snapshot.tick, 'a tick on the good viewer');
      expect(good.snapshot.guests.map((g) => g.name)).toEqual(['vm1', 'vm2']);
    });
  }

  it('closes a viewer that speaks after its hello', async () => {
    const { s, p, log } = await host();
    const v = await raw(p.address);
    v.socket.write(hello());
    await until(() => v.lines.length >= 2, 'hello and snapshot');
    v.socket.write(`${JSON.stringify({ v: 1, type: 'hello', viewer: 'wall' })}\n`);
    await v.closed;
    expect(log).toEqual([
      'viewer 1 (wall, unix socket) attached',
      'viewer 1 closed: sent data after its hello (viewers only listen)',
    ]);
    expect(s.snapshot.guests).toHaveLength(2);
  });

  it('closes a viewer that never says hello', async () => {
    const { p, log } = await host();
    const v = await raw(p.address);
    await v.closed;
    expect(log).toEqual(['viewer 1 closed: sent no hello within 1 s']);
  });

  it('says "left" once when a viewer vanishes, and goes on publishing to the others', async () => {
    const { s, p, log } = await host();
    const a = await attach(p.address, { viewer: 'wall' });
    const b = await attach(p.address, { viewer: 'attach' });
    open.push(b);
    await until(() => p.viewerCount === 2, 'two viewers');
    await a.close();
    await until(() => log.includes('viewer 1 left'), 'the left line');
    s.tick();
    await until(() => b.snapshot.tick === s.snapshot.tick, 'b on the newest tick');
    expect(p.viewerCount).toBe(1);
  });
});

describe('a viewer that stops reading', () => {
  it('builds no backlog in the host and gets the newest snapshot when it reads again', async () => {
    // 64 guests: frames of about 100 KB, more than the system's socket buffers can hide.
    const big = (tick: number): HostSnapshot =>
      snapshot({
        t: tick,
        tick,
        guests: Array.from({ length: 64 }, (_, i) => guest({ GID: i + 1, name: `vm${i + 1}` })),
      });
    const listeners = new Set<(x: HostSnapshot) => void>();
    const source = {
      snapshot: big(0),
      subscribe: (fn: (x: HostSnapshot) => void) => {
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
    };
    const { p } = await publish(source);
    const v = await raw(p.address);
    v.socket.write(hello());
    await until(() => v.lines.length >= 2, 'hello and snapshot');
    v.socket.pause();
    const frameBytes = JSON.stringify(source.snapshot).length;
    for (let i = 1; i <= 60; i++) {
      source.snapshot = big(i);
      for (const fn of listeners) fn(source.snapshot);
      await new Promise((r) => setImmediate(r));
    }
    // In the host: at most the frame being written and the newest one waiting.
    expect(p.backlogBytes()).toBeLessThanOrEqual(2 * (frameBytes + 100));
    v.socket.resume();
    await until(() => {
      const last = v.lines.at(-1);
      return last !== undefined && JSON.parse(last).snapshot?.tick === 60;
    }, 'the newest tick after resuming');
    // It skipped frames: far fewer arrived than were published.
    expect(v.lines.length).toBeLessThan(2 + 30);
  });
});

describe('sharing over TCP', () => {
  const tcp = (): ShareAddress => ({ kind: 'tcp', host: '127.0.0.1', port: 0 });
  const TOKEN = 'a-long-enough-token-1234';

  it('will not start without a token', async () => {
    await expect(
      Publisher.start(
        { snapshot: undefined as never, subscribe: () => () => {} },
        {
          address: tcp(),
          token: null,
          hostName: 'x',
          log: () => {},
        },
      ),
    ).rejects.toThrow('sharing over TCP needs a token');
  });

  it('refuses a viewer with no token or a wrong one, and serves one with the right token', async () => {
    const { p, log } = await host(tcp(), TOKEN);
    await expect(attach(p.address, { viewer: 'wall' })).rejects.toThrow(
      /this host closed the connection: the viewer gave no token$/,
    );
    await expect(attach(p.address, { viewer: 'wall', token: 'guess' })).rejects.toThrow(
      /the viewer gave a wrong token$/,
    );
    const ok = await attach(p.address, { viewer: 'attach', token: TOKEN });
    open.push(ok);
    expect(ok.hostName).toBe('lab');
    expect(log[0]).toBe('viewer 1 closed: gave no token');
    expect(log[1]).toBe('viewer 2 closed: gave a wrong token');
    expect(log[2]).toMatch(/^viewer 3 \(attach, 127\.0\.0\.1:\d+\) attached$/);
  });
});
