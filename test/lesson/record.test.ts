import { describe, expect, it } from 'vitest';
import { recordLesson } from '../../src/cli/lesson-record.ts';
import { readCast } from '../../src/output/asciicast-read.ts';
import { parseLesson } from '../../src/scenario/lesson.ts';
import { screenOf } from '../terminal.ts';

const lesson = parseLesson(
  [
    'lesson: Recorded',
    'speed: 5',
    'preset:',
    '  seed: 2',
    '  host: { memory: 256MB }',
    '  guests: [{ name: vm1, memsz: 96MB, workloads: [{ type: boot }] }]',
    'minutes: 5',
    'steps:',
    '  - explain: Hello. This is esxtop.',
    '  - task: Open the host pane with `g`.',
    '    check: view.screen == "host"',
    '    solution: [keys g]',
    '    debrief: That is the gauge.',
    '  - question: Pick b.',
    '    choices: [a, b]',
    '    answer: 2',
    '    explain: b it is.',
  ].join('\n'),
  'lessons/08-recorded.yaml',
);

describe('memvisor lesson --record', () => {
  it('writes the model solution as asciicast v2, a marker at each step, the same bytes every time', async () => {
    const text = await recordLesson(lesson, { cols: 80, rows: 24, number: 8 });
    const cast = readCast(text);
    expect(cast.header).toMatchObject({ width: 80, height: 24, title: 'memvisor lesson 8: Recorded' });
    const markers = cast.events.filter((e) => e[1] === 'm').map((e) => e[2]);
    expect(markers).toEqual([
      '1/3 explain: Hello.',
      '2/3 task: Open the host pane with g.',
      '3/3 question: Pick b.',
      'the end',
    ]);
    const output = cast.events.filter((e) => e[1] === 'o');
    const atEnd = await screenOf(80, 24, output.map((e) => e[2]).join(''));
    expect(atEnd.join('\n')).toContain('─ Lesson 8 · Recorded · the end ');
    expect(atEnd.join('\n')).toContain('3 of 3 steps passed, 0 hints asked');
    // Each step was on screen when its marker came.
    const at = (label: string): string[] => {
      const t = cast.events.find((e) => e[1] === 'm' && e[2] === label)?.[0] ?? 0;
      return output.filter((e) => e[0] <= t + 1).map((e) => e[2]);
    };
    expect(
      (await screenOf(80, 24, at('2/3 task: Open the host pane with g.').join(''))).join('\n'),
    ).toContain(' TASK Open the host pane with g.');
    expect(await recordLesson(lesson, { cols: 80, rows: 24, number: 8 })).toBe(text);
  });
});
