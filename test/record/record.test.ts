/**
 * `memvisor record`: the same script gives the same bytes (in process, and from the CLI with CI set and
 * not set), the recording is asciicast v2 to the letter (the strict reader; `.ci/run` plays it with
 * asciinema too), and played into a terminal emulator it shows the dashboard the script drove.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordScript } from '../../src/cli/record.ts';
import { readCast } from '../../src/output/asciicast-read.ts';
import { PresetError } from '../../src/scenario/problems.ts';
import { loadScript, parseScript } from '../../src/scenario/script.ts';
import { screenOf } from '../terminal.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const SHORT = join(HERE, 'fixtures/short.yaml');
const TMP = mkdtempSync(join(tmpdir(), 'memvisor-record-'));

/** Plays the output events up to `until` seconds (all by default) into a headless xterm; its rows. */
async function play(cast: string, until = Number.POSITIVE_INFINITY): Promise<string[]> {
  const { header, events } = readCast(cast);
  const rows = header.height as number;
  const data = events.filter(([t]) => t <= until).map(([, , d]) => d);
  return screenOf(header.width as number, rows, data.join(''));
}

/** The CLI, `memvisor record SCRIPT -o FILE`, with the environment given; the file's text. */
function cli(script: string, env: NodeJS.ProcessEnv, name: string): string {
  const out = join(TMP, name);
  execFileSync(process.execPath, [join(ROOT, 'bin/memvisor.js'), 'record', script, '-o', out], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return readFileSync(out, 'utf8');
}

/** The environment without any variable that tells a CI (is-in-ci also reads CONTINUOUS_INTEGRATION, CI_*). */
function withoutCi(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete env[k];
  return env;
}

describe('memvisor record', () => {
  let cast = '';
  beforeAll(async () => {
    cast = await recordScript(loadScript(SHORT));
  });

  it('gives the same bytes for the same script, recorded again', async () => {
    expect(await recordScript(loadScript(SHORT))).toBe(cast);
  });

  it('gives the same bytes from the CLI whether CI is set or not (frames never go through Ink output)', () => {
    const inCi = cli(SHORT, { ...withoutCi(), CI: 'true' }, 'ci.cast');
    const notInCi = cli(SHORT, { ...withoutCi(), CI: 'false' }, 'no-ci.cast');
    expect(inCi).toBe(notInCi);
    expect(inCi).toBe(cast);
  });

  it('writes a valid asciicast v2 file: a header and output events in time order', () => {
    const { header, events } = readCast(cast);
    expect(header).toEqual({
      version: 2,
      width: 100,
      height: 30,
      title: 'A short recording: captions, keys, a typed command and a hold',
      env: { SHELL: '/bin/sh', TERM: 'xterm-256color' },
    });
    expect(events.every(([, kind]) => kind === 'o')).toBe(true);
    const times = events.map(([t]) => t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
    // 40 simulated seconds at 5x, a 2s hold and 23 keystrokes 50ms apart.
    expect(times.at(-1)).toBe(11.15);
    // A frame a recorded second and one at each keystroke; output at the same moment is one event.
    expect(events.length).toBeGreaterThan(20);
  });

  it('shows, played into a terminal, the screens the script drove', async () => {
    const start = await play(cast, 0);
    expect(start[0]).toMatch(
      /^ memvisor {2}t=0:00:00 {2}speed 5x {2}seed 11 {2}esx {2}running .* delay 1s {2}ui -% cpu -MB rss $/,
    );
    expect(start[2]).toContain('PMEM  /MB:    256   total:');
    expect(start[29]).toBe(' Two guests on a small host ');

    // keys x at 10s = 2s recorded: xentop, with its key line on the frame's last row.
    const xen = await play(cast, 2);
    expect(xen[1]).toBe('xentop - 00:00:10   memvisor esx');
    expect(xen[4]).toMatch(/^ {6}NAME {2}STATE {3}CPU\(sec\) CPU\(%\)/);
    expect(xen[28]).toContain('Delay  Networks  vBds  Tmem  VCPUs  Repeat header  Sort order  Quit');

    // The command line, typed a key at a time (the cursor is the reverse-video cell after the text), then
    // run with Enter. Keys are 50ms apart from 4.1s (0.1s of typing held the clock before): the 13th
    // character at 4.7s, Enter at 4.85s.
    const typing = await play(cast, 4.72);
    expect(typing[28]).toBe(':limit vm1 64 ');
    const done = await play(cast, 4.87);
    expect(done[28]).toBe('vm1 limit 64MB');

    // After the 2s hold, Down Down Enter (7.9s to 8s): the second guest's detail; Esc (9.05s): the table.
    const detail = await play(cast, 8.5);
    expect(detail[1]).toMatch(/^vm2 {2}GID 2 {2}running/);

    // Ctrl-L at 35s (10.1s recorded) clears the terminal and draws everything again.
    const repaint = readCast(cast).events.find(([t]) => t === 10.1);
    expect(repaint?.[2]).toContain('\x1b[H\x1b[2J');
    const end = await play(cast);
    expect(end[0]).toContain('t=0:00:40');
    expect(end[9]).toMatch(/^ {3}GID NAME +MEMSZ +GRANT/);
    expect(end[11]).toMatch(/^ {5}1 vm1 +96\.00 +6\d\.\d\d/);
    expect(end[29]).toBe(' The end ');
  });

  it('stops where the dashboard quits, saying which steps were left out', async () => {
    const warnings: string[] = [];
    const script = parseScript(
      [
        '# quits',
        'preset: small.yaml',
        'duration: 30s',
        'steps:',
        '  - at 2s: keys q',
        '  - at 5s: keys x',
        '',
      ].join('\n'),
      join(HERE, 'fixtures/quit.yaml'),
    );
    const text = await recordScript(script, { warn: (m) => warnings.push(m) });
    expect(readCast(text).events.at(-1)?.[0]).toBe(2);
    expect(warnings).toEqual([
      `${join(HERE, 'fixtures/quit.yaml')}:5: keys q: the dashboard quit; the 1 step(s) after it were not recorded`,
    ]);
  });

  it('refuses keys that would stop the clock the script drives, naming the step', async () => {
    const script = parseScript(
      ['# pauses', 'preset: small.yaml', 'duration: 30s', 'steps:', '  - at 2s: keys p', ''].join('\n'),
      join(HERE, 'fixtures/pause.yaml'),
    );
    const error = await recordScript(script).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PresetError);
    expect((error as PresetError).message).toBe(
      `${join(HERE, 'fixtures/pause.yaml')}:5:5: steps[0]: p paused the simulated clock; ` +
        "a recording's clock follows its script (hold 3s holds the picture)",
    );
  });

  it("keeps its own clock when the preset's timeline has clock commands, and says it skipped them", async () => {
    const script = parseScript(
      [
        '# the preset drives a clock',
        'preset: clock.yaml',
        'duration: 8s',
        'terminal: { cols: 100, rows: 30 }',
        'steps:',
        '  - at 5s: keys x',
        '  - at 6s: keys l',
        '',
      ].join('\n'),
      join(HERE, 'fixtures/clocked.yaml'),
    );
    const end = await play(await recordScript(script));
    expect(end[0]).toMatch(/t=0:00:08 {2}speed 1x {2}seed 11 {2}esx {2}running/);
    expect(end.join('\n')).toContain("pause: skipped: a recording's clock follows its script");
  });

  it('warns about a refused command and goes on', async () => {
    const warnings: string[] = [];
    const script = parseScript(
      [
        '# refused',
        'preset: small.yaml',
        'duration: 4s',
        'steps:',
        '  - at 1s: reservation vm1 200MB',
        '',
      ].join('\n'),
      join(HERE, 'fixtures/refused.yaml'),
    );
    await recordScript(script, { warn: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/refused\.yaml:5: reservation vm1 200MB: reservation: /);
  });
});
