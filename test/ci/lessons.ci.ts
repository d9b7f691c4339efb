/**
 * Every shipped lesson, in full: its model solution passes every step (`memvisor lesson NAME --check`),
 * also when the trainee takes a minute over each task (a lesson that only a quick trainee can pass is
 * broken: lesson 1's boot storm and hog once were). lessons-idle.ci.ts, a file of its own so that the
 * two run side by side, takes each with a trainee who does nothing. Minutes of simulated time each, so
 * here, after the tests, rather than in them.
 */
import { describe, expect, it } from 'vitest';
import { lessonFiles } from '../../src/lesson/catalog.ts';
import { checkLesson } from '../../src/lesson/check.ts';
import { loadLesson } from '../../src/scenario/lesson.ts';

describe.each(lessonFiles().map((f) => [f.name, f.path]))('lesson %s', (_, path) => {
  it('passes every step with its model solution', async () => {
    const reports = await checkLesson(loadLesson(path));
    expect(reports.filter((r) => !r.passed).map((r) => `step ${r.step.index + 1}: ${r.detail}`)).toEqual([]);
  });

  it('passes every step with a trainee who takes a minute before each task', async () => {
    const reports = await checkLesson(loadLesson(path), { pause: 60 });
    expect(reports.filter((r) => !r.passed).map((r) => `step ${r.step.index + 1}: ${r.detail}`)).toEqual([]);
  });
});
