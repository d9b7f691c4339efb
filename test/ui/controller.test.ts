import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Key } from 'ink';
import { afterEach, describe, expect, it } from 'vitest';
import { lineWidth } from '../../src/render/text.ts';
import type { Session } from '../../src/session/session.ts';
import { loadLayout } from '../../src/ui/config.ts';
import { Controller } from '../../src/ui/controller.ts';
import { session as makeSession, noKey, text } from './fixtures.ts';

const sessions: Session[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
});

function setup(
  guests = [
    { name: 'vm1', memszMB: 256 },
    { name: 'vm2', memszMB: 256 },
  ],
  opts: { configPath?: string } = {},
) {
  const s = makeSession(guests, 1024);
  sessions.push(s);
  const c = new Controller(s, { cols: 120, rows: 30, clock: false, sampler: false, ...opts });
  const type = (keys: string): void => c.handleInput(keys, noKey);
  const press = (k: Partial<Key>, input = ''): void => c.handleInput(input, { ...noKey, ...k });
  const screen = (): string => text(c.frame()).join('\n');
  const guest = (name: string) => s.snapshot.guests.find((g) => g.name === name);
  return { s, c, type, press, screen, guest };
}

describe('screens', () => {
  it('switches between esxtop, xentop, host, events and detail, and back', () => {
    const { c, type, press, screen } = setup();
    expect(screen()).toContain('PMEM  /MB:');
    type('x');
    expect(screen()).toContain('xentop - 00:00:00');
    type('g');
    expect(screen()).toContain('free state HIGH');
    press({ escape: true });
    expect(c.ui.screen).toBe('xentop');
    type('l');
    expect(screen()).toContain('Event log');
    type('m');
    press({ return: true });
    expect(screen()).toContain('Inside the guest');
    press({ rightArrow: true });
    expect(screen()).toMatch(/vm2 +GID 2/);
    press({ escape: true });
    expect(c.ui.screen).toBe('esxtop');
    type('h');
    expect(screen()).toContain('memvisor keys');
    type('q');
    expect(c.ui.overlay).toBeNull();
    expect(c.quitRequested).toBe(false);
    type('q');
    expect(c.quitRequested).toBe(true);
  });

  it('quits from xentop with Q or Esc, as xentop does', () => {
    const a = setup();
    a.type('xQ');
    expect(a.c.quitRequested).toBe(true);
    const b = setup();
    b.type('x');
    b.press({ escape: true });
    expect(b.c.quitRequested).toBe(true);
  });

  it('keeps every frame rows - 1 lines whatever is typed', () => {
    const { c, type, press } = setup();
    const keys = 'mxglhfo:aekw?ZpWsdnbtvrSMBNV<>R.+-= q'.split('');
    let seed = 1;
    const rnd = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 400; i++) {
      const r = rnd();
      if (r < 0.1) press({ escape: true });
      else if (r < 0.15) press({ return: true });
      else if (r < 0.2) press({ downArrow: true });
      else if (r < 0.25) press({ tab: true });
      else {
        const k = keys[Math.floor(rnd() * keys.length)];
        if (k === 'q') continue;
        type(k);
      }
      const lines = c.frame();
      expect(lines).toHaveLength(29);
      for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(120);
    }
  });
});

