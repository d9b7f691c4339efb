/** `memvisor lesson` without a name: the list a trainee starts from, at the width of their terminal. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lessonList } from '../../src/cli/lesson.ts';
import { lessonFiles } from '../../src/lesson/catalog.ts';
import { ProgressStore } from '../../src/lesson/progress.ts';
import type { StepResult } from '../../src/lesson/run.ts';
import { loadLesson } from '../../src/scenario/lesson.ts';

const dir = mkdtempSync(join(tmpdir(), 'memvisor-list-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the list of lessons', () => {
  it('fits an 80-column terminal: descriptions wrap under their titles, no word cut', () => {
    const lines = lessonList(new ProgressStore(join(dir, 'none.json')), 80);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    const text = lines.join('\n');
    for (const f of lessonFiles()) {
      const words = loadLesson(f.path).description.split(/\s+/);
      // Each description, read line after line, is its words in order.
      const at = lines.findIndex((l) => l.startsWith(`${String(f.number).padStart(2)}  `));
      const below = [];
      for (let i = at + 1; lines[i]?.startsWith('    '); i++) below.push(lines[i].trim());
      expect(below.join(' ').split(' ')).toEqual(words);
    }
    expect(text).toMatch(/\nNext: memvisor lesson 1$/);
  });

  it('after lesson 1, shows its progress and names lesson 2 as next', () => {
    const store = new ProgressStore(join(dir, 'progress.json'));
    const lesson = loadLesson(lessonFiles()[0].path);
    const steps = lesson.steps.length;
    const last: StepResult = {
      index: steps - 1,
      kind: 'question',
      status: 'passed',
      hintsAsked: 0,
      simulated: 60,
      seconds: 60,
    };
    store.record('free-states', lesson.title, steps, last);
    const lines = lessonList(store, 80);
    expect(lines.some((l) => l.startsWith('    your progress: 1/'))).toBe(true);
    expect(lines[lines.length - 1]).toBe('Next: memvisor lesson 2');
  });
});
