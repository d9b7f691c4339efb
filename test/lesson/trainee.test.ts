/**
 * A trainee at a terminal: `memvisor lesson FILE` in a pseudo-terminal (node-pty), its output fed to a
 * headless xterm, driven step by step with the keys a person presses: read, open a screen, answer a
 * question (wrongly), ask for a hint, type a command, watch, reach the end, quit; then the summary line
 * and the progress file. Polling for expected text, no fixed sleeps.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../terminal.ts';

const COLS = 80;
const ROWS = 24;

const LESSON = [
  '# A lesson for the terminal test',
  'lesson: At the terminal',
  'minutes: 5',
  'speed: 10',
  'preset:',
  '  seed: 4',
  '  host: { memory: 256MB }',
  '  guests:',
  '    - { name: vm1, memsz: 96MB, workloads: [{ type: boot }] }',
  'steps:',
  '  - explain: This is esxtop. Press `Tab` when you have read this.',
  '    pause: true',
  '  - task: Open the host pane with `g`.',
  '    check: view.screen == "host"',
  '    solution: [keys g]',
  '    debrief: The gauge shows {host.state} memory.',
  '  - question: Which state is the host in?',
  '    choices: [soft, high]',
  '    answer: 2',
  '    explain: It has plenty free.',
  '  - task: Cap vm1 at 48 MB.',
  '    check: guest("vm1").AMAX == 48',
  '    hints:',
  '      - after 10m: "Type `:limit vm1 48MB` and Enter."',
  '    solution: [limit vm1 48MB]',
  '    debrief: vm1 is capped.',
  '  - watch: vm1 comes down to its limit.',
  '    until: guest("vm1").CNSM <= 50',
  '    within: 5m',
].join('\n');

describe('a trainee takes a lesson in a terminal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memvisor-trainee-'));
  const file = join(dir, 'terminal.yaml');
  writeFileSync(file, LESSON);
  const cli = startCli(
    ['lesson', file],
    { cols: COLS, rows: ROWS },
    {
      XDG_CONFIG_HOME: join(dir, 'config'),
      XDG_STATE_HOME: join(dir, 'state'),
    },
  );
  afterAll(() => {
    if (cli.exit === undefined) cli.child.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  const { send, waitFor } = cli;

  it('opens on esxtop with the lesson pane and the clock paused to read', async () => {
    const s = await waitFor((x) => x.includes(' READ This is esxtop.') && /PAUSED/.test(x), 'the first step');
    expect(s).toContain('─ Lesson · At the terminal · step 1 of 5 ');
    expect(s).toContain('PMEM  /MB:');
    expect(s).toContain(' Tab  go on ');
  });

  it('goes on with Tab; the task passes on the key the trainee presses', async () => {
    send('\t');
    await waitFor((x) => x.includes(' TASK Open the host pane with g.'), 'the task');
    send('g');
    const s = await waitFor((x) => x.includes(' ✓ Done.'), 'the task done');
    expect(s).toMatch(/free state HIGH/);
    expect(s).toContain(' The gauge shows high memory.');
  });

  it('a question: a wrong answer is told the right one', async () => {
    send('\t');
    await waitFor((x) => x.includes(' QUESTION Which state is the host in?'), 'the question');
    send('1');
    await waitFor((x) => x.includes(' ✗ The answer is 2: high'), 'the right answer');
  });

  it('? gives a hint before its time; the command typed on the : line does the task', async () => {
    send('\t');
    await waitFor((x) => x.includes(' TASK Cap vm1 at 48 MB.'), 'the second task');
    send('?');
    await waitFor((x) => x.includes(' Hint 1: Type :limit vm1 48MB and Enter.'), 'the hint');
    send(':limit vm1 48MB\r');
    await waitFor((x) => x.includes(' vm1 is capped.'), 'the debrief');
  });

  it('a watch ends when the host shows it; the end says how it went; q quits with a summary', async () => {
    send('\t');
    const watched = await waitFor((x) => x.includes(' ✓ There it is'), 'the watch passed');
    expect(watched).toContain(' vm1 comes down to its limit.');
    send('\t');
    const s = await waitFor((x) => x.includes('· the end '), 'the end');
    expect(s).toContain('4 of 5 steps passed, 1 hint asked');
    send('q');
    expect(await cli.waitExit()).toBe(0);
    expect(cli.output).toContain('At the terminal: 4/5 steps done, to the end, 1 hint,');
    const progress = join(dir, 'state', 'memvisor', 'progress.json');
    expect(existsSync(progress)).toBe(true);
    expect(JSON.parse(readFileSync(progress, 'utf8')).lessons.terminal.finished).toBe(true);
  });
});
