/**
 * The wall drawn by blessed for a fixed snapshot into a virtual terminal (a headless xterm): the
 * widgets' text is read back off the screen.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { History } from '../../src/render/history.ts';
import { loadTheme } from '../../src/ui/theme.ts';
import { WallScreen } from '../../src/wall/blessed.ts';
import { wallData } from '../../src/wall/data.ts';
import { KEYS_TEXT } from '../../src/wall/keys.ts';
import { wallLayout } from '../../src/wall/layout.ts';
import { runWall } from '../../src/wall/run.ts';
import type { WallSource } from '../../src/wall/source.ts';
import { screenOf } from '../terminal.ts';
import { snapshot } from '../ui/fixtures.ts';

class FakeTerminal extends EventEmitter {
  readonly isTTY = true;
  readonly writable = true;
  data = '';
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write(s: string): boolean {
    this.data += s;
    return true;
  }
}

const snap = snapshot(
  {
    events: [
      { t: 3600, kind: 'state', message: 'host entered soft state: free 3.9 % is under 4 %' },
      { t: 3725, kind: 'reclaim', guest: 'vm1', message: 'ballooned 64 MB toward its target' },
    ],
  },
  { state: 'soft', freeMB: 150, privateMB: 3698 },
);

async function draw(cols: number, rows: number, color: boolean): Promise<{ lines: string[]; raw: string }> {
  const out = new FakeTerminal(cols, rows);
  const screen = new WallScreen({ output: out, input: new PassThrough(), terminal: 'xterm-256color', color });
  const history = new History();
  history.record(snap);
  const layout = wallLayout(screen.cols, screen.rows);
  const data = wallData(
    snap,
    history,
    snap.events,
    { selectedGid: 2, message: null, readOnly: null, keys: KEYS_TEXT },
    layout,
  );
  screen.draw(data, layout, loadTheme('dark', color, { level: 2 }));
  await new Promise((r) => setImmediate(r));
  const raw = out.data;
  screen.destroy();
  await new Promise((r) => setImmediate(r));
  expect(out.data.slice(raw.length)).toContain('\x1b[?1049l');
  return { lines: await screenOf(cols, rows, raw), raw };
}

// Any SGR sequence with a colour parameter: 30-49 or 90-107, with or without bold before it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape codes
const COLOUR = /\x1b\[(?:\d+;)*(?:3\d|4\d|9\d|10\d)(?:;\d+)*m/;

describe('the wall on a virtual terminal', () => {
  it('draws every panel with its text at 160x48', async () => {
    const { lines, raw } = await draw(160, 48, true);
    const screen = lines.join('\n');
    expect(lines[0]).toContain('free memory state');
    expect(lines[0]).toContain('free MB: 3.7 % of 4096 MB');
    expect(lines[0]).toContain('─thresholds─');
    expect(lines[0]).toContain('host memory: 4096 MB');
    expect(screen).toContain('▶ soft    4 %    164 MB');
    expect(screen).toContain('priv 3698 MB');
    expect(screen).toContain('free memory (MB) against the thresholds: now 150 MB');
    expect(screen).toContain('─web-server-long-name (MB)─');
    expect(screen).toMatch(/consumed .*500\.25/);
    expect(screen).toMatch(/vm1 .* 500\.25 +600\.00 +none +1234/);
    expect(screen).toContain('1:00:00 host entered soft state');
    expect(screen).toContain('1:02:05 vm1 ballooned 64 MB');
    expect(lines[47]).toMatch(
      /^ memvisor wall {2}t=1:02:05 {2}esx .*q quit {2}space pause {2}←→ guest {2}t theme $/,
    );
    // The big displays are drawn (braille dots) in the state's colour.
    expect(lines.slice(1, 8).join('')).toMatch(/[\u2801-\u28ff]/);
    expect(raw).toMatch(COLOUR);
    expect(raw).toContain('\x1b[?1049h');
  });

  it('fits 80x24', async () => {
    const { lines } = await draw(80, 24, true);
    expect(lines).toHaveLength(24);
    expect(lines[0]).toContain('free memory state');
    expect(lines[0]).toContain('free MB: 3.7 %─');
    expect(lines.join('\n')).toContain('▶ soft');
    expect(lines.join('\n')).toMatch(/web-ser .*500\.25 +600\.00 +1234/);
    expect(lines[23]).toMatch(/q quit {2}space pause {2}←→ guest {2}t theme $/);
  });

  it('sends no colour at all without colour, and keeps the text', async () => {
    const { lines, raw } = await draw(120, 40, false);
    expect(raw).not.toMatch(COLOUR);
    expect(lines.join('\n')).toContain('▶ soft    4 %    164 MB');
  });
});

describe('the wall run with its keys', () => {
  it('answers space with the PAUSED flag alone, not the flag and the word again', async () => {
    let paused = false;
    const source: WallSource = {
      get snapshot() {
        return { ...snap, clock: { ...snap.clock, paused } };
      },
      subscribe: () => () => {},
      send: (text) => {
        paused = text === 'pause';
        return { ok: true, message: paused ? 'paused' : 'resumed' };
      },
      readOnly: null,
      close: () => {},
    };
    const out = new FakeTerminal(120, 30);
    const input = new PassThrough();
    const running = runWall(source, {
      theme: 'dark',
      color: false,
      output: out,
      input,
      terminal: 'xterm-256color',
      refreshMs: 60_000,
    });
    const settle = () => new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 100 && !out.data.includes('space pause'); i++) await settle();
    input.write(' ');
    for (let i = 0; i < 100 && !paused; i++) await settle();
    await settle();
    const status = (await screenOf(120, 30, out.data))[29];
    input.write('q');
    await running;
    expect(status).toMatch(/^ memvisor wall {2}PAUSED {2}t=1:02:05 {2}esx/);
    expect(status).not.toMatch(/ paused /);
  });
});
