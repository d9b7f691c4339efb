/**
 * Every key the help (and so the footers, made from the same table) lists for a screen or an overlay
 * does something there: walked from the key table, pressed on a dashboard in compare mode brought to a
 * state where the key can show what it does (a guest in the middle selected, a scrolled help, a line
 * with text in it). "Something" is a change to what the dashboard shows or holds, to the host, a quit or
 * a repaint; a key that switches to the screen it is on counts as done. Never "does nothing here".
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plain } from '../../src/render/text.ts';
import { CompareSession } from '../../src/session/compare-session.ts';
import { LocalLink } from '../../src/session/link.ts';
import { Session } from '../../src/session/session.ts';
import { Controller } from '../../src/ui/controller.ts';
import type { Action } from '../../src/ui/keys.ts';
import { type Context, KEYS, type KeyEvent, SCREENS, type Screen } from '../../src/ui/keys.ts';
import type { Overlay, UiState } from '../../src/ui/state.ts';
import { session as makeSession } from './fixtures.ts';

const guests = [
  { name: 'vm1', memszMB: 64 },
  { name: 'vm2', memszMB: 64 },
  { name: 'vm3', memszMB: 64 },
];
const esx = makeSession(guests, 512);
const kvm = new Session(esx.preset, { personality: 'kvm' });
const compare = new CompareSession([esx, kvm]);
const configPath = join(mkdtempSync(join(tmpdir(), 'memvisor-walk-')), 'config.json');
afterAll(() => compare.close());

/** Where a screen-switching action goes: pressed on that screen, staying there is what it does. */
const TARGET: Partial<Record<Action, Screen>> = {
  screenEsxtop: 'esxtop',
  screenXentop: 'xentop',
  screenHost: 'host',
  screenEvents: 'events',
  screenCompare: 'compare',
  openDetail: 'detail',
};

/** A key of the table as a key event (a class as one key of it). */
function event(k: string): KeyEvent {
  if (k === 'text') return { name: 'x', text: 'x' };
  if (k === 'A-Z') return { name: 'D', text: 'D' };
  if (k === 'a-z') return { name: 'd', text: 'd' };
  if (k === 'space') return { name: 'space', text: ' ' };
  return k.length === 1 ? { name: k, text: k } : { name: k };
}

/**
 * The dashboard on `screen` (with an overlay), the middle guest selected; with `newer`, the host has a
 * snapshot the screen does not show yet (for the key that refreshes).
 */
function dashboard(screen: Screen, overlay: Overlay | null = null, ui: Partial<UiState> = {}, newer = false) {
  compare.send('resume');
  compare.send('speed 1');
  const c = new Controller(new LocalLink(compare), {
    cols: 120,
    rows: 24,
    sampler: false,
    configPath,
    screen: screen === 'xentop' ? 'xentop' : 'esxtop',
  });
  let repaints = 0;
  c.onRepaint = () => repaints++;
  c.ui = { ...c.ui, screen, selectedGid: 2, hscroll: 1, overlay, ...ui };
  c.refresh(true);
  if (newer) compare.tick();
  const look = (): string =>
    JSON.stringify([
      c.ui,
      c.frame().map(plain),
      compare.compare().map((s) => [s.t, s.clock.paused, s.clock.speed, s.guests.map((g) => g.name)]),
      c.quitRequested,
      repaints,
    ]);
  return { c, look };
}

/** Press `key` in that state; say what it did not do, or nothing. */
async function pressed(
  key: string,
  action: Action,
  screen: Screen,
  overlay: Overlay | null,
  ui?: Partial<UiState>,
): Promise<string | null> {
  const { c, look } = dashboard(screen, overlay, ui, key === 'space');
  const before = look();
  await c.key(event(key));
  const message = c.ui.message?.text ?? '';
  if (message.includes('does nothing here')) return message;
  if (look() !== before) return null;
  if (TARGET[action] !== undefined && c.ui.screen === TARGET[action]) return null;
  return 'nothing changed';
}

/**
 * Every (key, action) the help lists for a context: its own bindings, and on a screen also the section
 * for every screen (the help says so; this does not ask the lookup, which is what is under test).
 */
const listed = (context: Context): { key: string; action: Action }[] =>
  (
    ['always', context, ...((SCREENS as readonly string[]).includes(context) ? ['global'] : [])] as Context[]
  ).flatMap((ctx) =>
    KEYS.filter((b) => b.context === ctx).flatMap((b) => b.keys.map((key) => ({ key, action: b.action }))),
  );

describe('every key a screen lists does something there', () => {
  for (const screen of SCREENS) {
    it(`on the ${screen} screen`, async () => {
      const failures: string[] = [];
      for (const { key, action } of listed(screen)) {
        // Shadowed by the screen's own binding of the same key: that one is what it does.
        const own = KEYS.find((b) => b.context === screen && b.keys.includes(key));
        if (own && own.action !== action) continue;
        const why = await pressed(key, action, screen, null, screen === 'events' ? { eventsBack: 3 } : {});
        if (why) failures.push(`${key} (${action}): ${why}`);
      }
      expect(failures).toEqual([]);
    });
  }
});

