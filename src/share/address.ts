/**
 * Where a shared host listens, and the token that guards TCP. By default a Unix-domain socket in the
 * user's runtime directory (readable by its owner only); `tcp://HOST:PORT` opens the host to other
 * machines and then always requires a token.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';

export type ShareAddress =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

export class AddressError extends Error {
  override name = 'AddressError';
}

const TCP = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** `tcp://HOST:PORT`, `unix:PATH` or a socket path. */
export function parseAddress(text: string): ShareAddress {
  const t = text.trim();
  const m = TCP.exec(t);
  if (m) {
    const port = Number(m[2]);
    if (port > 65535) throw new AddressError(`"${text}": port ${port} is over 65535`);
    return { kind: 'tcp', host: m[1].replace(/^\[|\]$/g, ''), port };
  }
  if (t.startsWith('tcp:')) throw new AddressError(`"${text}" is not tcp://HOST:PORT`);
  const path = t.startsWith('unix:') ? t.slice(5) : t;
  if (path === '' || /^[a-z]+:\/\//i.test(path))
    throw new AddressError(`"${text}" is not an address: a socket path, or tcp://HOST:PORT`);
  return { kind: 'unix', path: resolve(path) };
}

export const formatAddress = (a: ShareAddress): string =>
  a.kind === 'unix' ? a.path : `tcp://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;

/**
 * The user's runtime directory for memvisor's sockets: $XDG_RUNTIME_DIR/memvisor, or a directory of
 * the user's own under the temp directory. Made mode 0700; one that exists must be the user's and
 * closed to others, or nothing is shared through it.
 */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_RUNTIME_DIR || join(tmpdir(), `memvisor-${userInfo().uid}`);
  const dir = env.XDG_RUNTIME_DIR ? join(base, 'memvisor') : base;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const uid = userInfo().uid;
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0)
    throw new AddressError(
      `${dir}: not a directory of yours closed to others (mode ${(st.mode & 0o777).toString(8)}): give --share a path`,
    );
  return dir;
}

/** The default address: share.sock in the runtime directory. */
export const defaultAddress = (env: NodeJS.ProcessEnv = process.env): ShareAddress => ({
  kind: 'unix',
  path: join(runtimeDir(env), 'share.sock'),
});

/** A new token: 144 random bits, URL-safe. */
export const newToken = (): string => randomBytes(18).toString('base64url');

/** A token from a file (its first line, trimmed); at least 16 characters. */
export function readTokenFile(path: string): string {
  let text: string;
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file (ENOENT)'
        : code === 'EACCES'
          ? 'permission denied (EACCES)'
          : (code ?? (e as Error).message);
    throw new AddressError(`--token-file ${path}: cannot read: ${why}`);
  }
  const token = (text.split('\n')[0] ?? '').trim();
  if (token.length < 16)
    throw new AddressError(`--token-file ${path}: the token (first line) must be at least 16 characters`);
  if (token.length > 256) throw new AddressError(`--token-file ${path}: the token is over 256 characters`);
  return token;
}

/** Compares two tokens in time that does not depend on where they differ. */
export function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
