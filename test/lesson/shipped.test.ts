/**
 * The shipped lessons. Each one's full check (its model solution passes every step) and idle check (a
 * trainee who does nothing fails every task) take a minute or more of simulated time each, too long for
 * this suite: they run in .ci/run after the tests, as `memvisor lesson --check` and `memvisor lesson
 * --idle` (check.test.ts proves the checks themselves on a small lesson). Here: every lesson loads and
 * is shaped as the issue asks.
 */
import { describe, expect, it } from 'vitest';
import { lessonFiles } from '../../src/lesson/catalog.ts';
import { loadLesson } from '../../src/scenario/lesson.ts';

const files = lessonFiles();

describe('the shipped lessons', () => {
  it('are the seven of the issue, numbered in order', () => {
    expect(files.map((f) => `${f.number} ${f.name}`)).toEqual([
      '1 free-states',
      '2 page-sharing',
      '3 balloon-vs-swap',
      '4 shares-and-idle-tax',
      '5 compression-cache',
      '6 xen-tmem',
      '7 one-load-several-products',
    ]);
  });

  it.each(files.map((f) => [f.name, f.path]))(
    '%s loads: 5 to 15 minutes, a line to list it by, tasks to do',
    (_, path) => {
      const lesson = loadLesson(path);
      expect(lesson.minutes).toBeGreaterThanOrEqual(5);
      expect(lesson.minutes).toBeLessThanOrEqual(15);
      expect(lesson.description).not.toBe('');
      expect(lesson.steps.filter((s) => s.kind === 'task').length).toBeGreaterThan(0);
      expect(lesson.steps.filter((s) => s.kind === 'question').length).toBeGreaterThan(0);
    },
  );
});
