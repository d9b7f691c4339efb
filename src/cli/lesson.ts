/**
 * `memvisor lesson [NAME]`: the list of lessons with the trainee's progress; a lesson on the dashboard
 * with its lesson pane; `--check` runs its model solution headless (and `--idle` does nothing, to show
 * that its tasks then fail); `--record FILE` writes the model solution as asciicast; `--reset` forgets
 * the progress.
 */
import { relative } from 'node:path';
import { findLesson, type LessonFile, lessonFiles } from '../lesson/catalog.ts';
import { checkLesson, replayTo } from '../lesson/check.ts';
import { lessonScreen, lessonSession, viewOf } from '../lesson/host.ts';
import { ProgressStore, progressLine } from '../lesson/progress.ts';
import { LessonShell } from '../lesson/shell.ts';
import { wrap } from '../render/text.ts';
import { type Lesson, loadLesson } from '../scenario/lesson.ts';
import { LocalLink } from '../session/link.ts';
import { runDashboard } from '../ui/run.tsx';
import { runLessonRecord } from './lesson-record.ts';
import { UsageError } from './usage-error.ts';

export interface LessonCommandOptions {
  readonly check?: boolean;
  readonly idle?: boolean;
  readonly record?: string;
  readonly size?: { cols: number; rows: number };
  readonly reset?: boolean;
  /** Go on at this step (from 1): the steps before it are taken with the model solution. */
  readonly from?: number;
  readonly seed?: number;
  readonly theme?: string;
  readonly color?: boolean;
}

export async function runLessonCommand(name: string | undefined, opts: LessonCommandOptions): Promise<void> {
  if (opts.reset) {
    if (name !== undefined || opts.check || opts.idle || opts.record !== undefined || opts.from !== undefined)
      throw new UsageError('lesson --reset forgets all progress: give it no lesson and no other option');
    const store = new ProgressStore();
    store.reset();
    console.log(`progress forgotten (${store.path})`);
    return;
  }
  if (name === undefined) {
    if (opts.record !== undefined) throw new UsageError('lesson --record: name the lesson to record');
    if (opts.from !== undefined) throw new UsageError('lesson --from: name the lesson to go on with');
    if (opts.check || opts.idle) {
      // Every shipped lesson, in order: the command .ci/run uses.
      let sound = true;
      for (const f of lessonFiles()) if (!(await reportCheck(loadLesson(f.path), opts))) sound = false;
      process.exitCode = sound ? 0 : 1;
      return;
    }
    listLessons();
    return;
  }
  const file = findLesson(name);
  if (typeof file === 'string') throw new UsageError(file);
  const lesson = loadLesson(file.path);
  if (opts.from !== undefined) {
    if (opts.check || opts.idle || opts.record !== undefined)
      throw new UsageError(
        'lesson --from goes on with a lesson on the dashboard: not with --check, --idle or --record',
      );
    if (opts.from > lesson.steps.length)
      throw new UsageError(`lesson --from ${opts.from}: ${lesson.title} has ${lesson.steps.length} steps`);
  }
  if (opts.record !== undefined) {
    const sound = await runLessonRecord(lesson, opts.record, {
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      ...(opts.size ?? {}),
      ...(file.number > 0 ? { number: file.number } : {}),
    });
    process.exitCode = sound ? 0 : 1;
    return;
  }
  if (opts.check || opts.idle) {
    process.exitCode = (await reportCheck(lesson, opts)) ? 0 : 1;
    return;
  }
  await teach(file, lesson, opts);
}

/** The lesson after this one, as a trainee would start it; undefined after the last. */
function nextLesson(file: LessonFile): string | undefined {
  const next = lessonFiles().find((f) => f.number === file.number + 1);
  return next ? `memvisor lesson ${next.number} (${loadLesson(next.path).title})` : undefined;
}

