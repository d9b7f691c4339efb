import { afterAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.ts';
import type { FreeState, HostSnapshot } from '../../src/engine/snapshot.ts';
import type { View } from '../../src/lesson/fields.ts';
import { LessonRun } from '../../src/lesson/run.ts';
import { parseLesson } from '../../src/scenario/lesson.ts';
import { session } from '../ui/fixtures.ts';

const host = session([{ name: 'vm1', memszMB: 64 }], 256);
host.tick();
afterAll(() => host.close());

/** The real snapshot, at another time and state, with these events. */
const snap = (t: number, state: FreeState = 'high', events: EngineEvent[] = []): HostSnapshot => ({
  ...host.snapshot,
  t,
  host: { ...host.snapshot.host, state },
  events,
  // The host's count of events: those here are the newest of it.
  eventCount: host.snapshot.eventCount + events.length,
});
const VIEW: View = { screen: 'esxtop', guest: 'vm1' };

const lesson = parseLesson(
  [
    'lesson: Runner',
    'preset:',
    '  host: { memory: 256MB }',
    '  guests: [{ name: vm1, memsz: 64MB }]',
    'minutes: 5',
    'steps:',
    '  - explain: Read this.',
    '  - watch: Wait for soft.',
    '    until: host.state == "soft"',
    '    within: 30s',
    '  - task: Limit vm1 and get back to high.',
    '    check: ever(host.state == "hard") && host.state == "high" && sent("limit", "vm1") > 0',
    '    within: 1m',
    '    fail:',
    '      - when: sent("remove") > 0',
    '        say: No powering off.',
    '    hints:',
    '      - after 10s: First hint.',
    '      - after 20s: Second hint.',
    '    solution: [limit vm1 32MB]',
    '    debrief: Done.',
    '  - question: Which?',
    '    choices: [a, b, c]',
    '    answer: 2',
    '    explain: b.',
    '  - watch: An event.',
    '    until: logged("state", "-> low") > 0',
  ].join('\n'),
  'lessons/runner.yaml',
);

function started(): LessonRun {
  const run = new LessonRun(lesson);
  run.begin(0);
  return run;
}

/** Goes to step `index` (from 0), passing the ones before as quickly as they allow. */
function at(index: number): LessonRun {
  const run = started();
  const steps: ((r: LessonRun) => void)[] = [
    () => {},
    (r) => r.observe({ snapshot: snap(1, 'soft'), view: VIEW }),
    (r) => {
      r.sent('limit vm1 32MB');
      r.observe({ snapshot: snap(2, 'hard'), view: VIEW });
      r.observe({ snapshot: snap(3, 'high'), view: VIEW });
    },
    (r) => r.answer(1),
  ];
  for (let i = 0; i < index; i++) {
    steps[i](run);
    expect(run.next(i + 1)).toBe(true);
  }
  return run;
}

describe('a lesson under way', () => {
  it('an explain step goes on at once; the others only once they have ended', () => {
    const run = started();
    expect(run.step?.kind).toBe('explain');
    expect(run.canGoOn).toBe(true);
    run.next(0);
    expect(run.step?.kind).toBe('watch');
    expect(run.canGoOn).toBe(false);
    expect(run.next(1)).toBe(false);
  });

  it('a watch passes when its condition holds, and fails when its time is up', () => {
    const run = at(1);
    expect(run.observe({ snapshot: snap(10, 'high'), view: VIEW })).toBe(false);
    expect(run.observe({ snapshot: snap(11, 'soft'), view: VIEW })).toBe(true);
    expect(run.state?.status).toBe('passed');
    const late = at(1);
    late.observe({ snapshot: snap(31, 'high'), view: VIEW });
    expect(late.state?.status).toBe('failed');
    late.next(31);
    expect(late.results[1]).toMatchObject({ status: 'failed', reason: 'did not happen within 30s' });
  });

  it('a task counts only the commands sent during it, looks back with ever(), and shows hints when due', () => {
    const run = at(2);
    run.observe({ snapshot: snap(5, 'hard'), view: VIEW });
    run.observe({ snapshot: snap(9, 'high'), view: VIEW });
    expect(run.state).toMatchObject({ status: 'active', hintsShown: 0 });
    run.observe({ snapshot: snap(12, 'high'), view: VIEW });
    expect(run.state?.hintsShown).toBe(1);
    run.sent('limit  vm1   32MB');
    run.observe({ snapshot: snap(13, 'high'), view: VIEW });
    expect(run.state?.status).toBe('passed');
    expect(run.wantsPause).toBe(true);
  });

  it('hints asked for early are counted; a fail condition ends the task with its text', () => {
    const run = at(2);
    expect(run.hint()).toBe(true);
    expect(run.hint()).toBe(true);
    expect(run.hint()).toBe(false);
    expect(run.state?.hintsAsked).toBe(2);
    run.sent('remove vm1');
    run.observe({ snapshot: snap(3, 'high'), view: VIEW });
    expect(run.state?.status).toBe('failed');
    run.next(3);
    expect(run.results[2]).toMatchObject({ status: 'failed', hintsAsked: 2, reason: 'No powering off.' });
  });

  it('a task whose time is up fails; one given up is skipped', () => {
    const run = at(2);
    run.observe({ snapshot: snap(62, 'high'), view: VIEW });
    expect(run.state?.status).toBe('failed');
    run.next(62);
    expect(run.results[2].reason).toBe('time was up after 60s');
    const skipped = at(2);
    expect(skipped.skip()).toBe(true);
    skipped.next(4);
    expect(skipped.results[2].reason).toBe('skipped after 0s');
  });

  it('a question: the first answer decides, and the clock stands still while it is asked', () => {
    const run = at(3);
    expect(run.wantsPause).toBe(true);
    expect(run.answer(0)).toBe(false);
    expect(run.answer(1)).toBe(true);
    expect(run.state).toMatchObject({ status: 'failed', tries: 2, chosen: 1 });
    run.next(5);
    expect(run.results[3]).toMatchObject({ status: 'failed', reason: 'answered "a"' });
  });

  it('logged() sees each event of the step once, though snapshots repeat the newest ones', () => {
    const run = at(4);
    const low: EngineEvent = { t: 6, kind: 'state', message: 'free memory 0.5 %: soft -> low' };
    const other: EngineEvent = { t: 6, kind: 'reclaim', message: 'balloon' };
    expect(run.observe({ snapshot: snap(6, 'soft', [other]), view: VIEW })).toBe(false);
    expect(run.observe({ snapshot: snap(7, 'low', [other, low]), view: VIEW })).toBe(true);
    run.next(7);
    expect(run.finished).toBe(true);
    expect(run.results.map((r) => r.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
  });
});
