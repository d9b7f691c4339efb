import { join } from 'node:path';
import xterm from '@xterm/headless';
import * as pty from 'node-pty';
import { ROOT } from './cli.ts';

/** Feeds bytes to a headless xterm of cols x rows and returns its screen, one string a row. */
export async function screenOf(cols: number, rows: number, data: string): Promise<string[]> {
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  await new Promise<void>((r) => term.write(data, r));
  const out: string[] = [];
  for (let y = 0; y < rows; y++) out.push(term.buffer.active.getLine(y)?.translateToString(true) ?? '');
  term.dispose();
  return out;
}

/** The real CLI in a pseudo-terminal (node-pty), its output fed to a headless xterm of the same size. */
export interface CliTerminal {
  readonly child: pty.IPty;
  /** Every byte written so far. */
  readonly output: string;
  /** The exit status once it has exited. */
  readonly exit: number | undefined;
  /** The screen as the terminal shows it now, one row a line. */
  screen(): string;
  send(keys: string): void;
  /**
   * Polls the screen until `test` holds; throws with the screen when `ms` pass or the program exits
   * first. Only polling for expected text, no fixed sleeps: a slow machine makes it slower, not flaky.
   */
  waitFor(test: (screen: string) => boolean, what: string, ms?: number): Promise<string>;
  waitExit(ms?: number): Promise<number | undefined>;
}

const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 100));

/** Starts `memvisor ARGS` in a cols x rows terminal; `env` adds to the environment (XDG_CONFIG_HOME, say). */
export function startCli(
  args: readonly string[],
  size: { cols: number; rows: number },
  env: Record<string, string> = {},
): CliTerminal {
  const { cols, rows } = size;
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  const child = pty.spawn(process.execPath, [join(ROOT, 'bin/memvisor.js'), ...args], {
    name: 'xterm-256color',
    cols,
    rows,
    cwd: ROOT,
    env: { ...process.env, CI: 'false', NODE_ENV: 'production', TERM: 'xterm-256color', ...env },
  });
  let output = '';
  let exit: number | undefined;
  child.onData((d) => {
    output += d;
    term.write(d);
  });
  child.onExit((e) => {
    exit = e.exitCode;
  });
  const t: CliTerminal = {
    child,
    get output() {
      return output;
    },
    get exit() {
      return exit;
    },
    screen() {
      const lines: string[] = [];
      for (let y = 0; y < rows; y++) lines.push(term.buffer.active.getLine(y)?.translateToString(true) ?? '');
      return lines.join('\n');
    },
    send: (keys) => child.write(keys),
    async waitFor(test, what, ms = 30_000) {
      const end = Date.now() + ms;
      for (;;) {
        const s = t.screen();
        if (test(s)) return s;
        if (Date.now() > end || exit !== undefined)
          throw new Error(`waited for ${what}; the screen shows:\n${s}\n(exit ${exit})`);
        await pause();
      }
    },
    async waitExit(ms = 20_000) {
      const end = Date.now() + ms;
      while (exit === undefined && Date.now() < end) await pause();
      return exit;
    },
  };
  return t;
}
