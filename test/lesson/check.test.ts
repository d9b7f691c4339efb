import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLessonCommand } from '../../src/cli/lesson.ts';
import { UsageError } from '../../src/cli/usage-error.ts';
import { checkLesson, replayTo } from '../../src/lesson/check.ts';
import { lessonSession, viewOf } from '../../src/lesson/host.ts';
import { ProgressStore } from '../../src/lesson/progress.ts';
import { LessonShell } from '../../src/lesson/shell.ts';
import { parseLesson } from '../../src/scenario/lesson.ts';
import { keystroke } from '../../src/scenario/script-keys.ts';
import { LocalLink } from '../../src/session/link.ts';
import { Controller } from '../../src/ui/controller.ts';
import { KEYS } from '../../src/ui/keys.ts';
import { runCli } from '../cli.ts';

/** A small host whose guest fills memory at boot; tasks a trainee does through keys and the `:` line. */
const LESSON = [
  '# A lesson for the check tests',
  'lesson: Check',
  'preset:',
  '  seed: 2',
  '  host: { memory: 256MB }',
  '  guests:',
  '    - { name: vm1, memsz: 96MB, workloads: [{ type: boot }] }',
  'minutes: 5',
  'steps:',
  '  - explain: Hello.',
  '  - task: Open the host pane.',
  '    check: view.screen == "host"',
  '    within: 30s',
  '    solution: [keys g]',
  '    debrief: That is the gauge.',
  '  - question: Pick b.',
  '    choices: [a, b]',
  '    answer: 2',
  '    explain: b it is.',
  '  - task: Cap vm1 at 48MB with the command line.',
  '    check: guest("vm1").AMAX == 48 && sent("limit", "vm1") == 1',
  '    within: 30s',
  '    solution:',
  '      - keys Esc',
  '      - limit vm1 48MB',
  '      - wait 5s',
  '    debrief: vm1 has a limit of {guest("vm1").AMAX} MB.',
  '  - watch: vm1 comes down to its limit.',
  '    until: guest("vm1").CNSM <= 50',
  '    within: 1m',
];

const lesson = (lines = LESSON) => parseLesson(lines.join('\n'), 'lessons/check.yaml');

describe('checking a lesson headless', () => {
  it('the model solution passes every step, through the keys and the command line a trainee uses', async () => {
    const reports = await checkLesson(lesson());
    expect(reports.map((r) => [r.step.kind, r.passed])).toEqual([
      ['explain', true],
      ['task', true],
      ['question', true],
      ['task', true],
      ['watch', true],
    ]);
    expect(reports[1].detail).toBe('passed at t=0s (after 0s)');
  });

  it('a trainee who does nothing fails every task', async () => {
    const reports = await checkLesson(lesson(), { idle: true });
    const tasks = reports.filter((r) => r.step.kind === 'task');
    expect(tasks.map((r) => [r.passed, r.detail])).toEqual([
      [false, 'failed: time was up after 30s'],
      [false, 'failed: time was up after 30s'],
    ]);
  });

  it('a slow trainee acts only after the pause: a task that does not wait so long fails', async () => {
    const tasks = async (pause: number) =>
      (await checkLesson(lesson(), { pause })).filter((r) => r.step.kind === 'task').map((r) => r.detail);
    expect(await tasks(20)).toEqual(['passed at t=20s (after 20s)', 'passed at t=40s (after 20s)']);
    expect(await tasks(35)).toEqual(['failed: time was up after 30s', 'failed: time was up after 30s']);
  });

  it('a trainee going on at step 4 finds the steps before it taken by the model solution, not in their progress', async () => {
    const l = lesson();
    const session = lessonSession(l);
    const link = new LocalLink(session);
    const shell = new LessonShell(l, link);
    const tmp = mkdtempSync(join(tmpdir(), 'memvisor-from-'));
    try {
      await replayTo(shell, session, 4);
      expect(shell.run.state?.index).toBe(3);
      expect(shell.run.results.map((r) => r.status)).toEqual(['passed', 'passed', 'passed']);
      const store = new ProgressStore(join(tmp, 'progress.json'));
      shell.keepProgress(store);
      // The trainee's own controller: the lesson goes on where it is, and their steps are recorded.
      const controller = new Controller(shell.link, { sampler: false, refreshTimer: false, lesson: shell });
      shell.start(() => viewOf(controller));
      expect(shell.run.state?.index).toBe(3);
      expect(store.get('check')).toBeUndefined();
      // Tab twice gives the task up, a third goes on: the step is the trainee's.
      for (let i = 0; i < 3; i++) shell.act({ kind: 'next' });
      expect(Object.keys(store.get('check')?.results ?? {})).toEqual(['4']);
      controller.stop();
    } finally {
      shell.stop();
      session.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("a command of the model solution that the host refuses is reported as the solution's fault", async () => {
    const broken = LESSON.map((l) => l.replace('- limit vm1 48MB', '- reservation vm1 200MB'));
    const reports = await checkLesson(lesson(broken));
    expect(reports[3]).toMatchObject({ passed: false });
    expect(reports[3].detail).toBe(
      'the model solution\'s "reservation vm1 200MB" was refused: reservation: vm1: 200MB is above memsz 96MB',
    );
  });
});

describe('questions about the screen', () => {
  it('a question whose right answer is not what the host shows makes the lesson fail its check', async () => {
    const wrong = LESSON.map((l) =>
      l === '    answer: 2' ? '    answer: 2\n    holds: host.state == "low"' : l,
    );
    const reports = await checkLesson(lesson(wrong));
    expect(reports[2]).toMatchObject({ passed: false });
    expect(reports[2].detail).toBe(
      'the answer is not what the host shows: host.state == "low" is false at t=0s',
    );
  });
});

describe('keys without a terminal', () => {
  it('every key a solution can name reaches the dashboard under a name its key table binds', () => {
    const bound = new Set(KEYS.flatMap((b) => b.keys));
    const names = ['Enter', 'Esc', 'Tab', 'S-Tab', 'Backspace', 'Space', 'Up', 'Down', 'Left', 'Right'];
    for (const name of [...names, 'Home', 'End', 'PgUp', 'PgDn', 'C-l', 'C-u', 'C-a', 'C-e', 'C-c']) {
      const k = keystroke(name);
      if (typeof k === 'string') throw new Error(k);
      expect(bound.has(k.key), `${name} -> ${k.key}`).toBe(true);
    }
  });
});

describe('memvisor lesson --check and --idle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memvisor-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a lesson whose task passes when the trainee does nothing is broken: exit status 1', () => {
    const file = join(dir, 'lazy.yaml');
    // The check holds from the start: nothing the trainee does is needed.
    writeFileSync(
      file,
      LESSON.map((l) => l.replace('check: view.screen == "host"', 'check: t >= 0')).join('\n'),
    );
    const idle = runCli('lesson', file, '--idle');
    expect(idle.status).toBe(1);
    expect(idle.out).toMatch(
      /^FAIL .*lazy.yaml:11: step 2 task: passed at t=0s \(after 0s\) \(the trainee did nothing: it must fail\)$/m,
    );
    expect(idle.out).toMatch(/lazy.yaml: broken lesson\n$/);
  });

  it('an unknown lesson is named, with the ones there are', async () => {
    await expect(runLessonCommand('free-stats', { check: true })).rejects.toThrow(
      new UsageError(
        'lesson "free-stats": no such lesson (did you mean "free-states"?; memvisor lesson lists them)',
      ),
    );
  });
});
