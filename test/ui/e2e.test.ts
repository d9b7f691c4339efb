/**
 * The real CLI in a pseudo-terminal (node-pty), its output fed to a headless xterm: add a guest, set a
 * limit, start a workload, switch to xentop and back, quit; the screen is read after each step. Only
 * generous polling for expected text, no fixed sleeps, so a slow machine makes it slower, not flaky.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import xterm from '@xterm/headless';
import * as pty from 'node-pty';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const COLS = 120;
const ROWS = 32;

/** The real command line: `memvisor PRESET`. */
const command = (preset: string): string[] => [join(ROOT, 'bin/memvisor.js'), preset];

describe('memvisor in a terminal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memvisor-e2e-'));
  const preset = join(dir, 'e2e.yaml');
  writeFileSync(
    preset,
    [
      '# e2e: one small guest',
      'seed: 3',
      'personality: esx',
      'host:',
      '  memory: 512MB',
      'guests:',
      '  - name: vm1',
      '    memsz: 128MB',
      '',
    ].join('\n'),
  );
  const term = new xterm.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
  let output = '';
  let exitCode: number | undefined;
  const child = pty.spawn(process.execPath, command(preset), {
    name: 'xterm-256color',
    cols: COLS,
    rows: ROWS,
    cwd: ROOT,
    env: {
      ...process.env,
      CI: 'false',
      NODE_ENV: 'production',
      XDG_CONFIG_HOME: join(dir, 'config'),
      TERM: 'xterm-256color',
    },
  });
  child.onData((d) => {
    output += d;
    term.write(d);
  });
  child.onExit((e) => {
    exitCode = e.exitCode;
  });
  afterAll(() => {
    if (exitCode === undefined) child.kill();
  });

  const screen = (): string => {
    const lines: string[] = [];
    const buf = term.buffer.active;
    for (let y = 0; y < ROWS; y++) lines.push(buf.getLine(y)?.translateToString(true) ?? '');
    return lines.join('\n');
  };
  async function waitFor(test: (s: string) => boolean, what: string, ms = 20_000): Promise<string> {
    const end = Date.now() + ms;
    for (;;) {
      const s = screen();
      if (test(s)) return s;
      if (Date.now() > end || exitCode !== undefined)
        throw new Error(`waited for ${what}; the screen shows:\n${s}\n(exit ${exitCode})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const send = (keys: string): void => child.write(keys);

  it('starts on the esxtop screen in the alternate screen', async () => {
    const s = await waitFor((x) => x.includes('PMEM  /MB:') && / 1 vm1 /.test(x), 'the esxtop screen');
    expect(s).toMatch(/memvisor {2}t=\d+:\d\d:\d\d {2}speed 1x {2}seed 3 {2}esx/);
    expect(output).toContain('\x1b[?1049h');
    // The frame is one line short of the terminal: the last row stays empty.
    expect(s.split('\n')[ROWS - 1].trim()).toBe('');
  });

  it('adds a guest with the form', async () => {
    send('a');
    await waitFor((x) => x.includes('Add a guest') && x.includes('> Name'), 'the add form');
    send('\r');
    const s = await waitFor((x) => / 2 vm2 +128\.00/.test(x), 'vm2 in the table');
    expect(s).toContain('add vm2 memsz=128MB');
  });

  it('sets a limit with a : command, and refuses a wrong one inline', async () => {
    send(':limit vm2 6');
    await waitFor((x) => x.includes(':limit vm2 6'), 'the typed command');
    send('4MB\r');
    await waitFor((x) => x.includes('vm2 limit 64MB'), 'the limit confirmed');
    send(':limit vm2 lots\r');
    await waitFor((x) => x.includes('"lots" is not a size'), 'the refusal');
    send('\x1b');
    await waitFor((x) => !x.includes(':limit vm2 lots'), 'the command line closed');
  });

  it('starts a workload, seen in the guest detail', async () => {
    send(':start vm2 memhog size=32MB\r');
    await waitFor((x) => x.includes('vm2 started memhog'), 'the workload started');
    send('\x1b[B');
    send('\r');
    const s = await waitFor(
      (x) => x.includes('Inside the guest') && /memhog +memhog +running/.test(x),
      'the detail of vm2',
    );
    expect(s).toMatch(/vm2 +GID 2/);
    send('\x1b');
    await waitFor((x) => x.includes('PMEM  /MB:'), 'back on esxtop');
  });

  it('switches to the xentop screen and back', async () => {
    send('x');
    const s = await waitFor((x) => x.includes('xentop - ') && /vm2 -----r/.test(x), 'the xentop screen');
    expect(s).toContain('2 domains: 2 running');
    expect(s).toMatch(/ +vm1 -----r +\d+ +[\d.]+ +\d+ +[\d.]+ +no limit +n\/a +1/);
    expect(s).toMatch(/ +vm2 -----r +\d+ +[\d.]+ +\d+ +[\d.]+ +65536 +12\.5 +1/);
    expect(s).toContain('Delay  Networks  vBds  Tmem  VCPUs  Repeat header  Sort order  Quit');
    send('m');
    await waitFor((x) => x.includes('PMEM  /MB:') && / 2 vm2 /.test(x), 'esxtop again');
  });

  it('quits with q and restores the terminal', async () => {
    send('q');
    const end = Date.now() + 20_000;
    while (exitCode === undefined && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(exitCode).toBe(0);
    expect(output).toContain('\x1b[?1049l');
  });
});

describe('memvisor and Ctrl-C', () => {
  it('leaves the alternate screen and exits cleanly on Ctrl-C', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memvisor-e2e-'));
    const preset = join(dir, 'c.yaml');
    writeFileSync(preset, ['# ctrl-c', 'host:', '  memory: 256MB', 'guests: []', ''].join('\n'));
    let output = '';
    let exitCode: number | undefined;
    const child = pty.spawn(process.execPath, command(preset), {
      name: 'xterm-256color',
      cols: 80,
      rows: 24,
      cwd: ROOT,
      env: { ...process.env, CI: 'false', XDG_CONFIG_HOME: join(dir, 'config') },
    });
    child.onData((d) => {
      output += d;
    });
    child.onExit((e) => {
      exitCode = e.exitCode;
    });
    const end = Date.now() + 20_000;
    while (!output.includes('PMEM') && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('PMEM');
    child.write('\x03');
    while (exitCode === undefined && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    if (exitCode === undefined) child.kill();
    expect(exitCode).toBe(0);
    expect(output.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(output.lastIndexOf('PMEM'));
  });
});
