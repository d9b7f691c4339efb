/**
 * `--share [ADDRESS]` on the dashboard, and the token a viewer brings to a host shared over TCP. The
 * address (and over TCP a token made for this run, printed once) goes to standard error before the
 * dashboard takes the screen, which hides it at once: so the dashboard's event log says where the host
 * is shared, and a token made for the run is also kept in a file only its user can read, for as long
 * as the run lasts. What viewers do is logged one line each.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, extname, join } from 'node:path';
import {
  AddressError,
  defaultAddress,
  formatAddress,
  newToken,
  parseAddress,
  readTokenFile,
  runtimeDir,
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

type Note = (kind: 'command' | 'warning', text: string) => void;

/**
 * What viewers did, one line each: into the dashboard's event log as it happens, and on standard
 * error once the dashboard has given the terminal back. Where the host is shared goes to the event
 * log only (standard error had it before the dashboard started). Lines that come before the dashboard
 * takes its notes wait for it.
 */
export class ShareLog {
  private readonly lines: string[] = [];
  private readonly early: Parameters<Note>[] = [];
  private note: Note | null = null;

  readonly log = (line: string): void => {
    this.lines.push(line);
    this.send(line.includes(' closed: ') ? 'warning' : 'command', `share: ${line}`);
  };

  /** For the event log only: where the host is shared. */
  readonly started = (line: string): void => this.send('command', `share: ${line}`);

  readonly notes = (note: Note): void => {
    this.note = note;
    for (const [kind, text] of this.early.splice(0)) note(kind, text);
  };

  private send(kind: 'command' | 'warning', text: string): void {
    if (this.note) this.note(kind, text);
    else this.early.push([kind, text]);
  }

  print(): void {
    for (const l of this.lines) process.stderr.write(`memvisor: share: ${l}\n`);
  }
}

/** The name viewers see: the preset's and this machine's. */
export const hostNameOf = (presetFile: string): string =>
  `${basename(presetFile, extname(presetFile))}@${hostname()}`;

/** A host being shared: close() stops publishing and removes the token file a made token was kept in. */
export interface Sharing {
  readonly publisher: Publisher;
  /** Where a token made for this run is kept (mode 0600); null when none was made. */
  readonly tokenFile: string | null;
  close(): Promise<void>;
}

/**
 * Starts publishing `source` as `--share` asks; null when it does not. `log` receives a line per
 * viewer event, and the line that says where the host is shared.
 */
export async function startSharing(
  source: SnapshotSource,
  presetFile: string,
  opts: ShareOptions,
  log: ShareLog,
): Promise<Sharing | null> {
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
    publisher = await Publisher.start(source, {
      address,
      token,
      hostName: hostNameOf(presetFile),
      log: log.log,
    });
  } catch (e) {
    if (e instanceof AddressError) throw new UsageError(`--share: ${e.message}`);
    throw e;
  }
  const where = formatAddress(publisher.address);
  const how = address.kind === 'tcp' ? ' --token-file FILE' : '';
  const viewers = `viewers: memvisor attach ${where}${how}, or memvisor wall --attach ${where}${how}`;
  process.stderr.write(`memvisor: sharing on ${where} (${viewers})\n`);
  let tokenFile: string | null = null;
  if (made && token !== null && publisher.address.kind === 'tcp') {
    process.stderr.write(`memvisor: the viewers' token, shown this once: ${token}\n`);
    try {
      tokenFile = keepToken(token, publisher.address.port);
    } catch (e) {
      await publisher.close();
      throw new UsageError(`--share: cannot keep the token: ${(e as Error).message}`);
    }
  }
  const kept = tokenFile ? `; the token is in ${tokenFile} (yours only, until the dashboard quits)` : '';
  log.started(`sharing on ${where} (${viewers})${kept}`);
  const opened = publisher;
  return {
    publisher: opened,
    tokenFile,
    close: async () => {
      await opened.close();
      if (tokenFile) rmSync(tokenFile, { force: true });
    },
  };
}

/** Writes a token made for the run into the runtime directory, readable by its user only. */
function keepToken(token: string, port: number): string {
  const file = join(runtimeDir(), `share-${port}.token`);
  // A file left by a run that crashed is replaced, never reused with the mode it had.
  rmSync(file, { force: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return file;
}
