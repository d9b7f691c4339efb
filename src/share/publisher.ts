/**
 * Publishes a host's snapshots to viewers. The host is never slowed or changed by them:
 * - each snapshot is serialised once, whatever the number of viewers, and at most every
 *   `minIntervalMs` (the newest one always goes out at the end of an interval);
 * - a viewer whose socket has not drained gets nothing more until it has, and then only the newest
 *   frame: a slow viewer skips frames, it never builds a backlog in the host;
 * - a viewer sends its hello and nothing else; anything else (garbage, a second message, a wrong
 *   version, an oversized line, a wrong or missing token over TCP) closes it with one log line;
 * - nothing a viewer sends reaches the source: the publisher only reads snapshots.
 */
import { chmodSync, lstatSync, type Stats, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { HostSnapshot } from '../engine/snapshot.ts';
import { History } from '../render/history.ts';
import { AddressError, formatAddress, type ShareAddress, sameToken } from './address.ts';
import { LineReader } from './ndjson.ts';
import { decode, encode, MAX_VIEWER_LINE, PROTOCOL_VERSION, viewerHelloSchema } from './protocol.ts';

/** What the publisher reads: the newest snapshot and each new one. */
export interface SnapshotSource {
  readonly snapshot: HostSnapshot;
  subscribe(fn: (s: HostSnapshot) => void): () => void;
}

export interface PublisherOptions {
  readonly address: ShareAddress;
  /** Required over TCP; ignored on a Unix socket (its mode keeps others out). */
  readonly token: string | null;
  /** The name viewers show ("attached to NAME"). */
  readonly hostName: string;
  /** One line per viewer that comes, goes or is closed. */
  readonly log: (line: string) => void;
  readonly minIntervalMs?: number;
  readonly helloTimeoutMs?: number;
}

interface Viewer {
  readonly id: number;
  readonly socket: Socket;
  live: boolean;
  /** The socket has not drained: frames wait (only the newest is kept). */
  blocked: boolean;
  pending: string | null;
  closed: boolean;
}

export class Publisher {
  private readonly viewers = new Set<Viewer>();
  /** The charts' samples, as the host's dashboard keeps them, for viewers that attach late. */
  private readonly history = new History();
  private nextId = 1;
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastSent = 0;
  private dirty = false;
  private closing = false;
  /** Frames serialised, for the bench and tests. */
  frames = 0;

  private constructor(
    private readonly server: Server,
    private readonly source: SnapshotSource,
    private readonly options: PublisherOptions,
    readonly address: ShareAddress,
  ) {}

  /** Listens on the address; resolves once it does. TCP without a token is refused here. */
  static async start(source: SnapshotSource, options: PublisherOptions): Promise<Publisher> {
    const a = options.address;
    if (a.kind === 'tcp' && !options.token) throw new AddressError('sharing over TCP needs a token');
    if (a.kind === 'unix') await removeStaleSocket(a.path);
    const server = createServer({ allowHalfOpen: false });
    let publisher: Publisher | undefined;
    server.on('connection', (socket) => publisher?.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(new AddressError(`cannot share on ${formatAddress(a)}: ${e.code ?? e.message}`)),
      );
      if (a.kind === 'unix') {
        // Created closed to others from the start, not opened up and then chmod-ed.
        const old = process.umask(0o177);
        try {
          server.listen(a.path, () => resolve());
        } finally {
          process.umask(old);
        }
      } else server.listen(a.port, a.host, () => resolve());
    });
    let bound = a;
    if (a.kind === 'unix') chmodSync(a.path, 0o600);
    else {
      const info = server.address();
      if (info && typeof info === 'object') bound = { ...a, port: info.port };
    }
    publisher = new Publisher(server, source, options, bound);
    publisher.history.record(source.snapshot);
    publisher.unsubscribe = source.subscribe((s) => {
      publisher?.history.record(s);
      publisher?.changed();
    });
    return publisher;
  }

  /** Viewers attached now (past their hello). */
  get viewerCount(): number {
    let n = 0;
    for (const v of this.viewers) if (v.live) n++;
    return n;
  }

  /** Bytes waiting in the host for viewers (written but not yet taken by the system, and frames held back). */
  backlogBytes(): number {
    let n = 0;
    for (const v of this.viewers) n += v.socket.writableLength + (v.pending?.length ?? 0);
    return n;
  }

  /** Says goodbye to every viewer (they report `reason`, if any), stops listening and removes the socket. */
  async close(reason = ''): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    const bye = encode({ v: PROTOCOL_VERSION, type: 'bye', reason });
    const ends = [...this.viewers].map(
      (v) =>
        new Promise<void>((resolve) => {
          v.socket.once('close', () => resolve());
          if (v.live && !v.closed) v.socket.end(bye);
          else v.socket.end();
          // A viewer that does not read its bye does not hold the host's exit up.
          setTimeout(() => {
            v.socket.destroy();
            resolve();
          }, 1000).unref();
        }),
    );
    await Promise.all(ends);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.address.kind === 'unix') {
      try {
        unlinkSync(this.address.path);
      } catch {
        // Already gone.
      }
    }
  }

  private accept(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const v: Viewer = {
      id: this.nextId++,
      socket,
      live: false,
      blocked: false,
      pending: null,
      closed: false,
    };
    this.viewers.add(v);
    const where =
      this.address.kind === 'unix' ? 'unix socket' : `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    const hello = setTimeout(
      () => this.drop(v, `sent no hello within ${(this.options.helloTimeoutMs ?? 5000) / 1000} s`),
      this.options.helloTimeoutMs ?? 5000,
    );
    const reader = new LineReader(
      MAX_VIEWER_LINE,
      (line) => {
        if (v.live) return this.drop(v, 'sent data after its hello (viewers only listen)');
        clearTimeout(hello);
        this.greet(v, line, where);
      },
      () => this.drop(v, `sent a line over ${MAX_VIEWER_LINE} bytes`),
    );
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('drain', () => this.drained(v));
    socket.on('error', () => {
      // Reported once, by close.
    });
    socket.on('close', () => {
      clearTimeout(hello);
      reader.stop();
      this.viewers.delete(v);
      if (!v.closed && v.live && !this.closing) this.options.log(`viewer ${v.id} left`);
      v.closed = true;
    });
  }

  private greet(v: Viewer, line: string, where: string): void {
    const d = decode(line, viewerHelloSchema);
    if (!d.ok) {
      this.refuse(v, d.error);
      return;
    }
    if (this.address.kind === 'tcp' && !sameToken(d.message.token ?? '', this.options.token ?? '')) {
      this.refuse(v, d.message.token ? 'gave a wrong token' : 'gave no token');
      return;
    }
    v.live = true;
    this.options.log(`viewer ${v.id} (${d.message.viewer}, ${where}) attached`);
    this.write(v, encode({ v: PROTOCOL_VERSION, type: 'hello', host: this.options.hostName }));
    this.write(v, encode({ v: PROTOCOL_VERSION, type: 'history', history: this.history.toData() }));
    this.write(v, this.frame(this.source.snapshot));
  }

  /** Tells a viewer why it is not served, logs it, and closes it. */
  private refuse(v: Viewer, why: string): void {
    if (v.closed) return;
    this.options.log(`viewer ${v.id} closed: ${why}`);
    v.closed = true;
    v.socket.end(
      encode({
        v: PROTOCOL_VERSION,
        type: 'refused',
        reason: `this host closed the connection: the viewer ${why}`,
      }),
    );
    setTimeout(() => v.socket.destroy(), 1000).unref();
  }

  private drop(v: Viewer, why: string): void {
    if (v.closed) return;
    this.options.log(`viewer ${v.id} closed: ${why}`);
    v.closed = true;
    v.socket.destroy();
  }

  private frame(s: HostSnapshot): string {
    this.frames++;
    return encode({ v: PROTOCOL_VERSION, type: 'snapshot', snapshot: s });
  }

  /** A new snapshot: sent now if the interval has passed, else at its end (the newest then). */
  private changed(): void {
    this.dirty = true;
    if (this.timer) return;
    const wait = this.lastSent + (this.options.minIntervalMs ?? 200) - performance.now();
    if (wait <= 0) this.broadcast();
    else this.timer = setTimeout(() => this.broadcast(), wait);
  }

  private broadcast(): void {
    this.timer = null;
    if (!this.dirty || this.closing) return;
    this.dirty = false;
    this.lastSent = performance.now();
    let frame: string | null = null;
    for (const v of this.viewers) {
      if (!v.live || v.closed) continue;
      frame ??= this.frame(this.source.snapshot);
      if (v.blocked) v.pending = frame;
      else this.write(v, frame);
    }
  }

  private write(v: Viewer, data: string): void {
    if (v.closed) return;
    if (!v.socket.write(data)) v.blocked = true;
  }

  private drained(v: Viewer): void {
    v.blocked = false;
    const p = v.pending;
    v.pending = null;
    if (p) this.write(v, p);
  }
}

/** A socket file left by a host that died is removed; one a live host listens on is an error. */
async function removeStaleSocket(path: string): Promise<void> {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (!st.isSocket()) throw new AddressError(`${path}: exists and is not a socket`);
  const live = await new Promise<boolean>((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
  if (live) throw new AddressError(`${path}: another host is sharing there (give --share another path)`);
  unlinkSync(path);
}
