import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Key } from 'ink';
import { afterEach, describe, expect, it } from 'vitest';
import { lineWidth } from '../../src/render/text.ts';
import { parsePreset } from '../../src/scenario/preset.ts';
import { CompareSession } from '../../src/session/compare-session.ts';
import { LocalLink } from '../../src/session/link.ts';
import { Session } from '../../src/session/session.ts';
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
  const c = new Controller(new LocalLink(s), { cols: 120, rows: 30, sampler: false, ...opts });
  const type = (keys: string): Promise<void> => c.handleInput(keys, noKey);
  const press = (k: Partial<Key>, input = ''): Promise<void> => c.handleInput(input, { ...noKey, ...k });
  const screen = (): string => text(c.frame()).join('\n');
  const guest = (name: string) => s.snapshot.guests.find((g) => g.name === name);
  return { s, c, type, press, screen, guest };
}

describe('screens', () => {
  it('switches between esxtop, xentop, host, events and detail, and back', async () => {
    const { c, type, press, screen } = setup();
    expect(screen()).toContain('PMEM  /MB:');
    await type('x');
    expect(screen()).toContain('xentop - 00:00:00');
    await type('g');
    expect(screen()).toContain('free state HIGH');
    await press({ escape: true });
    expect(c.ui.screen).toBe('xentop');
    await type('l');
    expect(screen()).toContain('Event log');
    await type('m');
    await press({ return: true });
    expect(screen()).toContain('Inside the guest');
    await press({ rightArrow: true });
    expect(screen()).toMatch(/vm2 +GID 2/);
    await press({ escape: true });
    expect(c.ui.screen).toBe('esxtop');
    await type('h');
    expect(screen()).toContain('memvisor keys');
    await type('q');
    expect(c.ui.overlay).toBeNull();
    expect(c.quitRequested).toBe(false);
    await type('q');
    expect(c.quitRequested).toBe(true);
  });

  it('quits from xentop with Q or Esc, as xentop does', async () => {
    const a = setup();
    await a.type('xQ');
    expect(a.c.quitRequested).toBe(true);
    const b = setup();
    await b.type('x');
    await b.press({ escape: true });
    expect(b.c.quitRequested).toBe(true);
  });

  it('keeps every frame rows - 1 lines whatever is typed', async () => {
    const { c, type, press } = setup();
    const keys = 'mxglhfo:aekw?ZpWsdnbtvrSMBNV<>R.+-= q'.split('');
    let seed = 1;
    const rnd = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 400; i++) {
      const r = rnd();
      if (r < 0.1) await press({ escape: true });
      else if (r < 0.15) await press({ return: true });
      else if (r < 0.2) await press({ downArrow: true });
      else if (r < 0.25) await press({ tab: true });
      else {
        const k = keys[Math.floor(rnd() * keys.length)];
        if (k === 'q') continue;
        await type(k);
      }
      const lines = c.frame();
      expect(lines).toHaveLength(29);
      for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(120);
    }
  });
});

describe('esxtop keys', () => {
  it('sorts with M, B, N (again to reverse), < > and R', async () => {
    const { c, type } = setup();
    await type('M');
    expect(c.ui.esx.sort).toEqual({ column: 'MEMSZ', desc: true });
    await type('M');
    expect(c.ui.esx.sort).toEqual({ column: 'MEMSZ', desc: false });
    await type('B');
    expect(c.ui.esx.sort).toEqual({ column: 'MCTLSZ', desc: true });
    await type('N');
    expect(c.ui.esx.sort).toEqual({ column: 'GID', desc: false });
    await type('>');
    expect(c.ui.esx.sort.column).toBe('NAME');
    await type('<<');
    expect(c.ui.esx.sort.column).toBe('THRU');
    await type('R');
    expect(c.ui.esx.sort.desc).toBe(false);
  });

  it('chooses fields with f and orders them with o', async () => {
    const { c, type, screen } = setup();
    await type('f');
    expect(screen()).toContain('Current Field order: ABCDEFGHIJKLMNO');
    await type('c');
    expect(screen()).toContain('Current Field order: ABcDEFGHIJKLMNO');
    await type('\r');
    expect(screen()).not.toMatch(/ MEMSZ /);
    await type('o');
    await type('D');
    expect(c.ui.esx.order.startsWith('ABDC')).toBe(true);
    await type('d');
    expect(c.ui.esx.order.startsWith('ABCD')).toBe(true);
  });

  it('hides the system row with V and scrolls columns with Left/Right', async () => {
    const { c, type, press, screen } = setup();
    expect(screen()).toContain(' system ');
    await type('V');
    expect(screen()).not.toContain(' system ');
    await press({ rightArrow: true });
    expect(c.ui.hscroll).toBe(1);
    expect(screen()).not.toMatch(/NAME +MEMSZ/);
  });

  it('sets the delay with s, refusing what is not a delay', async () => {
    const { c, type, screen } = setup();
    await type('s');
    expect(screen()).toContain('Delay to set in seconds:');
    await type('abc\r');
    expect(screen()).toContain('"abc" is not a delay');
    expect(c.ui.delay).toBe(2);
    await type('\x7f\x7f\x7f0.5\r');
    expect(c.ui.delay).toBe(0.5);
    expect(c.ui.overlay).toBeNull();
  });
});

