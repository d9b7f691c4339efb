/**
 * Starts the dashboard on this terminal: the alternate screen on start and the terminal restored on
 * every way out (q, Ctrl-C, SIGTERM, a crash). React and Ink are imported only here, after NODE_ENV is
 * set to production when nothing else set it: the development build costs twice the CPU a frame.
 *
 * Ink runs the app (React, raw mode, keys, exit) but the frame's rows go to the terminal through the
 * screen writer, which rewrites only the rows that changed, inside a synchronized update so that a
 * terminal that supports it shows each frame whole. That is what keeps 64 guests at one refresh a second
 * within 5 % of a core (`npm run bench -- dashboard`); it also means the dashboard draws with CI set.
 * The first frame is drawn before React and Ink are even loaded: the host behind the link may still be
 * powering its guests on (time 0), and the ticks fill the screen in as they come.
 */
import type { HostLink } from '../session/link.ts';
import { configPath, loadLayout } from './config.ts';
import { Controller, type LessonPort } from './controller.ts';
import { NoTerminalError } from './no-terminal.ts';
import { ScreenWriter } from './screen-writer.ts';
import { colorWanted, loadTheme } from './theme.ts';
import { pidusageSampler } from './usage.ts';

export interface DashboardOptions {
  theme: string;
  color: boolean;
  screen: 'esxtop' | 'xentop' | 'compare';
  /**
   * Called once the dashboard answers keys: the caller starts the host's clock then, so that seconds of
   * power-on work do not slow the loading of the dashboard itself.
   */
  onReady?: () => void;
  /** A lesson under way: its pane and keys (memvisor lesson). */
  lesson?: LessonPort;
  /** Called with the controller once it exists (a lesson follows what the trainee has on screen). */
  onController?: (controller: Controller) => void;
  /** Resolves with why when the host behind the link goes away (a shared host that quit): the dashboard ends. */
  ended?: Promise<string>;
  /** Called once with a function that writes a line into the dashboard's event log (what viewers do). */
  notes?: (note: (kind: 'command' | 'warning', text: string) => void) => void;
}

const ENTER = '\x1b[?1049h';
const LEAVE = '\x1b[?25h\x1b[?1049l';
const SYNC_START = '\x1b[?2026h';
const SYNC_END = '\x1b[?2026l';

export async function runDashboard(link: HostLink, options: DashboardOptions): Promise<void> {
  const stdin = process.stdin;
  const stdout = process.stdout;
  if (!stdin.isTTY || !stdout.isTTY) {
    throw new NoTerminalError(
      'the dashboard needs a terminal (stdin and stdout a TTY); for files use the batch outputs',
    );
  }
  const theme = loadTheme(options.theme, colorWanted(options.color));
  process.env.NODE_ENV ??= 'production';

  const path = configPath();
  const { layout, warnings } = loadLayout(path);
  const controller = new Controller(link, {
    screen: options.screen,
    layout,
    configPath: path,
    cols: stdout.columns || 80,
    rows: stdout.rows || 24,
    sampler: pidusageSampler,
    ...(options.lesson ? { lesson: options.lesson } : {}),
  });
  options.onController?.(controller);
  if (warnings.length > 0)
    controller.ui = { ...controller.ui, message: { text: warnings.join('; '), kind: 'error' } };

  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    try {
      if (stdin.isTTY) stdin.setRawMode(false);
      stdout.write(LEAVE);
    } catch {
      // The terminal may already be gone.
    }
  };
  const crash = (e: unknown): void => {
    controller.stop();
    restore();
    // The terminal went away (its window closed): nothing to report to, nothing went wrong here.
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === 'EIO' || code === 'EPIPE') process.exit(0);
    process.stderr.write(`memvisor: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  };
  const onSignal = (): void => {
    void controller.key({ name: 'ctrl+c' });
  };

  let screen = new ScreenWriter(controller.cols, controller.rows);
  const draw = (rows: readonly string[]): void => {
    const bytes = screen.frame(rows);
    if (bytes !== '') stdout.write(SYNC_START + bytes + SYNC_END);
  };
  /** A new size or Ctrl-L: the screen is cleared and the next frame draws every row. */
  const redraw = (cols: number, rows: number): void => {
    screen = new ScreenWriter(cols, rows);
    stdout.write(screen.start());
  };
  const onResize = (): void => {
    const cols = stdout.columns || 80;
    const rows = stdout.rows || 24;
    redraw(cols, rows);
    controller.resize(cols, rows);
  };

  // Raw mode from the first frame on: a key typed while Ink loads is not echoed onto the frame by the
  // terminal, and waits unread until Ink reads it (Ctrl-C too: it quits once the dashboard answers keys).
  stdin.setRawMode(true);
  stdout.write(ENTER + screen.start());
  draw(controller.frame().map((l) => theme.paint(l)));
  process.on('exit', restore);
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  stdout.on('resize', onResize);

  try {
    const [{ render }, { createElement }, { App }] = await Promise.all([
      import('ink'),
      import('react'),
      import('./components/App.tsx'),
    ]);
    const instance = render(createElement(App, { controller, theme, draw }), {
      exitOnCtrlC: false,
      patchConsole: true,
      maxFps: 30,
    });
    controller.onQuit = () => instance.unmount();
    controller.onRepaint = () => redraw(controller.cols, controller.rows);
    controller.start();
    options.notes?.((kind, text) => controller.feed.note(controller.snap.t, kind, text));
    void options.ended?.then(() => instance.unmount());
    // Ctrl-C while Ink was loading.
    if (controller.quitRequested) instance.unmount();
    else options.onReady?.();
    await instance.waitUntilExit();
  } finally {
    controller.stop();
    stdout.off('resize', onResize);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
    process.off('exit', restore);
    restore();
  }
}
