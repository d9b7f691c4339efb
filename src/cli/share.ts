/**
 * `--share [ADDRESS]` on the dashboard, and the token a viewer brings to a host shared over TCP. The
 * address (and over TCP a token made for this run, printed once) goes to standard error before the
 * dashboard takes the screen; what viewers do is logged one line each.
 */
import { hostname } from 'node:os';
import { basename, extname } from 'node:path';
import {
  AddressError,
  defaultAddress,
  formatAddress,
  newToken,
  parseAddress,
  readTokenFile,
  type ShareAddress,
} from '../share/address.ts';
import { Publisher, type SnapshotSource } from '../share/publisher.ts';
import { UsageError } from './usage-error.ts';

export interface ShareOptions {
  /** true: the default address (a socket in the runtime directory). */
  readonly share?: string | true;
  readonly tokenFile?: string;
}

/** The address an option names, as a usage error naming the option when it is not one. */
export function addressArg(option: string, text: string | true): ShareAddress {
  try {
    return text === true ? defaultAddress() : parseAddress(text);
  } catch (e) {
    if (e instanceof AddressError) throw new UsageError(`${option}: ${e.message}`);
    throw e;
  }
}

function tokenFrom(file: string): string {
  try {
    return readTokenFile(file);
  } catch (e) {
    if (e instanceof AddressError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * What viewers did, one line each: into the dashboard's event log as it happens, and on standard
 * error once the dashboard has given the terminal back.
 */
export class ShareLog {
  private readonly lines: string[] = [];
  private note: ((kind: 'command' | 'warning', text: string) => void) | null = null;

  readonly log = (line: string): void => {
    this.lines.push(line);
    this.note?.(line.includes(' closed: ') ? 'warning' : 'command', `share: ${line}`);
  };

  readonly notes = (note: (kind: 'command' | 'warning', text: string) => void): void => {
    this.note = note;
  };

  print(): void {
    for (const l of this.lines) process.stderr.write(`memvisor: share: ${l}\n`);
  }
}

/** The name viewers see: the preset's and this machine's. */
export const hostNameOf = (presetFile: string): string =>
  `${basename(presetFile, extname(presetFile))}@${hostname()}`;

/**
 * Starts publishing `source` as `--share` asks; null when it does not. `log` receives one line per
 * viewer event.
 */
export async function startSharing(
  source: SnapshotSource,
  presetFile: string,
  opts: ShareOptions,
  log: (line: string) => void,
): Promise<Publisher | null> {
  if (opts.share === undefined) {
    if (opts.tokenFile) throw new UsageError('--token-file: only with --share tcp://HOST:PORT');
    return null;
  }
  const address = addressArg('--share', opts.share);
  if (address.kind === 'unix' && opts.tokenFile)
    throw new UsageError('--token-file: a Unix socket needs no token (its mode keeps other users out)');
  const made = address.kind === 'tcp' && !opts.tokenFile;
  const token = address.kind === 'tcp' ? (opts.tokenFile ? tokenFrom(opts.tokenFile) : newToken()) : null;
  let publisher: Publisher;
  try {
    publisher = await Publisher.start(source, { address, token, hostName: hostNameOf(presetFile), log });
  } catch (e) {
    if (e instanceof AddressError) throw new UsageError(`--share: ${e.message}`);
    throw e;
  }
  const where = formatAddress(publisher.address);
  const how = address.kind === 'tcp' ? ' --token-file FILE' : '';
  process.stderr.write(
    `memvisor: sharing on ${where} (viewers: memvisor attach ${where}${how}, or memvisor wall --attach ${where}${how})\n`,
  );
  if (made) process.stderr.write(`memvisor: the viewers' token, shown this once: ${token}\n`);
  return publisher;
}
