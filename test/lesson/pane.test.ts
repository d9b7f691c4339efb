/**
 * The lesson on the dashboard, without a terminal: the controller with the lesson's port, keys in, frames
 * out. The pane renderer's own rules (reflow, code, room) first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lessonSession, viewOf } from '../../src/lesson/host.ts';
import { ProgressStore } from '../../src/lesson/progress.ts';
import { LessonShell } from '../../src/lesson/shell.ts';
import { plain } from '../../src/render/text.ts';
import { parseLesson } from '../../src/scenario/lesson.ts';
import { LocalLink } from '../../src/session/link.ts';
import { Controller } from '../../src/ui/controller.ts';
import {
  type LessonPaneModel,
  lessonPane,
  markCode,
  paneRoom,
  reflow,
  TEXT_WIDTH,
} from '../../src/ui/lesson-pane.ts';

describe('the lesson pane', () => {
  it('reflows paragraphs to its width, keeps indented lines (commands) on their own', () => {
    const text =
      'Power on a guest,\na Windows one:\n  `:add vm4 memsz=192MB`\nthen watch.\n\nNext paragraph.';
    expect(reflow(text, 30)).toEqual([
      'Power on a guest, a Windows',
      'one:',
      '  `:add vm4 memsz=192MB`',
      'then watch.',
      'Next paragraph.',
    ]);
  });

  it('shows what is between backquotes as keys, without the quotes, across lines too', () => {
    const [first, second] = markCode(['press `:` then `start', 'vm4 boot` and Enter'], 'text');
    expect(first.map((s) => [s.text, s.role])).toEqual([
      ['press ', 'text'],
      [':', 'key'],
      [' then ', 'text'],
      ['start', 'key'],
    ]);
    expect(second.map((s) => [s.text, s.role])).toEqual([
      ['vm4 boot', 'key'],
      [' and Enter', 'text'],
    ]);
  });

  const model: LessonPaneModel = {
    title: 'Lesson 1 · Test',
    step: 3,
    steps: 9,
    kind: 'task',
    status: 'active',
    text: 'Do the thing.',
    hints: ['First hint.'],
    hintsLeft: 1,
    timeLeft: 25,
    skipArmed: false,
  };

  it('gives the screen room while a task is under way, the text while the trainee reads', () => {
    expect(paneRoom(model, 23)).toBe(8);
    expect(paneRoom({ ...model, status: 'passed' }, 23)).toBe(13);
    expect(paneRoom({ ...model, kind: 'question' }, 40)).toBe(24);
    expect(paneRoom(model, 10)).toBe(6);
  });

  it('draws the step, the hints and the keys that work now', () => {
    expect(lessonPane(model, 60, 23).map(plain)).toEqual([
      `─ Lesson 1 · Test · step 3 of 9 ${'─'.repeat(28)}`,
      ' TASK Do the thing.',
      ' Hint 1: First hint.',
      ' ?  hint   L  hide the lesson   h  help  25s left',
    ]);
    const ended = lessonPane(
      { ...model, status: 'failed', verdict: 'Time is up.', outcome: 'Because.' },
      60,
      23,
    );
    expect(ended.map(plain).slice(1)).toEqual([
      ' ✗ Time is up.',
      ' Because.',
      ' Tab  go on   L  hide the lesson   h  help  ',
    ]);
  });

  it('cuts the text, never the keys, when it does not fit', () => {
    const long = lessonPane({ ...model, text: 'word '.repeat(200) }, 40, 10);
    expect(long.length).toBe(6);
    expect(plain(long[3])).toBe(' …');
    expect(plain(long[4])).toBe(' Hint 1: First hint.');
    expect(plain(long[5])).toContain('hint');
  });

  it('keeps its text to a readable width on a wide terminal; the title and keys span it', () => {
    const text = 'A long explanation of what the host does. '.repeat(8);
    const pane = lessonPane({ ...model, kind: 'explain', text, hints: [] }, 200, 60).map(plain);
    expect(pane[0].length).toBe(200);
    const body = pane.slice(1, -1);
    expect(body.length).toBeGreaterThan(3);
    for (const l of body) expect(l.length).toBeLessThanOrEqual(TEXT_WIDTH + 1);
  });

  it('keeps the hints asked for in view: the task text is cut first', () => {
    const text = 'Start a hog and watch the state leave high, then bring it back. '.repeat(5);
    const hints = ['Type the start command.', 'Then stop the hog with the stop command.'];
    const pane = lessonPane({ ...model, text, hints, hintsLeft: 0 }, 60, 23).map(plain);
    expect(pane.length).toBe(8);
    expect(pane.slice(-3, -1)).toEqual([` Hint 1: ${hints[0]}`, ` Hint 2: ${hints[1]}`]);
    expect(pane[1]).toMatch(/^ TASK Start a hog/);
    expect(pane[pane.length - 4]).toBe(' …');
  });
});

const LESSON = parseLesson(
  [
    'lesson: Pane',
    'preset:',
    '  seed: 2',
    '  host: { memory: 256MB }',
    '  guests: [{ name: vm1, memsz: 96MB }]',
    'minutes: 5',
    'steps:',
    '  - explain: Hello.',
    '  - task: Open the host pane.',
    '    check: view.screen == "host"',
    '    hints:',
    '      - after 1m: The key is `g`.',
    '    solution: [keys g]',
    '    debrief: That is the gauge.',
    '  - question: Pick b.',
    '    choices: [a, b]',
    '    answer: 2',
    '    explain: b it is.',
    '  - task: Cap vm1 at 48MB.',
    '    check: guest("vm1").AMAX == 48',
    '    solution: [limit vm1 48MB]',
    '    debrief: Capped.',
  ].join('\n'),
  'lessons/09-pane.yaml',
);

describe('a lesson on the dashboard', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memvisor-pane-'));
  const session = lessonSession(LESSON);
  const link = new LocalLink(session);
  const progress = new ProgressStore(join(dir, 'progress.json'));
  let now = 0;
  const shell = new LessonShell(LESSON, link, { number: 9, progress, now: () => now });
  const controller = new Controller(shell.link, {
    lesson: shell,
    cols: 80,
    rows: 24,
    refreshTimer: false,
    sampler: false,
  });
  shell.onChange = () => controller.refresh(true);
  shell.start(() => viewOf(controller));
  afterAll(() => {
    shell.stop();
    controller.stop();
    session.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const screen = (): string => controller.frame().map(plain).join('\n');
  const press = (name: string, text?: string) => controller.key({ name, ...(text ? { text } : {}) });
  /** The lesson's pause and resume wait for the tick under way: let them through. */
  const settle = () => new Promise((r) => setImmediate(r));

  it('draws the pane under the screen, and its keys come first', async () => {
    expect(screen()).toContain('─ Lesson 9 · Pane · step 1 of 4 ');
    expect(screen()).toContain(' READ Hello.');
    await press('?', '?');
    expect(controller.ui.overlay).toBeNull();
    expect(controller.ui.message?.text).toBe('hints are for tasks under way');
    await press('tab');
    expect(screen()).toContain(' TASK Open the host pane.');
  });

  it('a hint on ?, then the task passes on the key a trainee presses, and the clock stops to read', async () => {
    await press('?', '?');
    expect(screen()).toContain(' Hint 1: The key is g.');
    now = 42;
    await press('g', 'g');
    await settle();
    expect(screen()).toContain(' ✓ Done.');
    expect(screen()).toContain(' That is the gauge.');
    expect(link.snapshot.clock.paused).toBe(true);
    await press('tab');
    await settle();
    expect(progress.get('pane')?.results['2']).toEqual({ done: true, last: 'passed', hints: 1, seconds: 42 });
  });

  it('a question answered with the digit keys: a wrong answer shows the right one', async () => {
    expect(screen()).toContain(' QUESTION Pick b.');
    await press('3', '3');
    expect(controller.ui.message?.text).toBe('choose 1 to 2');
    await press('1', '1');
    expect(screen()).toContain(' ✗ The answer is 2: b');
    await press('tab');
    await settle();
    expect(link.snapshot.clock.paused).toBe(false);
  });

  it('L hides the pane and shows it again; Tab twice skips a task not done', async () => {
    await press('L', 'L');
    expect(screen()).not.toContain('Lesson 9');
    await press('L', 'L');
    expect(screen()).toContain(' TASK Cap vm1 at 48MB.');
    await press('tab');
    expect(controller.ui.message?.text).toBe('this task is not done yet: Tab again skips it');
    await press('tab');
    expect(screen()).toContain(' ✗ Skipped.');
    await press('tab');
    expect(screen()).toContain('─ Lesson 9 · Pane · the end ');
    expect(screen()).toContain('2 of 4 steps passed');
    expect(progress.get('pane')?.finished).toBe(true);
  });
});
