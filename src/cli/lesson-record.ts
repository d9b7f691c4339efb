/**
 * `memvisor lesson NAME --record FILE`: the lesson taken by its model solution on the real dashboard, with
 * its lesson pane, rendered by Ink into a terminal of fixed size as `memvisor record` does (record.ts),
 * written as asciicast v2 with a marker at each step (a player lists them as chapters).
 *
 * Time is the recording's, never the wall clock's, so the same lesson and seed give the same bytes: the
 * host runs at the lesson's speed (simulated seconds per recorded second); each keystroke takes 0.1 s;
 * where a trainee would read (an explanation, a question, what happened), the picture holds for the
 * time it takes to read the pane, about three words a second.
 */
import { writeFileSync } from 'node:fs';
import { type Drive, driveLesson, openBench } from '../lesson/drive.ts';
import type { Lesson, LessonStep } from '../scenario/lesson.ts';
import { loadTheme } from '../ui/theme.ts';
import { mountRecording, type Recording, settle } from './record.ts';

/** Recorded seconds a keystroke takes. */
const TYPING = 0.1;
/** Words a trainee reads a second, and the shortest and longest hold for reading. */
const WORDS_PER_SECOND = 3;
const READ_MIN = 2;
const READ_MAX = 20;

export interface LessonRecordOptions {
  readonly seed?: number;
  readonly cols?: number;
  readonly rows?: number;
  readonly number?: number;
  /** Each step as it ends (for a line on the terminal). */
  readonly onStep?: (passed: boolean, step: LessonStep, detail: string) => void;
}

/** The step's caption, for its marker: `3/9 task: Open the host pane: press g.` */
function caption(step: LessonStep, of: number): string {
  const first = step.text.raw.replace(/`/g, '').replace(/\s+/g, ' ').trim();
  const sentence = /^(.*?[.?!])(\s|$)/.exec(first)?.[1] ?? first;
  return `${step.index + 1}/${of} ${step.kind}: ${sentence.length > 80 ? `${sentence.slice(0, 79)}…` : sentence}`;
}

export async function recordLesson(lesson: Lesson, options: LessonRecordOptions = {}): Promise<string> {
  const cols = options.cols ?? 120;
  const rows = options.rows ?? 36;
  const speed = lesson.speed;
  let held = 0;
  let now = 0;
  const bench = openBench(lesson, {
    cols,
    rows,
    now: () => now,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.number ? { number: options.number } : {}),
  });
  const { session, controller, shell } = bench;
  let recording: Recording | undefined;
  try {
    // The header's "speed" is the recording's: simulated seconds per recorded second.
    session.send(`speed ${speed}`);
    const title = `memvisor lesson${options.number ? ` ${options.number}` : ''}: ${lesson.title}`;
    const theme = loadTheme('dark', true, { level: 2 });
    const clock = (): void => {
      now = held + session.snapshot.t / speed;
    };
    recording = await mountRecording(controller, { cols, rows, title, theme, now: () => now });
    const { cast, keys } = recording;

    let nextRefresh = controller.ui.delay;
    const drive: Drive = {
      press: async (k) => {
        keys.send(k.bytes);
        await settle();
        held += TYPING;
        clock();
      },
      tick: async () => {
        session.tick();
        await settle();
        clock();
        if (now >= nextRefresh - 1e-9) {
          controller.refresh();
          await settle();
          nextRefresh = now + controller.ui.delay;
        }
      },
      read: async () => {
        controller.refresh(true);
        await settle();
        const m = shell.model();
        const words = [m.text, m.outcome ?? '', ...m.hints, ...(m.choices ?? [])]
          .join(' ')
          .split(/\s+/).length;
        held += Math.min(READ_MAX, Math.max(READ_MIN, words / WORDS_PER_SECOND));
        clock();
      },
      begin: (step) => cast.marker(now, caption(step, lesson.steps.length)),
    };
    await driveLesson(bench, drive, {
      onStep: (r) => options.onStep?.(r.passed, r.step, r.detail),
    });
    cast.marker(now, 'the end');
    await drive.read();
    return recording.finish();
  } finally {
    recording?.unmount();
    bench.close();
  }
}

/** The command: records the lesson and writes the file; says how each step went on standard error. */
export async function runLessonRecord(
  lesson: Lesson,
  file: string,
  options: LessonRecordOptions,
): Promise<boolean> {
  let sound = true;
  const text = await recordLesson(lesson, {
    ...options,
    onStep: (passed, step, detail) => {
      if (!passed) sound = false;
      console.error(`${passed ? 'ok  ' : 'FAIL'} step ${step.index + 1} ${step.kind}: ${detail}`);
    },
  });
  writeFileSync(file, text);
  console.error(`${file}: ${lesson.title}, ${text.split('\n').length - 2} events`);
  return sound;
}