describe('xentop keys', () => {
  it('toggles, sorts and prompts for the delay on the bottom line', async () => {
    const { c, type, screen } = setup();
    await type('xnbtvr');
    expect(c.ui.xen).toMatchObject({
      networks: true,
      vbds: true,
      tmem: false,
      vcpus: true,
      repeatHeader: true,
    });
    await type('S');
    expect(c.ui.xen.sortField).toBe(1);
    await type('D');
    expect(screen().split('\n').at(-1)).toMatch(/^ {2}Delay\(sec\): +Enter apply, Esc cancel$/);
    await type('7\r');
    expect(c.ui.delay).toBe(7);
    expect(screen()).toContain('VCPUs(sec):');
  });
});

describe('operator actions', () => {
  it('runs : commands, keeps a history, and shows refusals inline without changing anything', async () => {
    const { c, type, press, screen, guest } = setup();
    await type(':limit vm1 128MB\r');
    expect(guest('vm1')?.AMAX).toBe(128);
    expect(screen()).toContain('vm1 limit 128MB');
    await type(':limit nosuch 1GB\r');
    expect(c.ui.overlay?.kind).toBe('command');
    expect(screen()).toContain('no guest named "nosuch"');
    await press({ escape: true });
    await type(':');
    await press({ upArrow: true });
    await press({ upArrow: true });
    expect(c.ui.overlay?.kind === 'command' && c.ui.overlay.line.text).toBe('limit vm1 128MB');
    await press({ downArrow: true });
    await press({ downArrow: true });
    expect(c.ui.overlay?.kind === 'command' && c.ui.overlay.line.text).toBe('');
    await type('li');
    await press({ tab: true });
    await type('v');
    await press({ tab: true });
    expect(c.ui.overlay?.kind === 'command' && c.ui.overlay.line.candidates).toEqual(['vm1', 'vm2']);
    await type('2 none\r');
    expect(guest('vm2')?.AMAX).toBe(-1);
  });

  it('adds a guest with the form, refusing a bad size with nothing added', async () => {
    const { c, type, press, screen, guest } = setup();
    await type('a');
    expect(screen()).toContain('Add a guest');
    await press({ ctrl: true }, 'u');
    await type('web');
    await press({ tab: true });
    await press({ ctrl: true }, 'u');
    await type('300');
    await type('\r');
    expect(screen()).toContain('"300" has no unit');
    expect(guest('web')).toBeUndefined();
    await type('MB');
    await press({ tab: true });
    await press({ tab: true });
    await press({ ctrl: true }, 'u');
    await type('200MB');
    for (let i = 0; i < 3; i++) await press({ tab: true });
    await press({ rightArrow: true });
    await type('\r');
    const g = guest('web');
    expect(g).toMatchObject({ MEMSZ: 300, AMAX: 200, os: 'windows' });
    expect(c.ui.selectedGid).toBe(g?.GID);
  });

  it('edits the selected guest and undoes a half-applied edit', async () => {
    const { type, press, screen, guest } = setup();
    await type('e');
    expect(screen()).toContain('Edit vm1');
    await press({ downArrow: true });
    await press({ ctrl: true }, 'u');
    await type('64MB');
    await press({ downArrow: true });
    await press({ ctrl: true }, 'u');
    await type('128MB\r');
    expect(guest('vm1')).toMatchObject({ AMIN: 64, AMAX: 128 });
    // Shares are fine, but the reservation cannot be above the limit: nothing changes at all.
    await type('e');
    await press({ downArrow: true });
    await press({ ctrl: true }, 'u');
    await type('200MB');
    await press({ downArrow: true });
    await press({ downArrow: true });
    await press({ ctrl: true }, 'u');
    await type('high\r');
    expect(screen()).toContain('above its limit');
    expect(guest('vm1')).toMatchObject({ AMIN: 64, AMAX: 128, ASHRS: 2560 });
  });

  it('replaces a form field by typing over it, and edits it with Backspace', async () => {
    const { type, press, screen, guest } = setup();
    await type('e');
    await press({ downArrow: true });
    await press({ downArrow: true });
    // The limit field shows "none": typing replaces it, as a selected value in a dialog.
    await type('96MB');
    expect(screen()).toContain('96MB');
    expect(screen()).not.toContain('none96MB');
    await press({ upArrow: true });
    // Backspace edits what is there: "0MB" loses its B and gets it back (replaced, "B" would be refused).
    await press({ backspace: true });
    await type('B');
    await type('\r');
    expect(guest('vm1')).toMatchObject({ AMIN: 0, AMAX: 96 });
  });

  it('removes the selected guest only when confirmed', async () => {
    const { type, screen, guest } = setup();
    await type('k');
    expect(screen()).toContain('Remove vm1 and free its memory?');
    await type('n');
    expect(guest('vm1')).toBeDefined();
    await type('ky');
    expect(guest('vm1')).toBeUndefined();
  });

  it('starts, resizes and stops a workload from the menu', async () => {
    const { c, type, press, screen, guest } = setup();
    await type('w');
    expect(screen()).toContain('Workloads of vm1');
    const items = c.ui.overlay?.kind === 'menu' ? c.ui.overlay.menu.items : [];
    const at = items.findIndex((i) => i.label === 'start memhog');
    for (let i = 0; i < at; i++) await press({ downArrow: true });
    await type('\r');
    expect(screen()).toContain('Start memhog in vm1');
    await press({ tab: true });
    await press({ ctrl: true }, 'u');
    await type('32MB\r');
    expect(guest('vm1')?.workloads.map((w) => `${w.name}:${w.sizeMB}`)).toEqual(['memhog:32']);
    await type('w');
    await press({ downArrow: true });
    await type('\r');
    expect(screen()).toContain('New size for memhog in vm1 (now 32MB)');
    await type('lots\r');
    expect(screen()).toContain('resize:');
    expect(c.ui.overlay?.kind).toBe('prompt');
    await type('\x7f\x7f\x7f\x7f48MB\r');
    expect(guest('vm1')?.workloads[0].sizeMB).toBe(48);
    await type('w\r');
    expect(c.ui.overlay).toBeNull();
    expect(guest('vm1')?.workloads).toHaveLength(0);
  });

  it('pauses, single-steps and changes speed through commands', async () => {
    const { s, type } = setup();
    await type('p');
    expect(s.clock.paused).toBe(true);
    const t = s.snapshot.t;
    await type('.');
    expect(s.snapshot.t).toBe(t + s.host.config.tick);
    await type('Z');
    expect(s.clock.paused).toBe(false);
    await type('+');
    expect(s.clock.speed).toBe(2);
    await type('--');
    expect(s.clock.speed).toBe(0.5);
  });

  it('saves the layout with W where the config goes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memvisor-ui-'));
    const path = join(dir, 'memvisor', 'config.json');
    const { type, screen } = setup(undefined, { configPath: path });
    await type('MV');
    await type('W');
    expect(screen()).toContain(`layout saved to ${path}`);
    expect(JSON.parse(readFileSync(path, 'utf8')).esxtop.sort).toEqual({ column: 'MEMSZ', desc: true });
    expect(loadLayout(path).layout?.esxtop.vmsOnly).toBe(true);
  });

  it('reports an engine exception instead of crashing', async () => {
    const { s, c, type, screen } = setup();
    const real = s.send.bind(s);
    s.send = (t: string) =>
      t.startsWith('limit')
        ? (() => {
            throw new Error('boom');
          })()
        : real(t);
    await type(':limit vm1 1GB\r');
    expect(screen()).toContain('internal error: boom');
    expect(c.quitRequested).toBe(false);
  });
});

