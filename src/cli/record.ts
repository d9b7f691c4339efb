/**
 * `memvisor record SCRIPT`: the real dashboard (the same App component, controller and renderers as
 * `memvisor PRESET`), rendered by Ink into a terminal of the script's size, driven by the script instead of
 * a person and a clock, written as asciicast v2.
 *
 * Nothing in a recording comes from the wall clock or the machine, so the same script and seed give the
 * same bytes:
 * - time is the recorder's: it ticks the session itself and stamps each frame with the recorded time of
 *   the simulated moment (simulated seconds / speed, plus the time held by `hold` steps and typing);
 * - the screen is refreshed at the script's delay, counted in recorded time, never by a timer (the
 *   controller's own refresh timer is off);
 * - the dashboard's own CPU and RSS (pidusage) are not sampled: the header reads `ui -% cpu -MB rss`;
 * - the frames go from the App to the screen writer (ui/screen-writer.ts) at each commit, as on a live
 *   terminal, never through Ink's output, so the CI environment variable (with which Ink draws only its
 *   last frame) changes nothing;
 * - no saved layout is loaded, the theme is the script's, with 256 colours, as TERM in the header says.
 * Keystrokes go in as the bytes a terminal sends, through Ink's own input parsing.
 */
import { EventEmitter } from 'node:events';
import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Asciicast, CAST_ENV } from '../output/asciicast.ts';
import { DEFAULT_ESX_LAYOUT } from '../render/esxtop.ts';
import { DEFAULT_XEN_LAYOUT } from '../render/xentop.ts';
import { PresetError } from '../scenario/problems.ts';
import { loadScript, type Script, type ScriptStep } from '../scenario/script.ts';
import { LocalLink } from '../session/link.ts';
import { Session } from '../session/session.ts';
import { DEFAULT_DELAY } from '../ui/config.ts';
import { Controller } from '../ui/controller.ts';
import { ScreenWriter } from '../ui/screen-writer.ts';
import { loadTheme, type Theme, themeNames } from '../ui/theme.ts';
import { progressBar } from './progress.ts';
import { UsageError } from './usage-error.ts';

export interface RecordOptions {
  /** Overrides the script's seed (which overrides the preset's). */
  readonly seed?: number;
  /** Overrides the script's terminal size. */
  readonly cols?: number;
  readonly rows?: number;
  /** Called as simulated time passes, with the simulated seconds recorded so far (for a progress bar). */
  readonly onProgress?: (t: number) => void;
  /** A refused command or a step that could not run; the recording goes on. */
  readonly warn?: (message: string) => void;
}

/** Ink's stdout and stderr: a terminal of fixed size; the frames do not go through it (see `draw`). */
export class NullTerminal extends EventEmitter {
  readonly isTTY = true;

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }

  write(): boolean {
    return true;
  }
}

/** Ink's stdin: a terminal in raw mode whose bytes come from the script. */
export class KeyFeed extends EventEmitter {
  readonly isTTY = true;
  private pending: string | null = null;

  send(bytes: string): void {
    this.pending = bytes;
    this.emit('readable');
  }

  read(): string | null {
    const data = this.pending;
    this.pending = null;
    return data;
  }

  setEncoding(): void {}
  setRawMode(): void {}
  ref(): void {}
  unref(): void {}
  resume(): void {}
  pause(): void {}
}

const OWN_CLOCK = "a recording's clock follows its script";

/** Lets React commit and Ink write what the last action changed (and a lone Esc reach the app). */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 2; i++) await new Promise<void>((r) => setImmediate(r));
};

/** The real dashboard mounted into a recording: Ink runs the App on a terminal of fixed size. */
export interface Recording {
  readonly cast: Asciicast;
  /** Rows as the terminal receives them (captions, repaints). */
  readonly screen: ScreenWriter;
  /** Keystrokes in, as the bytes a terminal sends. */
  readonly keys: KeyFeed;
  /** The last picture kept: the cast's text. */
  finish(): string;
  unmount(): void;
}

/**
 * Mounts the App for `controller` and records every frame it draws at the recorder's time `now()`; resolves
 * once the App reads keys (React runs effects after the commit).
 */
