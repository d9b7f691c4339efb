/**
 * A lesson's host, as the check, the recorder and the dashboard open it: the lesson's preset with its
 * seed and personality (one host per personality in a compare lesson), the screen it opens on, the link
 * the trainee's keys go through, and the view conditions read.
 */
import type { CommandResult } from '../engine/commands.ts';
import type { HostSnapshot } from '../engine/snapshot.ts';
import type { Lesson } from '../scenario/lesson.ts';
import { CompareSession } from '../session/compare-session.ts';
import type { CompareView, HostLink } from '../session/link.ts';
import { Session } from '../session/session.ts';
import type { Controller } from '../ui/controller.ts';
import type { View } from './fields.ts';
import type { LessonRun } from './run.ts';

/**
 * A lesson's host: its preset, with the lesson's seed and personality; in a compare lesson one host per
 * personality, side by side. A personality that cannot run the preset makes the lesson unusable: it says
 * which and why.
 */
export function lessonSession(
  lesson: Lesson,
  seed?: number,
  /** The dashboard's: guests power on as the clock runs, so the first frame comes at once. */
  stepwisePowerOn = false,
): Session | CompareSession {
  const s = seed ?? lesson.seed;
  const open = (personality?: string): Session =>
    new Session(lesson.preset, {
      ...(s === undefined ? {} : { seed: s }),
      ...(personality === undefined ? {} : { personality }),
      stepwisePowerOn,
    });
  if (!lesson.compare) return open(lesson.personality);
  const sessions: Session[] = [];
  try {
    for (const p of lesson.compare) {
      try {
        sessions.push(open(p));
      } catch (e) {
        throw new Error(`${lesson.file}: ${p} cannot run this lesson's preset: ${(e as Error).message}`);
      }
    }
  } catch (e) {
    for (const opened of sessions) opened.close();
    throw e;
  }
  return new CompareSession(sessions);
}

/** The host as the trainee's keys reach it: every command it accepts is told to the lesson. */
export class TraineeLink implements HostLink {
  constructor(
    private readonly link: HostLink,
    private readonly run: LessonRun,
  ) {}

  get snapshot(): HostSnapshot {
    return this.link.snapshot;
  }

  get readOnly(): string | null {
    return this.link.readOnly;
  }

  get compare(): CompareView | undefined {
    return this.link.compare;
  }

  subscribe(fn: (s: HostSnapshot) => void): () => void {
    return this.link.subscribe(fn);
  }

  async send(text: string): Promise<CommandResult> {
    const r = await this.link.send(text);
    if (r.ok) this.run.sent(text);
    return r;
  }

  close(): Promise<void> {
    return this.link.close();
  }
}

/** The screen a lesson opens on: its own, the compare screen in compare mode, or the personality's. */
export function lessonScreen(lesson: Lesson, first: HostSnapshot): 'esxtop' | 'xentop' | 'compare' {
  return lesson.screen ?? (lesson.compare ? 'compare' : first.screen);
}

/** What the trainee has on screen, as conditions read it. */
export function viewOf(controller: Controller): View {
  const gid = controller.ui.selectedGid;
  const guest = controller.snap.guests.find((g) => g.GID === gid)?.name ?? null;
  return { screen: controller.ui.screen, guest };
}
