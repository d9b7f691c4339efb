/**
 * The real CLI in a pseudo-terminal (node-pty), its output fed to a headless xterm: add a guest, set a
 * limit, start a workload, switch to xentop and back, quit; the screen is read after each step. Only
 * generous polling for expected text, no fixed sleeps, so a slow machine makes it slower, not flaky.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../terminal.ts';

const ROWS = 32;

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
  const cli = startCli([preset], { cols: 120, rows: ROWS }, { XDG_CONFIG_HOME: join(dir, 'config') });
  afterAll(() => {
    if (cli.exit === undefined) cli.child.kill();
  });
  const { send } = cli;
  const waitFor = (test: (s: string) => boolean, what: string): Promise<string> =>
    cli.waitFor(test, what, 20_000);

  it('answers a key typed while it loads once it can, without the terminal echoing it onto the first frame', async () => {
    // The first frame is drawn before Ink is loaded.
    await waitFor((x) => x.includes('PMEM  /MB:'), 'the first frame');
    const before = cli.output.length;
    send('x');
    await waitFor((x) => x.includes('xentop - ') && x.includes('Delay  Networks'), 'the xentop screen');
    // An echo is the bare letter right after the frame, before anything else is drawn.
    expect(cli.output.slice(before, before + 1)).not.toBe('x');
    send('m');
  });

  it('starts on the esxtop screen in the alternate screen', async () => {
    const s = await waitFor((x) => x.includes('PMEM  /MB:') && / 1 vm1 /.test(x), 'the esxtop screen');
    expect(s).toMatch(/memvisor {2}t=\d+:\d\d:\d\d {2}speed 1x {2}seed 3 {2}esx/);
    expect(cli.output).toContain('\x1b[?1049h');
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
    expect(await cli.waitExit()).toBe(0);
    expect(cli.output).toContain('\x1b[?1049l');
  });
});

describe('memvisor and Ctrl-C', () => {
  it('leaves the alternate screen and exits cleanly on Ctrl-C', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memvisor-e2e-'));
    const preset = join(dir, 'c.yaml');
    writeFileSync(preset, ['# ctrl-c', 'host:', '  memory: 256MB', 'guests: []', ''].join('\n'));
    const cli = startCli([preset], { cols: 80, rows: 24 }, { XDG_CONFIG_HOME: join(dir, 'config') });
    await cli.waitFor((x) => x.includes('PMEM'), 'the dashboard', 20_000);
    cli.send('\x03');
    const exitCode = await cli.waitExit();
    if (exitCode === undefined) cli.child.kill();
    expect(exitCode).toBe(0);
    const { output } = cli;
    expect(output.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(output.lastIndexOf('PMEM'));
  });
});
