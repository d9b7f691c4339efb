import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalLink } from '../../src/session/link.ts';
import type { Session } from '../../src/session/session.ts';
import { App } from '../../src/ui/components/App.tsx';
import { Controller } from '../../src/ui/controller.ts';
import { loadTheme } from '../../src/ui/theme.ts';
import { session as makeSession, stripAnsi } from './fixtures.ts';

const sessions: Session[] = [];
const unmounts: (() => void)[] = [];
afterEach(() => {
  for (const u of unmounts.splice(0)) u();
  for (const s of sessions.splice(0)) s.close();
});

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 60));

async function mount(theme = 'dark', color = true, draw?: (rows: readonly string[]) => void) {
  const s = makeSession([
    { name: 'vm1', memszMB: 256 },
    { name: 'vm2', memszMB: 128 },
  ]);
  sessions.push(s);
  const c = new Controller(new LocalLink(s), { cols: 100, rows: 30, sampler: false });
  const app = render(<App controller={c} theme={loadTheme(theme, color, { level: 3 })} draw={draw} />);
  unmounts.push(app.unmount);
  await settle();
  const frame = (): string => stripAnsi(app.lastFrame() ?? '');
  const press = async (keys: string): Promise<void> => {
    for (const k of keys) {
      app.stdin.write(k);
      await settle();
    }
  };
  return { s, c, app, frame, press };
}

describe('the dashboard in Ink', () => {
  it('draws the esxtop screen, exactly rows - 1 lines', async () => {
    const { frame } = await mount();
    const lines = frame().split('\n');
    expect(lines).toHaveLength(29);
    expect(lines[0]).toMatch(/^ memvisor {2}t=0:00:00 {2}speed 1x {2}seed 7 {2}esx/);
    expect(lines[2]).toContain('PMEM  /MB:');
    await vi.waitFor(() => expect(frame()).toMatch(/GID NAME +MEMSZ +GRANT +CNSM/));
    await vi.waitFor(() => expect(frame()).toMatch(/ 1 vm1 +256\.00/));
  });

  it('switches to xentop and back with x and m', async () => {
    const { frame, press } = await mount();
    await press('x');
    await vi.waitFor(() => expect(frame()).toContain('xentop - 00:00:00   memvisor esx'));
    await vi.waitFor(() => expect(frame()).toContain('      NAME  STATE   CPU(sec) CPU(%)     MEM(k)'));
    await vi.waitFor(() =>
      expect(frame().split('\n').at(-1)).toContain(
        'Delay  Networks  vBds  Tmem  VCPUs  Repeat header  Sort order  Quit',
      ),
    );
    await press('m');
    await vi.waitFor(() => expect(frame()).toContain('PMEM  /MB:'));
  });

  it('shows the host pane, the event log, guest detail and help', async () => {
    const { frame, press, app } = await mount();
    await press('g');
    await vi.waitFor(() => expect(frame()).toContain('free state HIGH'));
    await vi.waitFor(() => expect(frame()).toContain('Host memory'));
    await press('l');
    await vi.waitFor(() => expect(frame()).toContain('Event log'));
    await vi.waitFor(() => expect(frame()).toContain('added vm1'));
    await press('m');
    app.stdin.write('\r');
    await settle();
    await vi.waitFor(() => expect(frame()).toContain('Inside the guest'));
    await vi.waitFor(() => expect(frame()).toContain('Settings'));
    await press('?');
    await vi.waitFor(() => expect(frame()).toContain('memvisor keys'));
    await vi.waitFor(() => expect(frame()).toContain('Every screen'));
  });

  it('keeps an Esc read together with the next key (Ink would hand over the key alone)', async () => {
    const { frame, press, app, c } = await mount();
    await press('h');
    await vi.waitFor(() => expect(frame()).toContain('memvisor keys'));
    app.stdin.write('\x1b:');
    await settle();
    await vi.waitFor(() => expect(c.ui.overlay?.kind).toBe('command'));
    app.stdin.write('\x1bx');
    await settle();
    await vi.waitFor(() => expect(c.ui.screen).toBe('xentop'));
    expect(c.ui.overlay).toBeNull();
  });

  it('shows the add form and adds a guest from it', async () => {
    const { frame, press, app, s } = await mount();
    await press('a');
    await vi.waitFor(() => expect(frame()).toContain('Add a guest'));
    await vi.waitFor(() => expect(frame()).toContain('> Name'));
    await vi.waitFor(() => expect(frame()).toContain('Balloon driver'));
    app.stdin.write('\r');
    await settle();
    await vi.waitFor(() => expect(s.snapshot.guests.map((g) => g.name)).toContain('vm3'));
    await vi.waitFor(() => expect(frame()).toMatch(/ 3 vm3 +256\.00/));
  });

  it('shows the edit form, the workload menu and form, and the remove confirmation', async () => {
    const { frame, press, app } = await mount();
    await press('e');
    await vi.waitFor(() => expect(frame()).toContain('Edit vm1'));
    app.stdin.write('\x1b');
    await settle();
    await press('w');
    await vi.waitFor(() => expect(frame()).toContain('Workloads of vm1'));
    await vi.waitFor(() => expect(frame()).toContain('start kernel-compile'));
    app.stdin.write('\r');
    await settle();
    await vi.waitFor(() => expect(frame()).toContain('Start boot in vm1'));
    app.stdin.write('\x1b');
    await settle();
    await press('k');
    await vi.waitFor(() => expect(frame()).toContain('Remove vm1 and free its memory?'));
    await press('n');
    await vi.waitFor(() => expect(frame()).not.toContain('Remove vm1'));
  });

  it('runs a : command and shows a refusal inline', async () => {
    const { frame, press, app, s } = await mount();
    await press(':');
    app.stdin.write('limit vm2 64MB');
    await settle();
    await vi.waitFor(() => expect(frame()).toContain(':limit vm2 64MB'));
    await vi.waitFor(() => expect(frame()).toContain('limit NAME SIZE|none'));
    app.stdin.write('\r');
    await settle();
    await vi.waitFor(() => expect(s.snapshot.guests.find((g) => g.name === 'vm2')?.AMAX).toBe(64));
    await press(':');
    app.stdin.write('memsz vm2 lots\r');
    await settle();
    await vi.waitFor(() => expect(frame()).toContain('memsz: "lots" is not a size'));
  });

  it('shows the field chooser and the order screen', async () => {
    const { frame, press } = await mount();
    await press('f');
    await vi.waitFor(() => expect(frame()).toContain('Current Field order: ABCDEFGHIJKLMNO'));
    await vi.waitFor(() => expect(frame()).toContain('Toggle fields with a-o'));
    await press('\x1bo');
    await vi.waitFor(() => expect(frame()).toContain('Upper case letter moves a field left'));
  });

  it('draws with the light and mono themes, and without colour', async () => {
    for (const [theme, color] of [
      ['light', true],
      ['mono', true],
      ['dark', false],
    ] as const) {
      const { app, frame } = await mount(theme, color);
      await vi.waitFor(() => expect(frame()).toContain('PMEM  /MB:'));
      const raw = app.lastFrame() ?? '';
      // No foreground colour code at all: neither 30-37/90-97 nor 38;...
      if (!color || theme === 'mono')
        expect(raw.split('\x1b[').some((seq) => /^([0-9;]*;)?(3[0-8]|9[0-7])[;m]/.test(seq))).toBe(false);
      app.unmount();
    }
  });
});