describe('the : line', () => {
  it('starts a fresh line with : after a refused command, the refused one kept in the history', async () => {
    const { c, type, press, screen } = setup();
    await type(':limit vm1 db1\r');
    expect(screen()).toContain('limit: "db1"');
    await type(':');
    const fresh = c.ui.overlay?.kind === 'command' ? c.ui.overlay.line : undefined;
    expect(fresh?.text).toBe('');
    expect(fresh?.error).toBeUndefined();
    await press({ upArrow: true });
    expect(c.ui.overlay?.kind === 'command' && c.ui.overlay.line.text).toBe('limit vm1 db1');
  });
});

describe('what the host says', () => {
  const kvmPreset = (): string =>
    [
      '# warnings',
      'seed: 7',
      'personality: esx',
      'host:',
      '  memory: 256MB',
      '  shareScanTime: 60s',
      'guests:',
      '  - name: a',
      '    memsz: 64MB',
    ].join('\n');
  const last = (c: Controller): string => text(c.frame()).at(-1) ?? '';

  it('shows a warning on the status line and in the event log from the start', async () => {
    const s = new Session(parsePreset(kvmPreset(), 'w.yaml'), { personality: 'kvm' });
    sessions.push(s);
    const c = new Controller(new LocalLink(s), { cols: 120, rows: 30, sampler: false });
    expect(last(c)).toBe('warning: w.yaml: host.shareScanTime is not used by the kvm personality');
    await c.key({ name: 'l', text: 'l' });
    expect(text(c.frame()).join('\n')).toContain('host.shareScanTime is not used by the kvm personality');
  });

  it('in compare mode, gives every host its word, tagged with its personality', () => {
    const esx = new Session(parsePreset(kvmPreset(), 'w.yaml'));
    const kvm = new Session(esx.preset, { personality: 'kvm' });
    sessions.push(esx, kvm);
    const c = new Controller(new LocalLink(new CompareSession([esx, kvm])), {
      cols: 120,
      rows: 30,
      sampler: false,
      screen: 'compare',
    });
    expect(last(c)).toBe('warning: kvm: w.yaml: host.shareScanTime is not used by the kvm personality');
    expect(c.feed.all().map((e) => e.message)).toContain(
      'kvm: w.yaml: host.shareScanTime is not used by the kvm personality',
    );
  });

  it('shows an engine error on the status line as it happens, the clock paused', () => {
    const { s, c } = setup();
    s.fail(new Error('disk full'));
    expect(last(c)).toBe('error: engine error: disk full; the clock is paused (p resumes)');
    expect(s.clock.paused).toBe(true);
  });
});