describe('esxtop keys', () => {
  it('sorts with M, B, N (again to reverse), < > and R', () => {
    const { c, type } = setup();
    type('M');
    expect(c.ui.esx.sort).toEqual({ column: 'MEMSZ', desc: true });
    type('M');
    expect(c.ui.esx.sort).toEqual({ column: 'MEMSZ', desc: false });
    type('B');
    expect(c.ui.esx.sort).toEqual({ column: 'MCTLSZ', desc: true });
    type('N');
    expect(c.ui.esx.sort).toEqual({ column: 'GID', desc: false });
    type('>');
    expect(c.ui.esx.sort.column).toBe('NAME');
    type('<<');
    expect(c.ui.esx.sort.column).toBe('THRU');
    type('R');
    expect(c.ui.esx.sort.desc).toBe(false);
  });

  it('chooses fields with f and orders them with o', () => {
    const { c, type, screen } = setup();
    type('f');
    expect(screen()).toContain('Current Field order: ABCDEFGHIJKLMNO');
    type('c');
    expect(screen()).toContain('Current Field order: ABcDEFGHIJKLMNO');
    type('\r');
    expect(screen()).not.toMatch(/ MEMSZ /);
    type('o');
    type('D');
    expect(c.ui.esx.order.startsWith('ABDC')).toBe(true);
    type('d');
    expect(c.ui.esx.order.startsWith('ABCD')).toBe(true);
  });

  it('hides the system row with V and scrolls columns with Left/Right', () => {
    const { c, type, press, screen } = setup();
    expect(screen()).toContain(' system ');
    type('V');
    expect(screen()).not.toContain(' system ');
    press({ rightArrow: true });
    expect(c.ui.hscroll).toBe(1);
    expect(screen()).not.toMatch(/NAME +MEMSZ/);
  });

  it('sets the delay with s, refusing what is not a delay', () => {
    const { c, type, screen } = setup();
    type('s');
    expect(screen()).toContain('Delay to set in seconds:');
    type('abc\r');
    expect(screen()).toContain('"abc" is not a delay');
    expect(c.ui.delay).toBe(2);
    type('\x7f\x7f\x7f0.5\r');
    expect(c.ui.delay).toBe(0.5);
    expect(c.ui.overlay).toBeNull();
  });
});

describe('xentop keys', () => {
  it('toggles, sorts and prompts for the delay on the bottom line', () => {
    const { c, type, screen } = setup();
    type('xnbtvr');
    expect(c.ui.xen).toMatchObject({
      networks: true,
      vbds: true,
      tmem: false,
      vcpus: true,
      repeatHeader: true,
    });
    type('S');
    expect(c.ui.xen.sortField).toBe(1);
    type('D');
    expect(screen().split('\n').at(-1)).toMatch(/^ {2}Delay\(sec\): +Enter apply, Esc cancel$/);
    type('7\r');
    expect(c.ui.delay).toBe(7);
    expect(screen()).toContain('VCPUs(sec):');
  });
});

