/**
 * The wall's shell: a timer that collects (wallData) and draws (the blessed adapter) once a second,
 * the keys, and the ways out. Everything it shows comes from the source's snapshots: its own engine,
 * or a shared host it follows read-only.
 */
import { EventFeed, History } from '../render/history.ts';
import { NoTerminalError } from '../ui/no-terminal.ts';
import { loadTheme, type Theme, themeNames } from '../ui/theme.ts';
import type { TerminalOutput } from './blessed.ts';
import { type WallView, wallData } from './data.ts';
import { KEYS_TEXT, WALL_KEYS, type WallAction } from './keys.ts';
import { wallLayout } from './layout.ts';
import type { WallSource } from './source.ts';

export interface WallOptions {
  readonly theme: string;
  readonly color: boolean;
  /** Between two frames, in ms (default: one a second). */
  readonly refreshMs?: number;
  /** Resolves with the reason when the host goes away (a shared host that quit). */
  readonly ended?: Promise<string>;
  /** A terminal other than this process's (tests). */
  readonly input?: NodeJS.ReadableStream;
  readonly output?: TerminalOutput;
  readonly terminal?: string;
}

/**
 * Runs the wall until `q` (or Ctrl-C, or a signal), or until the host goes away; resolves with why it
 * ended when that was the host (null when the user quit). The terminal is restored before it resolves.
 */
export async function runWall(source: WallSource, options: WallOptions): Promise<string | null> {
  const output = options.output ?? (process.stdout as unknown as TerminalOutput);
  if (!options.output && (!process.stdin.isTTY || !process.stdout.isTTY)) {
    throw new NoTerminalError('the wall needs a terminal (stdin and stdout a TTY)');
  }
  const themes = options.color ? themeNames() : ['mono'];
  let theme: Theme = loadTheme(options.theme, options.color);
  // Loaded only now: blessed and blessed-contrib take a while to load, and only the wall needs them.
  const { WallScreen } = await import('./blessed.ts');
  const screen = new WallScreen({
    color: options.color,
    output,
    ...(options.input ? { input: options.input } : {}),
    ...(options.terminal ? { terminal: options.terminal } : {}),
  });

  const history = new History();
  const feed = new EventFeed();
  if (source.history) history.load(source.history);
  history.record(source.snapshot);
  feed.record(source.snapshot);
  const unsubscribe = source.subscribe((s) => {
    history.record(s);
    feed.record(s);
  });
  let view: WallView = {
    selectedGid: null,
    message: null,
    readOnly: source.readOnly,
    keys: KEYS_TEXT,
  };

  let selected: number | null = null;
  const draw = (): void => {
    const layout = wallLayout(screen.cols, screen.rows);
    const data = wallData(source.snapshot, history, feed.all(), view, layout);
    selected = data.selectedGid;
    screen.draw(data, layout, theme);
  };
  const say = (message: string | null): void => {
    view = { ...view, message };
    draw();
  };
  const move = (by: number): void => {
    const guests = source.snapshot.guests;
    if (guests.length === 0) return;
    const i = Math.max(
      0,
      guests.findIndex((g) => g.GID === selected),
    );
    const next = guests[Math.min(guests.length - 1, Math.max(0, i + by))];
    view = { ...view, selectedGid: next.GID, message: null };
    draw();
  };

  let finish: (reason: string | null) => void = () => {};
  const done = new Promise<string | null>((resolve) => {
    finish = resolve;
  });

  const handlers = {
    quit: () => finish(null),
    pause: async () => {
      if (source.readOnly) return say(`read-only: ${source.readOnly}`);
      const r = await source.send(source.snapshot.clock.paused ? 'resume' : 'pause');
      // The PAUSED flag is the answer; saying "paused" next to it would say it twice.
      say(r.ok ? null : r.error);
    },
    previous: () => move(-1),
    next: () => move(1),
    theme: () => {
      if (themes.length < 2) return say('no colour (NO_COLOR): mono only');
      const next = themes[(themes.indexOf(theme.name) + 1) % themes.length];
      theme = loadTheme(next, options.color);
      say(`theme ${theme.name}`);
    },
  } satisfies Record<WallAction, () => unknown>;

  for (const k of WALL_KEYS) screen.onKey([...k.keys], () => void handlers[k.action]());
  screen.onResize(draw);
  const onSignal = (): void => finish(null);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('SIGINT', onSignal);
  const restore = (): void => screen.destroy();
  process.on('exit', restore);
  void options.ended?.then((reason) => finish(reason));

  draw();
  const timer = setInterval(draw, options.refreshMs ?? 1000);
  try {
    return await done;
  } finally {
    clearInterval(timer);
    unsubscribe();
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('SIGINT', onSignal);
    process.off('exit', restore);
    screen.destroy();
  }
}
