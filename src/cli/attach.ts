/**
 * The viewer's side: `memvisor wall --attach ADDRESS` (and `memvisor attach ADDRESS`). Over TCP the
 * token comes from --token-file, MEMVISOR_SHARE_TOKEN, or is asked for on the terminal without echo.
 */

import { formatAddress, readTokenFile, type ShareAddress } from '../share/address.ts';
import { AttachError, attach, type RemoteLink } from '../share/client.ts';
import { runDashboard } from '../ui/run.tsx';
import { runWall } from '../wall/run.ts';
import { addressArg } from './share.ts';
import { UsageError } from './usage-error.ts';

export interface AttachCommandOptions {
  readonly tokenFile?: string;
}

/** Reads a line from the terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    process.stderr.write(prompt);
    let text = '';
    stdin.setRawMode(true);
    stdin.resume();
    const done = (): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
    };
    const onData = (d: Buffer): void => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(text);
          return;
        }
        if (ch === '\x03' || ch === '\x04') {
          done();
          reject(new UsageError('attach: no token given'));
          return;
        }
        if (ch === '\x7f' || ch === '\b') text = text.slice(0, -1);
        else if (ch >= ' ') text += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function tokenFor(address: ShareAddress, opts: AttachCommandOptions): Promise<string | undefined> {
  if (address.kind === 'unix') return undefined;
  if (opts.tokenFile) {
    try {
      return readTokenFile(opts.tokenFile);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const env = process.env.MEMVISOR_SHARE_TOKEN;
  if (env) return env;
  if (process.stdin.isTTY) return askHidden(`token for ${formatAddress(address)}: `);
  throw new UsageError(
    `attach: ${formatAddress(address)} needs the host's token: --token-file FILE or MEMVISOR_SHARE_TOKEN`,
  );
}

/** Attaches to a shared host as `viewer`; a host that is not there or refuses is a usage error. */
export async function openRemote(
  text: string,
  viewer: 'attach' | 'wall',
  opts: AttachCommandOptions,
): Promise<RemoteLink> {
  const address = addressArg(viewer === 'wall' ? '--attach' : 'attach', text);
  const token = await tokenFor(address, opts);
  try {
    return await attach(address, { viewer, ...(token === undefined ? {} : { token }) });
  } catch (e) {
    if (e instanceof AttachError) throw new UsageError(`attach: ${e.message}`);
    throw e;
  }
}

/** `memvisor attach ADDRESS`: the dashboard on a shared host, read-only, until q or until the host quits. */
export async function attachCommand(
  text: string,
  opts: AttachCommandOptions & { theme: string; color: boolean; screen?: 'esxtop' | 'xentop' },
): Promise<void> {
  const link = await openRemote(text, 'attach', opts);
  let why: string | null = null;
  try {
    await runDashboard(link, {
      theme: opts.theme,
      color: opts.color,
      screen: opts.screen ?? link.snapshot.screen,
      ended: link.ended,
    });
    why = link.reason;
  } finally {
    await link.close();
  }
  if (why) process.stderr.write(`memvisor: ${why}\n`);
}

/** `memvisor wall --attach ADDRESS`: the wall on a shared host, until q or until the host quits. */
export async function wallAttachCommand(
  text: string,
  opts: AttachCommandOptions & { theme: string; color: boolean },
): Promise<void> {
  const link = await openRemote(text, 'wall', opts);
  let ended: string | null = null;
  try {
    ended = await runWall(link, { theme: opts.theme, color: opts.color, ended: link.ended });
  } finally {
    await link.close();
  }
  if (ended) process.stderr.write(`memvisor: ${ended}\n`);
}