export async function mountRecording(
  controller: Controller,
  options: { cols: number; rows: number; title: string; theme: Theme; now: () => number },
): Promise<Recording> {
  process.env.NODE_ENV ??= 'production';
  const [{ render }, { createElement }, { App }] = await Promise.all([
    import('ink'),
    import('react'),
    import('../ui/components/App.tsx'),
  ]);
  const { cols, rows, now } = options;
  const cast = new Asciicast({ width: cols, height: rows, title: options.title, env: CAST_ENV });
  const screen = new ScreenWriter(cols, rows);
  const keys = new KeyFeed();
  let capturing = true;
  const draw = (lines: readonly string[]): void => {
    if (capturing) cast.add(now(), screen.frame(lines));
  };
  cast.add(0, screen.start());
  const instance = render(createElement(App, { controller, theme: options.theme, draw }), {
    stdout: new NullTerminal(cols, rows) as unknown as NodeJS.WriteStream,
    stdin: keys as unknown as NodeJS.ReadStream,
    stderr: new NullTerminal(cols, rows) as unknown as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  for (let i = 0; i < 10 && keys.listenerCount('readable') === 0; i++) await settle();
  return {
    cast,
    screen,
    keys,
    finish: () => {
      capturing = false;
      cast.add(now(), screen.end());
      return cast.toString();
    },
    unmount: () => instance.unmount(),
  };
}

/** Records `script`; returns the asciicast text. */
export async function recordScript(script: Script, options: RecordOptions = {}): Promise<string> {
  const cols = options.cols ?? script.cols;
  const rows = options.rows ?? script.rows;
  const speed = script.speed;
  const warn = options.warn ?? (() => {});
  const seed = options.seed ?? script.seed;
  const session = new Session(script.preset, {
    ...(seed === undefined ? {} : { seed }),
    ...(script.personality === undefined ? {} : { personality: script.personality }),
    ownClock: OWN_CLOCK,
  });
  for (const w of session.warnings) warn(w);
  let recording: Recording | undefined;
  let controller: Controller | undefined;
  try {
    // The header's "speed" is the recording's: simulated seconds per recorded second.
    session.command({ type: 'speed', speed });
    controller = new Controller(new LocalLink(session), {
      screen: script.screen ?? session.snapshot.screen,
      layout: {
        delay: script.delay ?? DEFAULT_DELAY,
        esxtop: DEFAULT_ESX_LAYOUT,
        xentop: DEFAULT_XEN_LAYOUT,
      },
      cols,
      rows,
      sampler: false,
      refreshTimer: false,
    });
    const c = controller;
    const theme = loadTheme(script.theme ?? 'dark', script.color, { level: 2 });

    /** Recorded seconds the simulated clock stood still for (holds, typing). */
    let held = 0;
    let now = 0;
    const recorded = (t: number): number => held + t / speed;
    let quitAt: ScriptStep | undefined;
    let current: ScriptStep | undefined;
    c.onQuit = () => {
      quitAt = current;
    };
    recording = await mountRecording(c, { cols, rows, title: script.title, theme, now: () => now });
    const { cast, screen, keys } = recording;
    c.onRepaint = () => cast.add(now, screen.repaint());

    const fail = (step: ScriptStep, message: string): never => {
      throw new PresetError([
        { file: script.file, line: step.line, col: step.col, path: `steps[${step.index}]`, message },
      ]);
    };
    const runStep = async (step: ScriptStep): Promise<void> => {
      current = step;
      const a = step.action;
      if (a.kind === 'caption') cast.add(now, screen.caption(a.text));
      else if (a.kind === 'hold') {
        held += a.seconds;
        now = recorded(step.at);
      } else if (a.kind === 'command') {
        const r = session.command(a.command);
        if (!r.ok) {
          const text = `${script.file}:${step.line}: ${step.text}: ${r.error}`;
          session.host.log('error', text);
          warn(text);
        }
      } else {
        for (const key of a.keys) {
          keys.send(key.bytes);
          await settle();
          if (quitAt) return;
          if (session.clock.paused) {
            fail(step, `${key.name} paused the simulated clock; ${OWN_CLOCK} (hold 3s holds the picture)`);
          }
          if (session.clock.speed !== speed) {
            fail(step, `${key.name} changed the speed; ${OWN_CLOCK} (its pace is speed: at the top)`);
          }
          held += script.typing;
          now = recorded(step.at);
        }
      }
    };

    const steps = script.steps;
    let next = 0;
    let nextRefresh = c.ui.delay * speed;
    for (;;) {
      const t = Math.min(steps[next]?.at ?? Number.POSITIVE_INFINITY, nextRefresh, script.duration);
      session.runUntil(t);
      now = recorded(t);
      if (nextRefresh <= t + 1e-9) {
        c.refresh();
        await settle();
        nextRefresh = t + c.ui.delay * speed;
        options.onProgress?.(t);
      }
      while (next < steps.length && steps[next].at <= t + 1e-9 && !quitAt) await runStep(steps[next++]);
      if (quitAt || t >= script.duration - 1e-9) break;
    }
    if (quitAt && next < steps.length) {
      warn(
        `${script.file}:${quitAt.line}: ${quitAt.text}: the dashboard quit; ` +
          `the ${steps.length - next} step(s) after it were not recorded`,
      );
    }
    return recording.finish();
  } finally {
    recording?.unmount();
    controller?.stop();
    session.close();
  }
}

export interface RecordCommandOptions {
  readonly output?: string;
  readonly seed?: number;
  readonly size?: { cols: number; rows: number };
}

/** The command: loads and checks the script (PresetError lists every problem), records it, writes the file. */
export async function runRecord(file: string, opts: RecordCommandOptions): Promise<void> {
  const script = loadScript(file, { themes: themeNames() });
  if (opts.output !== undefined) checkWritable(opts.output);
  const bar = progressBar(`record ${file}`, script.duration);
  let text: string;
  try {
    text = await recordScript(script, {
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      ...(opts.size ? opts.size : {}),
      warn: (m) => bar.above(() => console.error(`warning: ${m}`)),
      onProgress: bar.update,
    });
  } finally {
    bar.stop();
  }
  if (opts.output === undefined) process.stdout.write(text);
  else writeFileSync(opts.output, text);
}

/** The file can be written (checked before a recording of a minute or more, without touching the file). */
function checkWritable(file: string): void {
  try {
    if (existsSync(file) && statSync(file).isDirectory()) throw new Error('it is a directory');
    accessSync(existsSync(file) ? file : dirname(resolve(file)), constants.W_OK);
  } catch (err) {
    throw new UsageError(`record: -o ${file}: cannot write: ${(err as Error).message}`);
  }
}