/** The lesson on the dashboard, its pane under the screen; progress as each step ends. */
async function teach(file: LessonFile, lesson: Lesson, opts: LessonCommandOptions): Promise<void> {
  const progress = new ProgressStore();
  if (progress.warning) console.error(`warning: ${progress.warning}`);
  const session = lessonSession(lesson, opts.seed, true);
  const link = new LocalLink(session, { clock: true });
  await link.send(`speed ${lesson.speed}`);
  const next = nextLesson(file);
  const shell = new LessonShell(lesson, link, {
    ...(file.number > 0 ? { number: file.number } : {}),
    ...(next ? { next } : {}),
  });
  // The steps before --from are the model solution's, not the trainee's: not in their progress.
  if (opts.from !== undefined && opts.from > 1) {
    console.log(`${lesson.title}: replaying steps 1 to ${opts.from - 1} with the lesson's own solution...`);
    await replayTo(shell, session, opts.from);
  }
  shell.keepProgress(progress);
  try {
    await runDashboard(shell.link, {
      theme: opts.theme ?? 'dark',
      color: opts.color ?? true,
      screen: lessonScreen(lesson, session.snapshot),
      lesson: shell,
      onController: (c) => {
        shell.onChange = () => c.refresh(true);
        shell.start(() => viewOf(c));
      },
      onReady: () => link.start(),
    });
  } finally {
    shell.stop();
    await link.close();
    session.close();
  }
  const name = file.name;
  console.log(`${lesson.title}: ${progressLine(progress.get(name))}.`);
  const at = shell.run.state?.index;
  if (shell.run.finished && next) console.log(`Next: ${next}.`);
  else if (at !== undefined && at > 0)
    console.log(
      `To go on at step ${at + 1}: memvisor lesson ${file.number || file.path} --from ${at + 1}\n(the steps before it are replayed with the lesson's own solution).`,
    );
  else if (!shell.run.finished) console.log(`To go on: memvisor lesson ${file.number || file.path}.`);
}

/** Each lesson with what it teaches and how far the trainee got; then where to go next. */
function listLessons(): void {
  const progress = new ProgressStore();
  if (progress.warning) console.error(`warning: ${progress.warning}`);
  for (const l of lessonList(progress, process.stdout.columns || 80)) console.log(l);
}

/** The list's lines at this width: the descriptions wrapped under their titles, never cut mid-word. */
export function lessonList(progress: ProgressStore, width: number): string[] {
  const out = ['Lessons: memvisor lesson NUMBER starts one on the dashboard (q quits, h helps).', ''];
  const indent = (text: string): string[] => wrap(text, Math.max(20, width - 5)).map((l) => `    ${l}`);
  let suggestion: LessonFile | undefined;
  for (const f of lessonFiles()) {
    const l = loadLesson(f.path);
    const p = progress.get(f.name);
    if (!p?.finished) suggestion ??= f;
    out.push(`${String(f.number).padStart(2)}  ${l.title.padEnd(46)} ${String(l.minutes).padStart(2)} min`);
    out.push(...indent(l.description));
    if (p) out.push(...indent(`your progress: ${progressLine(p)}`));
  }
  out.push(
    '',
    suggestion
      ? `Next: memvisor lesson ${suggestion.number}`
      : 'Every lesson done: try a preset of your own (memvisor presets), or memvisor compare.',
  );
  return out;
}

/** Prints a line per step; true when the lesson is sound (every step passes, or with --idle every task fails). */
async function reportCheck(
  lesson: ReturnType<typeof loadLesson>,
  opts: LessonCommandOptions,
): Promise<boolean> {
  const idle = opts.idle === true;
  const near = relative(process.cwd(), lesson.file);
  const file = near.startsWith('..') || near === '' ? lesson.file : near;
  let sound = true;
  await checkLesson(lesson, {
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    idle,
    onStep: (r) => {
      const ok = idle ? r.step.kind !== 'task' || !r.passed : r.passed;
      if (!ok) sound = false;
      const mark = ok ? 'ok  ' : 'FAIL';
      const expect = idle && r.step.kind === 'task' ? ' (the trainee did nothing: it must fail)' : '';
      console.log(
        `${mark} ${file}:${r.step.line}: step ${r.step.index + 1} ${r.step.kind}: ${r.detail}${expect}`,
      );
    },
  });
  console.log(
    sound
      ? `${file}: ${idle ? 'every task fails when the trainee does nothing' : 'every step passes with the model solution'}`
      : `${file}: broken lesson`,
  );
  return sound;
}