describe('operator actions', () => {
  it('runs : commands, keeps a history, and shows refusals inline without changing anything', () => {
    const { c, type, press, screen, guest } = setup();
    type(':limit vm1 128MB\r');
    expect(guest('vm1')?.AMAX).toBe(128);
    expect(screen()).toContain('vm1 limit 128MB');
    type(':limit nosuch 1GB\r');
    expect(c.ui.overlay?.kind).toBe('command');
    expect(screen()).toContain('no guest named "nosuch"');
    press({ escape: true });
    type(':');
    press({ upArrow: true });
    press({ upArrow: true });
    expect(c.ui.overlay?.kind === 'command' && c.ui.overlay.line.text).toBe('limit vm1 128MB');
    press({ downArrow: true });
    press({ downArrow: true });
    expect(c.ui.overlay?.kind === 'command' && c.ui.overlay.line.text).toBe('');
    type('li');
    press({ tab: true });
    type('v');
    press({ tab: true });
    expect(c.ui.overlay?.kind === 'command' && c.ui.overlay.line.candidates).toEqual(['vm1', 'vm2']);
    type('2 none\r');
    expect(guest('vm2')?.AMAX).toBe(-1);
  });

  it('adds a guest with the form, refusing a bad size with nothing added', () => {
    const { c, type, press, screen, guest } = setup();
    type('a');
    expect(screen()).toContain('Add a guest');
    press({ ctrl: true }, 'u');
    type('web');
    press({ tab: true });
    press({ ctrl: true }, 'u');
    type('300');
    type('\r');
    expect(screen()).toContain('"300" has no unit');
    expect(guest('web')).toBeUndefined();
    type('MB');
    press({ tab: true });
    press({ tab: true });
    press({ ctrl: true }, 'u');
    type('200MB');
    for (let i = 0; i < 3; i++) press({ tab: true });
    press({ rightArrow: true });
    type('\r');
    const g = guest('web');
    expect(g).toMatchObject({ MEMSZ: 300, AMAX: 200, os: 'windows' });
    expect(c.ui.selectedGid).toBe(g?.GID);
  });

  it('edits the selected guest and undoes a half-applied edit', () => {
    const { type, press, screen, guest } = setup();
    type('e');
    expect(screen()).toContain('Edit vm1');
    press({ downArrow: true });
    press({ ctrl: true }, 'u');
    type('64MB');
    press({ downArrow: true });
    press({ ctrl: true }, 'u');
    type('128MB\r');
    expect(guest('vm1')).toMatchObject({ AMIN: 64, AMAX: 128 });
    // Shares are fine, but the reservation cannot be above the limit: nothing changes at all.
    type('e');
    press({ downArrow: true });
    press({ ctrl: true }, 'u');
    type('200MB');
    press({ downArrow: true });
    press({ downArrow: true });
    press({ ctrl: true }, 'u');
    type('high\r');
    expect(screen()).toContain('above its limit');
    expect(guest('vm1')).toMatchObject({ AMIN: 64, AMAX: 128, ASHRS: 2560 });
  });

  it('removes the selected guest only when confirmed', () => {
    const { type, screen, guest } = setup();
    type('k');
    expect(screen()).toContain('Remove vm1 and free its memory?');
    type('n');
    expect(guest('vm1')).toBeDefined();
    type('ky');
    expect(guest('vm1')).toBeUndefined();
  });

  it('starts, resizes and stops a workload from the menu', () => {
    const { c, type, press, screen, guest } = setup();
    type('w');
    expect(screen()).toContain('Workloads of vm1');
    const items = c.ui.overlay?.kind === 'menu' ? c.ui.overlay.menu.items : [];
    const at = items.findIndex((i) => i.label === 'start memhog');
    for (let i = 0; i < at; i++) press({ downArrow: true });
    type('\r');
    expect(screen()).toContain('Start memhog in vm1');
    press({ tab: true });
    press({ ctrl: true }, 'u');
    type('32MB\r');
    expect(guest('vm1')?.workloads.map((w) => `${w.name}:${w.sizeMB}`)).toEqual(['memhog:32']);
    type('w');
    press({ downArrow: true });
    type('\r');
    expect(screen()).toContain('New size for memhog in vm1 (now 32MB)');
    type('lots\r');
    expect(screen()).toContain('resize:');
    expect(c.ui.overlay?.kind).toBe('prompt');
    type('\x7f\x7f\x7f\x7f48MB\r');
    expect(guest('vm1')?.workloads[0].sizeMB).toBe(48);
    type('w\r');
    expect(c.ui.overlay).toBeNull();
    expect(guest('vm1')?.workloads).toHaveLength(0);
  });

  it('pauses, single-steps and changes speed through commands', () => {
    const { s, type } = setup();
    type('p');
    expect(s.host.paused).toBe(true);
    const t = s.snapshot.t;
    type('.');
    expect(s.snapshot.t).toBe(t + s.host.config.tick);
    type('Z');
    expect(s.host.paused).toBe(false);
    type('+');
    expect(s.host.speed).toBe(2);
    type('--');
    expect(s.host.speed).toBe(0.5);
  });

  it('saves the layout with W where the config goes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memvisor-ui-'));
    const path = join(dir, 'memvisor', 'config.json');
    const { type, screen } = setup(undefined, { configPath: path });
    type('MV');
    type('W');
    expect(screen()).toContain(`layout saved to ${path}`);
    expect(JSON.parse(readFileSync(path, 'utf8')).esxtop.sort).toEqual({ column: 'MEMSZ', desc: true });
    expect(loadLayout(path).layout?.esxtop.vmsOnly).toBe(true);
  });

  it('reports an engine exception instead of crashing', () => {
    const { s, c, type, screen } = setup();
    const real = s.send.bind(s);
    s.send = (t: string) =>
      t.startsWith('limit')
        ? (() => {
            throw new Error('boom');
          })()
        : real(t);
    type(':limit vm1 1GB\r');
    expect(screen()).toContain('internal error: boom');
    expect(c.quitRequested).toBe(false);
  });
});