const line = (text: string, cursor = text.length) => ({
  kind: 'command' as const,
  line: { text, cursor, candidates: [], historyIndex: null, draft: '' },
});

/** Each overlay in a state where each of its keys has something to do. */
const OVERLAYS: Record<string, { overlay: Overlay; ui?: Partial<UiState>; per?: Record<string, Overlay> }> = {
  help: { overlay: { kind: 'help', scroll: 5 } },
  fields: { overlay: { kind: 'fields' } },
  order: { overlay: { kind: 'order' } },
  prompt: { overlay: { kind: 'prompt', prompt: { label: 'Delay(sec)', value: '3', purpose: 'xenDelay' } } },
  command: {
    overlay: line('limit vm1 64MB', 5),
    ui: { commands: ['limit vm2 32MB'] },
    per: {
      tab: line('li'),
      down: { ...line('limit vm2 32MB'), line: { ...line('limit vm2 32MB').line, historyIndex: 0 } },
    },
  },
  form: {
    overlay: {
      kind: 'form',
      form: {
        title: 'Add a guest',
        purpose: 'add',
        focus: 1,
        fields: [
          { key: 'name', label: 'Name', kind: 'text', value: 'web', hint: '' },
          { key: 'memsz', label: 'MEMSZ', kind: 'text', value: '32MB', hint: '' },
          { key: 'os', label: 'OS', kind: 'choice', value: 'linux', choices: ['linux', 'windows'], hint: '' },
        ],
      },
    },
    per: {},
  },
  menu: {
    overlay: {
      kind: 'menu',
      menu: {
        title: 'Workloads of vm2',
        guest: 'vm2',
        index: 1,
        items: [
          { label: 'start boot', detail: '', action: { kind: 'start', type: 'boot' } },
          { label: 'start idle', detail: '', action: { kind: 'start', type: 'idle' } },
          { label: 'start memhog', detail: '', action: { kind: 'start', type: 'memhog' } },
        ],
      },
    },
  },
  confirm: { overlay: { kind: 'confirm', question: 'Remove vm3?', command: 'remove vm3' } },
};

// Left and Right choose on a choice field: the form's focus on OS for them.
const formOn = (focus: number): Overlay => {
  const o = OVERLAYS.form.overlay;
  return o.kind === 'form' ? { kind: 'form', form: { ...o.form, focus } } : o;
};
OVERLAYS.form.per = { left: formOn(2), right: formOn(2) };

describe('every key an overlay lists does something there', () => {
  for (const [context, setup] of Object.entries(OVERLAYS)) {
    it(`in ${context}`, async () => {
      const failures: string[] = [];
      for (const { key, action } of listed(context as Context)) {
        if (key === 'ctrl+c') continue; // quits from anywhere: the screens' walk presses it
        const overlay = setup.per?.[key] ?? setup.overlay;
        const why = await pressed(key, action, 'esxtop', overlay, setup.ui);
        if (why) failures.push(`${key} (${action}): ${why}`);
      }
      expect(failures).toEqual([]);
    });
  }
});

/** Key names as the footers spell them. */
const SPELLED: Record<string, string> = {
  Up: 'up',
  Down: 'down',
  Left: 'left',
  Right: 'right',
  Esc: 'escape',
  Enter: 'enter',
  Tab: 'tab',
  PgUp: 'pageup',
  PgDn: 'pagedown',
  Home: 'home',
  End: 'end',
};

describe('every key a footer names is bound where the footer is shown', () => {
  const cases: { context: Context; screen: Screen; overlay: Overlay | null }[] = [
    ...SCREENS.map((screen) => ({ context: screen as Context, screen, overlay: null })),
    ...Object.entries(OVERLAYS).map(([context, setup]) => ({
      context: context as Context,
      screen: 'esxtop' as Screen,
      overlay: setup.overlay,
    })),
  ];
  for (const { context, screen, overlay } of cases) {
    it(`on ${context}`, () => {
      const { c } = dashboard(screen, overlay, context === 'help' ? {} : { eventsBack: 0 });
      const lines = c.frame().map(plain);
      // The footers: the status line, and the lines of panels and panes that name keys (the help's
      // own text names every key there is: its footer is the line above the status line).
      const footers = context === 'help' ? [lines.at(-2) ?? ''] : lines;
      const named = footers
        .filter((l) => /\b(Esc|Enter|Up|Down|Left|Right|PgDn|Tab)\b/.test(l) || l === lines.at(-1))
        .flatMap((l) => l.match(/\b(Up|Down|Left|Right|Esc|Enter|Tab|PgUp|PgDn|Home|End)\b/g) ?? []);
      const unbound = [...new Set(named)].filter((k) => !listed(context).some((b) => b.key === SPELLED[k]));
      expect(unbound, lines.join('\n')).toEqual([]);
    });
  }
});
