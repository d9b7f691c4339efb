import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProgressStore, progressLine, progressPath } from '../../src/lesson/progress.ts';
import type { StepResult } from '../../src/lesson/run.ts';

const dir = mkdtempSync(join(tmpdir(), 'memvisor-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const result = (index: number, status: 'passed' | 'failed', hintsAsked = 0, seconds = 30): StepResult => ({
  index,
  kind: 'task',
  status,
  hintsAsked,
  simulated: seconds,
  seconds,
});

describe('progress', () => {
  it('lives in the XDG state directory', () => {
    expect(progressPath({ XDG_STATE_HOME: '/s' })).toBe('/s/memvisor/progress.json');
    expect(progressPath({ HOME: '/h' })).toMatch(/\.local\/state\/memvisor\/progress\.json$/);
  });

  it('records each step as it ends, and a step once passed stays done', () => {
    const path = join(dir, 'a', 'progress.json');
    const store = new ProgressStore(path, () => new Date('2026-01-02T03:04:05Z'));
    store.record('free-states', 'Free memory states', 3, result(0, 'passed', 1, 40));
    store.record('free-states', 'Free memory states', 3, result(1, 'failed', 2, 100));
    const again = new ProgressStore(path);
    expect(again.get('free-states')).toEqual({
      title: 'Free memory states',
      steps: 3,
      results: {
        '1': { done: true, last: 'passed', hints: 1, seconds: 40 },
        '2': { done: false, last: 'failed', hints: 2, seconds: 100 },
      },
      finished: false,
      updated: '2026-01-02T03:04:05.000Z',
    });
    expect(progressLine(again.get('free-states'))).toBe('1/3 steps done, 3 hints, 2 min');
    // A later try that fails the first step does not undo it; reaching the last step finishes it.
    again.record('free-states', 'Free memory states', 3, result(0, 'failed'));
    again.record('free-states', 'Free memory states', 3, result(2, 'passed'));
    expect(again.get('free-states')?.results['1']).toMatchObject({ done: true, last: 'failed' });
    expect(progressLine(again.get('free-states'))).toBe('2/3 steps done, to the end, 2 hints, 3 min');
    expect(progressLine(undefined)).toBe('not started');
  });

  it('forgets everything on reset', () => {
    const path = join(dir, 'b', 'progress.json');
    const store = new ProgressStore(path);
    store.record('x', 'X', 1, result(0, 'passed'));
    expect(existsSync(path)).toBe(true);
    store.reset();
    expect(existsSync(path)).toBe(false);
    expect(new ProgressStore(path).get('x')).toBeUndefined();
  });

  it('sets a file it cannot read aside with a warning, and starts afresh', () => {
    const path = join(dir, 'c.json');
    writeFileSync(path, '{"version": 9}');
    const store = new ProgressStore(path);
    expect(store.warning).toBe(
      `${path}: not a memvisor progress file; set aside as ${path}.unreadable, progress starts afresh`,
    );
    expect(readFileSync(`${path}.unreadable`, 'utf8')).toBe('{"version": 9}');
    expect(store.get('x')).toBeUndefined();
  });
});
