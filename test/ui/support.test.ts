import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ESX_LAYOUT } from '../../src/render/esxtop.ts';
import { EventFeed, History, Ring } from '../../src/render/history.ts';
import { line, span } from '../../src/render/text.ts';
import { DEFAULT_XEN_LAYOUT } from '../../src/render/xentop.ts';
import { configPath, loadLayout, saveLayout } from '../../src/ui/config.ts';
import { addGuestForm, editGuestForm, formPlan, startWorkloadForm } from '../../src/ui/forms.ts';
import { colorWanted, loadTheme, ThemeError, themeNames } from '../../src/ui/theme.ts';
import { guest, snapshot } from './fixtures.ts';

describe('themes', () => {
  it('ships dark, light and mono, and names them when asked for another', () => {
    expect(themeNames()).toEqual(expect.arrayContaining(['dark', 'light', 'mono']));
    expect(() => loadTheme('neon', true)).toThrow(/unknown theme "neon" \(themes: .*dark.*light.*mono/);
  });

  it('paints roles with SGR codes, and without colour uses mono attributes only', () => {
    const l = line(span('high', 'high'), ' plain');
    expect(loadTheme('dark', true, { level: 3 }).paint(l)).toBe('\x1b[1;38;2;135;215;135mhigh\x1b[0m plain');
    expect(loadTheme('dark', true, { level: 1 }).paint(l).slice(1)).toMatch(/^\[1;9[0-7]mhigh/);
    const mono = loadTheme('dark', false);
    expect(mono.name).toBe('mono');
    expect(mono.paint(line(span('x', 'selected')))).toBe('\x1b[7mx\x1b[0m');
    expect(mono.paint(line(span('free', 'memFree')))).toBe('free');
  });

  it('honours NO_COLOR and --no-color', () => {
    expect(colorWanted(true, {})).toBe(true);
    expect(colorWanted(false, {})).toBe(false);
    expect(colorWanted(true, { NO_COLOR: '1' })).toBe(false);
    expect(colorWanted(true, { NO_COLOR: '' })).toBe(true);
  });

  it('reports every problem in a theme file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memvisor-theme-'));
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ styles: { titel: {}, ok: { fg: 'chartreuse', blink: true } } }),
    );
    writeFileSync(join(dir, 'mono.json'), JSON.stringify({ styles: {} }));
    expect(() => loadTheme('bad', true, { dir })).toThrow(ThemeError);
    try {
      loadTheme('bad', true, { dir });
    } catch (e) {
      expect((e as Error).message).toContain('styles.titel: unknown role');
      expect((e as Error).message).toContain('styles.ok.fg: unknown colour "chartreuse"');
      expect((e as Error).message).toContain('styles.ok.blink: unknown attribute');
    }
  });
});

describe('saved layout', () => {
  it('goes to $XDG_CONFIG_HOME/memvisor/config.json, else ~/.config/memvisor/config.json', () => {
    expect(configPath({ XDG_CONFIG_HOME: '/x' })).toBe('/x/memvisor/config.json');
    expect(configPath({ HOME: '/home/me' })).toMatch(/\.config\/memvisor\/config\.json$/);
  });

  it('round-trips, and ignores what does not make sense with a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memvisor-cfg-'));
    const path = join(dir, 'a', 'config.json');
    const layout = {
      delay: 3,
      esxtop: { ...DEFAULT_ESX_LAYOUT, visible: 'ABC' },
      xentop: { ...DEFAULT_XEN_LAYOUT, vcpus: true },
    };
    saveLayout(path, layout);
    expect(loadLayout(path).layout).toEqual(layout);
    mkdirSync(join(dir, 'b'));
    writeFileSync(
      join(dir, 'b', 'config.json'),
      JSON.stringify({ delay: -1, esxtop: { order: 'AAB', sort: { column: 'NOPE', desc: 1 } } }),
    );
    const r = loadLayout(join(dir, 'b', 'config.json'));
    expect(r.layout?.delay).toBe(2);
    expect(r.layout?.esxtop).toEqual(DEFAULT_ESX_LAYOUT);
    expect(r.warnings.join(' ')).toContain('esxtop.order ignored');
    writeFileSync(join(dir, 'c.json'), '{not json');
    expect(loadLayout(join(dir, 'c.json')).warnings[0]).toContain('not JSON');
    expect(loadLayout(join(dir, 'missing.json'))).toEqual({ warnings: [] });
  });
});