describe('a read-only link', () => {
  it('answers commands, forms and the : line with why, changes nothing, and still looks around', async () => {
    const s = makeSession([
      { name: 'vm1', memszMB: 64 },
      { name: 'vm2', memszMB: 64 },
    ]);
    sessions.push(s);
    const c = new Controller(new LocalLink(s, { readOnly: 'attached to classroom:7070' }), {
      cols: 120,
      rows: 30,
      sampler: false,
    });
    expect(text(c.frame())[0]).toMatch(/running {2}read-only/);
    // The key hints name only keys that work here.
    const hints = text(c.frame()).at(-1) ?? '';
    expect(hints).toMatch(/^h help {2}Enter detail {2}g host {2}l log {2}x xentop {2}m esxtop {2}q quit/);
    for (const key of [':', 'a', 'e', 'k', 'w', 'p', '.', '+', '-']) {
      await c.key({ name: key, text: key });
      expect(c.ui.overlay, key).toBeNull();
      expect(c.ui.message?.text, key).toBe('read-only: attached to classroom:7070');
    }
    expect(s.snapshot.t).toBe(0);
    expect(s.clock).toEqual({ paused: false, speed: 1, achieved: null });
    await c.key({ name: 'down' });
    expect(c.ui.selectedGid).toBe(2);
    await c.key({ name: 'x', text: 'x' });
    expect(c.ui.screen).toBe('xentop');
    expect(await c.link.send('remove vm1')).toEqual({
      ok: false,
      error: 'read-only: attached to classroom:7070',
    });
  });
});
