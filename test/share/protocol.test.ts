import { describe, expect, it } from 'vitest';
import { LineReader } from '../../src/share/ndjson.ts';
import {
  decode,
  encode,
  hostMessageSchema,
  PROTOCOL_VERSION,
  snapshotSchema,
  viewerHelloSchema,
} from '../../src/share/protocol.ts';
import { session } from '../ui/fixtures.ts';

describe('the share protocol', () => {
  it('carries a real snapshot across as the same numbers', () => {
    const s = session([
      { name: 'a', memszMB: 64, extra: 'workloads:\n  - type: memhog\n    size: 16MB' },
      { name: 'b', memszMB: 64 },
    ]);
    try {
      s.runUntil(3);
      s.send('limit a 32MB');
      s.tick();
      const snap = s.snapshot;
      const line = encode({ v: PROTOCOL_VERSION, type: 'snapshot', snapshot: snap });
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
      const d = decode(line.slice(0, -1), hostMessageSchema);
      expect(d.ok && d.message.type === 'snapshot' && d.message.snapshot).toEqual(snap);
    } finally {
      s.close();
    }
  });

  it('carries "as fast as possible" across as "max"', () => {
    const s = session([{ name: 'a', memszMB: 64 }]);
    try {
      s.send('speed max');
      const back = snapshotSchema.parse(JSON.parse(JSON.stringify(s.snapshot)));
      expect(back.clock.speed).toBe('max');
      expect(back).toEqual(s.snapshot);
    } finally {
      s.close();
    }
  });

  it('rejects what is not JSON, not a message, another version, or the wrong shape, in one sentence', () => {
    const hello = (o: object): string => JSON.stringify(o);
    expect(decode('{"v":1,', viewerHelloSchema)).toEqual({
      ok: false,
      error: 'sent something that is not JSON',
    });
    expect(decode('[1,2]', viewerHelloSchema)).toEqual({
      ok: false,
      error: 'sent JSON that is not a message object',
    });
    expect(decode(hello({ v: 2, type: 'hello', viewer: 'wall' }), viewerHelloSchema)).toEqual({
      ok: false,
      error: 'speaks share protocol version 2, not 1',
    });
    expect(decode(hello({ type: 'hello', viewer: 'wall' }), viewerHelloSchema)).toEqual({
      ok: false,
      error: 'speaks share protocol no version, not 1',
    });
    const cmd = decode(hello({ v: 1, type: 'command', text: 'remove a' }), viewerHelloSchema);
    expect(cmd.ok).toBe(false);
    expect(!cmd.ok && cmd.error).toMatch(/^sent a message that is not the share protocol \(type: /);
    // A hello with anything more than it should carry is not a hello.
    const extra = decode(hello({ v: 1, type: 'hello', viewer: 'wall', command: 'pause' }), viewerHelloSchema);
    expect(extra.ok).toBe(false);
    const ok = decode(hello({ v: 1, type: 'hello', viewer: 'attach', token: 'x' }), viewerHelloSchema);
    expect(ok).toEqual({ ok: true, message: { v: 1, type: 'hello', viewer: 'attach', token: 'x' } });
    const bad = decode(hello({ v: 1, type: 'snapshot', snapshot: { t: 1 } }), hostMessageSchema);
    expect(!bad.ok && bad.error).toMatch(/^sent a message that is not the share protocol \(snapshot\.tick: /);
  });
});

describe('LineReader', () => {
  it('gives whole lines across chunks, several in one chunk', () => {
    const got: string[] = [];
    const r = new LineReader(
      100,
      (l) => got.push(l),
      () => got.push('OVERSIZE'),
    );
    r.push(Buffer.from('ab'));
    r.push(Buffer.from('c\nde\nf'));
    r.push(Buffer.from('g\n\n'));
    expect(got).toEqual(['abc', 'de', 'fg', '']);
  });

  it('cuts a peer off once a line passes the cap, even split over many chunks, and then hears nothing', () => {
    const got: string[] = [];
    const r = new LineReader(
      10,
      (l) => got.push(l),
      () => got.push('OVERSIZE'),
    );
    r.push(Buffer.from('0123456789\n'));
    for (let i = 0; i < 5; i++) r.push(Buffer.from('xxx'));
    r.push(Buffer.from('\nlater\n'));
    expect(got).toEqual(['0123456789', 'OVERSIZE']);
  });

  it('keeps multi-byte characters whole across chunk boundaries', () => {
    const got: string[] = [];
    const r = new LineReader(
      100,
      (l) => got.push(l),
      () => {},
    );
    const bytes = Buffer.from('état\n');
    r.push(bytes.subarray(0, 1));
    r.push(bytes.subarray(1));
    expect(got).toEqual(['état']);
  });
});
