/**
 * Every shipped lesson taken by a trainee who does nothing (`memvisor lesson NAME --idle`): every task
 * must fail, or the lesson passes with no action taken and teaches nothing. Each task runs to its time
 * limit, so this is the longest of the lesson checks: a file of its own, run beside lessons.ci.ts.
 */
import { describe, expect, it } from 'vitest';
import { lessonFiles } from '../../src/lesson/catalog.ts';
import { checkLesson } from '../../src/lesson/check.ts';
import { loadLesson } from '../../src/scenario/lesson.ts';

describe.each(lessonFiles().map((f) => [f.name, f.path]))('lesson %s', (_, path) => {
  it('fails every task when the trainee does nothing', async () => {
    const reports = await checkLesson(loadLesson(path), { idle: true });
    const tasks = reports.filter((r) => r.step.kind === 'task');
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.filter((r) => r.passed).map((r) => `step ${r.step.index + 1}: ${r.detail}`)).toEqual([]);
  });
});
