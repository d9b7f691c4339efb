import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { validateFiles } from '../../src/cli/validate.ts';
import { parseLesson } from '../../src/scenario/lesson.ts';
import { PresetError } from '../../src/scenario/problems.ts';
import { ROOT } from '../cli.ts';

const HOST = [
  'preset:',
  '  host: { memory: 512MB }',
  '  guests:',
  '    - { name: vm1, memsz: 256MB, workloads: [{ type: database, name: db, size: 64MB }] }',
  '    - { name: vm4, memsz: 256MB, balloon: false }',
];

const lesson = (...lines: string[]): string =>
  ['# A lesson for the tests', 'lesson: Test lesson', ...HOST, 'minutes: 5', 'steps:', ...lines].join('\n');

function problems(text: string, file = 'lessons/t.yaml'): string[] {
  try {
    parseLesson(text, file);
  } catch (e) {
    if (e instanceof PresetError) return e.message.split('\n');
    throw e;
  }
  throw new Error('the lesson loaded');
}

describe('loading a lesson', () => {
  it('reads every kind of step', () => {
    const l = parseLesson(
      lesson(
        '  - explain: The host has {host.totalMB} MB.',
        '    pause: true',
        '  - watch: Wait for soft',
        '    until: host.state == "soft"',
        '  - task: Give vm4 a limit',
        '    check: guest("vm4").AMAX > 0 && sent("remove") == 0',
        '    within: 2m',
        '    fail:',
        '      - when: sent("remove") > 0',
        '        say: No powering off.',
        '    hints:',
        '      - after 1m: Use the e form on vm4.',
        '      - after 20s: Select vm4 first.',
        '    solution:',
        '      - keys Down',
        '      - type :limit vm4 128MB',
        '      - keys Enter',
        '      - wait 10s',
        '      - add vm5 memsz=64MB',
        '    debrief: vm4 now has a limit of {guest("vm4").AMAX} MB; vm5 has {guest("vm5").MEMSZ}.',
        '  - question: Which guest has no balloon driver?',
        '    choices: [vm1, vm4]',
        '    answer: 2',
        '    explain: MCTL? reads N for vm4.',
      ),
      'lessons/03-test.yaml',
    );
    expect(l.name).toBe('03-test');
    expect(l.title).toBe('Test lesson');
    expect(l.description).toBe('A lesson for the tests');
    expect(l.steps.map((s) => s.kind)).toEqual(['explain', 'watch', 'task', 'question']);
    const [explain, watch, task, question] = l.steps;
    expect(explain).toMatchObject({ pause: true, line: 10, col: 5 });
    expect(watch).toMatchObject({ within: 600, until: { text: 'host.state == "soft"' } });
    if (task.kind !== 'task' || question.kind !== 'question') throw new Error('kinds');
    expect(task.within).toBe(120);
    expect(task.hints.map((h) => h.after)).toEqual([20, 60]);
    expect(task.solution.map((a) => a.kind)).toEqual(['keys', 'keys', 'keys', 'wait', 'command']);
    expect(task.fails[0].when.text).toBe('sent("remove") > 0');
    expect(question.answer).toBe(1);
  });

  it('reports every problem at once, each at the line and column of what is wrong', () => {
    const text = lesson(
      '  - explain: Hello {host.stat}',
      '  - watch: Wait for soft',
      '    until: host.state == "sfot"',
      '  - task: Do it',
      '    check: guest("vm4").SWCURR > 100 && sent("limt") == 0',
      '    hints:',
      '      - after 30s: look at {guest("vm9").SWCUR}',
      '      - aftr 10s: nope',
      '    solution:',
      '      - pause',
      '      - keys Entr',
      '    debrief: Because.',
      '  - question: Which?',
      '    choices: [a, b]',
      '    answer: 3',
      '    explain: x',
      '  - tsak: nothing',
      '  - watch: |',
      '      multi',
      '    until: |',
      '      host.state == "high" &&',
      '        guest("vm1")["MCTL"]',
      '  - task: t',
      '    check: "true"',
      '    solution: [limit vm7 1GB]',
      '    debrief: d',
    );
    expect(problems(text)).toEqual([
      'lessons/t.yaml:10:26: steps[0].explain: no field "stat" in host (did you mean "state"?)',
      'lessons/t.yaml:12:26: steps[1].until: "sfot" is never the value of host.state (did you mean "soft"?)',
      'lessons/t.yaml:14:25: steps[2].check: no field "SWCURR" in guest (did you mean "SWCUR"?)',
      'lessons/t.yaml:14:46: steps[2].check: sent: unknown command "limt" (did you mean "limit"?)',
      'lessons/t.yaml:16:35: steps[2].hints[0].after 30s: no guest "vm9" in this lesson (did you mean "vm1"?)',
      'lessons/t.yaml:17:9: steps[2].hints[1]: expected "after DURATION" before the colon, got "aftr 10s"',
      'lessons/t.yaml:19:9: steps[2].solution[0]: pause: the lesson keeps the clock; a model solution lets time pass with "wait 30s"',
      'lessons/t.yaml:20:9: steps[2].solution[1]: keys: unknown key "Entr" (did you mean "Enter"?)',
      'lessons/t.yaml:24:13: steps[3].answer: there are 2 choices: the answer is one of 1 to 2',
      'lessons/t.yaml:26:5: steps[4]: a step starts with one of explain, watch, task, question (did you mean "task"?)',
      'lessons/t.yaml:31:22: steps[5].until: no field "MCTL" in guest (did you mean ["MCTL?"]?)',
      'lessons/t.yaml:34:16: steps[6].solution[0]: limit: no guest "vm7" when the model solution sends it (did you mean "vm1"?)',
    ]);
  });

  it('checks the top level and a preset written in the lesson with the same words as a preset file', () => {
    const text = [
      'lesson: x',
      'preset:',
      '  host: { memory: 512 }',
      '  guests: [{ name: vm1, memsz: 2GB }]',
      'minuts: 5',
      'steps: []',
    ].join('\n');
    expect(problems(text)).toEqual([
      'lessons/t.yaml:1:1: minutes: missing (required)',
      'lessons/t.yaml:5:1: minuts: unknown key (did you mean "minutes"?)',
      'lessons/t.yaml:6:8: steps: a lesson needs at least one step',
      'lessons/t.yaml:3:19: preset.host.memory: "512" has no unit: write 512MB or 512GB',
    ]);
  });

  it('a step of two kinds, or of none', () => {
    expect(problems(lesson('  - task: a', '    watch: b'))).toEqual([
      'lessons/t.yaml:10:5: steps[0]: a step is of one kind, but this has watch and task',
    ]);
  });
});

