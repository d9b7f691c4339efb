/**
 * --share as the instructor meets it: the dashboard takes the screen as soon as sharing starts, so
 * where the host is shared is in its event log, and a token made for the run is kept in a file only
 * its user can read (the one print of it is hidden at once), removed when sharing ends.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ShareLog, startSharing } from '../../src/cli/share.ts';
import { snapshot } from '../ui/fixtures.ts';

const runtime = mkdtempSync(join(tmpdir(), 'memvisor-sharing-'));
const before = process.env.XDG_RUNTIME_DIR;
beforeAll(() => {
  process.env.XDG_RUNTIME_DIR = runtime;
});
afterAll(() => {
  if (before === undefined) delete process.env.XDG_RUNTIME_DIR;
  else process.env.XDG_RUNTIME_DIR = before;
});

const source = { snapshot: snapshot(), subscribe: () => () => {} };

describe('--share', () => {
  it('puts where the host is shared into the event log, also when the log is taken after sharing starts', async () => {
    const log = new ShareLog();
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const sock = join(runtime, 'x.sock');
    const sharing = await startSharing(source, 'lab.yaml', { share: sock }, log);
    err.mockRestore();
    const noted: string[] = [];
    log.notes((_kind, text) => noted.push(text));
    await sharing?.close();
    expect(noted[0]).toMatch(new RegExp(`^share: sharing on ${sock} \\(viewers: memvisor attach ${sock}`));
    expect(sharing?.tokenFile).toBeNull();
  });

  it('keeps a token made for a TCP share in a file of mode 0600 named in the log, gone when sharing ends', async () => {
    const log = new ShareLog();
    const noted: string[] = [];
    log.notes((_kind, text) => noted.push(text));
    const printed: string[] = [];
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      printed.push(String(s));
      return true;
    });
    const sharing = await startSharing(source, 'lab.yaml', { share: 'tcp://127.0.0.1:0' }, log);
    err.mockRestore();
    const file = sharing?.tokenFile ?? '';
    const token = printed.join('').match(/token, shown this once: (\S+)/)?.[1];
    expect(token).toBeDefined();
    expect(readFileSync(file, 'utf8')).toBe(`${token}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(noted.some((n) => n.includes(`the token is in ${file}`))).toBe(true);
    expect(noted.join('\n')).not.toContain(token);
    await sharing?.close();
    expect(() => statSync(file)).toThrow();
  });
});