describe('the dashboard on a live terminal (draw)', () => {
  it('hands every frame to draw, painted, and gives Ink nothing to lay out', async () => {
    const frames: string[][] = [];
    const { app, press } = await mount('dark', true, (rows) => frames.push([...rows]));
    await vi.waitFor(() => expect(frames.length).toBeGreaterThan(0));
    const first = frames.at(-1) ?? [];
    expect(first).toHaveLength(29);
    expect(first.some((r) => r.includes('\x1b['))).toBe(true);
    expect(stripAnsi(first[2])).toContain('PMEM  /MB:');
    expect(app.lastFrame()).toBe('');
    await press('x');
    await vi.waitFor(() => expect(stripAnsi(frames.at(-1)?.[1] ?? '')).toContain('xentop - 00:00:00'));
    expect(app.lastFrame()).toBe('');
  });

  it('shows why a screen could not be drawn, through the same path, and draws again at the next update', async () => {
    const frames: string[][] = [];
    const { c, press } = await mount('dark', true, (rows) => frames.push(rows.map(stripAnsi)));
    const real = c.frame.bind(c);
    const broken = vi.spyOn(c, 'frame').mockImplementation(() => {
      throw new Error('a renderer broke');
    });
    await press('x');
    await vi.waitFor(() =>
      expect(frames.at(-1)?.[0]).toBe('memvisor could not draw this screen: a renderer broke'),
    );
    broken.mockImplementation(real);
    await press('m');
    await vi.waitFor(() => expect(frames.at(-1)?.[2]).toContain('PMEM  /MB:'));
  });
});
