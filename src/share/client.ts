/**
 * A viewer's end of the share protocol: a read-only link to a shared host. It has the shape of the
 * session's HostLink (snapshot, subscribe, send, readOnly, close), so the dashboard and the wall take
 * it where they take a local host; every command is refused with "read-only: attached to HOST". What
 * the host sends is checked message by message; anything that is not the protocol closes the link.
 */
import { connect as netConnect, type Socket } from 'node:net';
import type { CommandResult } from '../engine/commands.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import type { HistoryData } from '../render/history.ts';
import type { HostLink } from '../session/link.ts';
import { formatAddress, type ShareAddress } from './address.ts';
import { LineReader } from './ndjson.ts';
import {
  decode,
  encode,
  type HostMessage,
  hostMessageSchema,
  MAX_HOST_LINE,
  PROTOCOL_VERSION,
} from './protocol.ts';

export class AttachError extends Error {
  override name = 'AttachError';
}

export interface AttachOptions {
  readonly viewer: 'attach' | 'wall';
  /** Required by a host shared over TCP. */
  readonly token?: string;
  /** How long to wait for the host's hello and first snapshot. */
  readonly timeoutMs?: number;
}

export class RemoteLink implements HostLink {
  private current: HostSnapshot;
  private readonly listeners = new Set<(s: HostSnapshot) => void>();
  private endReason: ((reason: string) => void) | null = null;
  /** Why the link ended, once it has. */
  reason: string | null = null;
  /** Resolves with why the link ended: the host quit, the connection was lost, or garbage arrived. */
  readonly ended: Promise<string>;
  readonly readOnly: string;

  constructor(
    private readonly socket: Socket,
    readonly hostName: string,
    first: HostSnapshot,
    /** The host's chart samples from before this viewer attached. */
    readonly history: HistoryData | undefined,
  ) {
    this.current = first;
    this.readOnly = `attached to ${hostName}`;
    this.ended = new Promise((resolve) => {
      this.endReason = resolve;
    });
  }

  get snapshot(): HostSnapshot {
    return this.current;
  }

  subscribe(fn: (s: HostSnapshot) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Every command is refused: a viewer only looks. Nothing is sent to the host. */
  async send(_text: string): Promise<CommandResult> {
    return { ok: false, error: `read-only: ${this.readOnly}` };
  }

  async close(): Promise<void> {
    this.end('closed by the viewer');
    this.socket.destroy();
  }

  /** A message from the host, already checked. */
  receive(m: HostMessage): void {
    if (m.type === 'snapshot') {
      this.current = m.snapshot;
      for (const fn of this.listeners) fn(m.snapshot);
    } else if (m.type === 'bye') this.end(`the host ${this.hostName} quit${m.reason ? `: ${m.reason}` : ''}`);
    else if (m.type === 'refused') this.end(`the host ${this.hostName} closed the connection: ${m.reason}`);
    else this.end(`the host ${this.hostName} sent a second ${m.type}`);
  }

  end(reason: string): void {
    const r = this.endReason;
    this.endReason = null;
    this.reason ??= reason;
    r?.(reason);
  }
}

/** Connects to a shared host; resolves once its hello and first snapshot have arrived. */
export function attach(address: ShareAddress, options: AttachOptions): Promise<RemoteLink> {
  const where = formatAddress(address);
  return new Promise((resolve, reject) => {
    const socket =
      address.kind === 'unix' ? netConnect(address.path) : netConnect(address.port, address.host);
    let hostName: string | null = null;
    let history: HistoryData | undefined;
    let link: RemoteLink | null = null;
    const fail = (why: string): void => {
      socket.destroy();
      if (link) link.end(why);
      else reject(new AttachError(why));
    };
    const timer = setTimeout(
      () => fail(`${where}: no answer within ${(options.timeoutMs ?? 10_000) / 1000} s`),
      options.timeoutMs ?? 10_000,
    );
    const reader = new LineReader(
      MAX_HOST_LINE,
      (line) => {
        const d = decode(line, hostMessageSchema);
        if (!d.ok) return fail(`${where}: the host ${d.error}`);
        const m = d.message;
        if (link) return link.receive(m);
        if (m.type === 'refused') return fail(`${where}: ${m.reason}`);
        if (m.type === 'bye') return fail(`${where}: the host quit${m.reason ? `: ${m.reason}` : ''}`);
        if (hostName === null) {
          if (m.type !== 'hello') return fail(`${where}: the host did not say hello first`);
          hostName = m.host;
          return;
        }
        if (m.type === 'history' && history === undefined) {
          history = m.history;
          return;
        }
        if (m.type !== 'snapshot') return fail(`${where}: the host sent a second ${m.type}`);
        clearTimeout(timer);
        link = new RemoteLink(socket, hostName, m.snapshot, history);
        resolve(link);
      },
      () => fail(`${where}: the host sent a line over ${MAX_HOST_LINE} bytes`),
    );
    socket.on('connect', () => {
      socket.write(
        encode({
          v: PROTOCOL_VERSION,
          type: 'hello',
          viewer: options.viewer,
          ...(options.token === undefined ? {} : { token: options.token }),
        }),
      );
    });
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      const why =
        e.code === 'ENOENT' || e.code === 'ECONNREFUSED'
          ? `${where}: no host is sharing there`
          : e.code === 'EACCES'
            ? `${where}: not allowed (the socket belongs to another user)`
            : `${where}: ${e.code ?? e.message}`;
      clearTimeout(timer);
      fail(why);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reader.stop();
      fail(`${where}: the connection to the host was lost`);
    });
  });
}