describe('memvisor validate with lessons', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memvisor-lesson-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** What validate prints, and whether it found everything valid. */
  function validate(...files: string[]): { ok: boolean; out: string; err: string } {
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
    const error = vi.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
    try {
      const ok = validateFiles(files);
      return { ok, out: out.join('\n'), err: err.join('\n') };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }

  it('says ok for a good lesson and lists the problems of a bad one', () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, lesson('  - watch: Wait', '    until: host.state == "soft"'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, lesson('  - watch: Wait', '    until: host.sate == "soft"'));
    expect(validate(good)).toEqual({ ok: true, out: `${good}: ok`, err: '' });
    expect(validate(good, bad)).toEqual({
      ok: false,
      out: `${good}: ok`,
      err: `${bad}:11:17: steps[0].until: no field "sate" in host (did you mean "state"?)`,
    });
  });

  it('a preset file named by the lesson is relative to it', () => {
    const file = join(dir, 'by-path.yaml');
    writeFileSync(
      file,
      [
        'lesson: x',
        `preset: ${join(ROOT, 'presets/page-sharing.yaml')}`,
        'minutes: 5',
        'steps:',
        '  - watch: w',
        '    until: guest("vm9").SHRD > 0',
      ].join('\n'),
    );
    expect(validate(file).err).toMatch(/by-path.yaml:6:18: steps\[0\].until: no guest "vm9" in this lesson/);
  });
});