describe('forms build commands in the scenario language', () => {
  it('add', () => {
    const f = addGuestForm(snapshot());
    expect(formPlan(f)).toEqual({
      ok: true,
      steps: [
        {
          command:
            'add vm3 memsz=1024MB reservation=0MB limit=none shares=normal vcpus=1 os=linux balloon=yes',
        },
      ],
    });
  });

  it('edit sends only what changed, in an order that can succeed, each with its undo', () => {
    const f = editGuestForm(guest({ AMIN: 100, AMAX: 200 }));
    const set = (k: string, v: string) => ({
      ...f,
      fields: f.fields.map((x) => (x.key === k ? { ...x, value: v } : x)),
    });
    expect(formPlan(f)).toEqual({ ok: false, error: 'nothing changed' });
    const raise = set('limit', '400MB');
    const both = {
      ...raise,
      fields: raise.fields.map((x) => (x.key === 'reservation' ? { ...x, value: '300MB' } : x)),
    };
    expect(formPlan(both)).toEqual({
      ok: true,
      steps: [
        { command: 'limit vm1 400MB', undo: 'limit vm1 200MB' },
        { command: 'reservation vm1 300MB', undo: 'reservation vm1 100MB' },
      ],
    });
    const lower = set('limit', '50MB');
    const down = {
      ...lower,
      fields: lower.fields.map((x) => (x.key === 'reservation' ? { ...x, value: '10MB' } : x)),
    };
    const plan = formPlan(down);
    expect(plan.ok && plan.steps.map((s) => s.command)).toEqual(['reservation vm1 10MB', 'limit vm1 50MB']);
    expect(formPlan(set('shares', 'lots'))).toMatchObject({ ok: false });
  });

  it('start', () => {
    const f = startWorkloadForm(guest(), 'database');
    expect(formPlan(f)).toEqual({
      ok: true,
      steps: [{ command: 'start vm1 database name=database-2 size=1024MB ws=0.3 locality=0.9 write=0.2' }],
    });
  });
});

describe('history', () => {
  it('keeps the newest samples in a ring, one per tick', () => {
    const r = new Ring(3);
    for (const v of [1, 2, 3, 4]) r.push(v);
    expect([...r.values()]).toEqual([2, 3, 4]);
    const h = new History(10);
    const s = snapshot();
    h.record(s);
    h.record(s);
    h.record({ ...s, tick: s.tick + 1 });
    expect(h.host.free.length).toBe(2);
    expect([...(h.guest(2)?.swapped.values() ?? [])].every(Number.isNaN)).toBe(true);
    h.record({ ...s, tick: s.tick + 2, guests: [s.guests[0]] });
    expect(h.guest(2)).toBeUndefined();
  });

  it('collects each event once across snapshots', () => {
    const e1 = { t: 1, kind: 'state' as const, message: 'a' };
    const e2 = { t: 2, kind: 'state' as const, message: 'b' };
    const e3 = { t: 3, kind: 'state' as const, message: 'c' };
    const f = new EventFeed();
    f.record(snapshot({ events: [e1, e2] }));
    f.record(snapshot({ events: [e1, e2] }));
    f.record(snapshot({ events: [e2, e3], eventCount: 3 }));
    expect(f.all().map((e) => e.message)).toEqual(['a', 'b', 'c']);
  });

  it('collects each event once from snapshots that crossed a socket (copies, not the same objects)', () => {
    const ev = (t: number, message: string) => ({ t, kind: 'reclaim' as const, message });
    // The same words twice in one second are two events, as the host logged them.
    const log = [ev(1, 'a'), ev(2, 'b'), ev(2, 'b'), ev(3, 'c'), ev(3, 'c'), ev(4, 'd')];
    const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x));
    const f = new EventFeed();
    // Each snapshot carries the newest three events and how many the host has logged in all.
    for (const n of [2, 2, 3, 5, 5, 6]) {
      f.record(copy(snapshot({ events: log.slice(Math.max(0, n - 3), n), eventCount: n })));
    }
    expect(f.all().map((e) => `${e.t}${e.message}`)).toEqual(['1a', '2b', '2b', '3c', '3c', '4d']);
  });
});
