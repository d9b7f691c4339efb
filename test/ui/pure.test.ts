/**
 * The dashboard's pure parts as data: the line editor, navigation `(ui, snapshot, geometry) -> patch`,
 * and the action table (a handler returns a patch and an effect, and sends nothing itself).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ESX_LAYOUT } from '../../src/render/esxtop.ts';
import { type ActionState, HANDLERS } from '../../src/ui/actions.ts';
import { editLine, emptyLine, remember } from '../../src/ui/line-editor.ts';
import { fixSelection, keepVisible, move } from '../../src/ui/navigation.ts';
import { helpLines, helpPane } from '../../src/ui/panels.ts';
import { initialUi, type UiState } from '../../src/ui/state.ts';
import { guest, snapshot } from './fixtures.ts';

const ui: UiState = {
  ...initialUi('esxtop'),
  selectedGid: 1,
  esx: { ...DEFAULT_ESX_LAYOUT, sort: { column: 'GID', desc: false } },
};
const many = snapshot({
  guests: Array.from({ length: 30 }, (_, i) => guest({ GID: i + 1, name: `g${i + 1}` })),
});
const geo = { cols: 120, bodyHeight: 20, events: 0 };

describe('the line editor', () => {
  const ctx = { history: ['limit a 1GB', 'pause'], snap: snapshot() };
  it('types, moves and erases at the cursor', () => {
    let l = editLine(emptyLine(), 'insert', 'lmit', ctx);
    l = editLine({ ...l, cursor: 1 }, 'insert', 'i', ctx);
    expect(l).toMatchObject({ text: 'limit', cursor: 2 });
    l = editLine(editLine(l, 'cursorEnd', '', ctx), 'erase', '', ctx);
    expect(l).toMatchObject({ text: 'limi', cursor: 4 });
  });

  it('walks the history and comes back to the line being typed', () => {
    let l = editLine(emptyLine(), 'insert', 'st', ctx);
    l = editLine(l, 'historyPrev', '', ctx);
    expect(l.text).toBe('pause');
    l = editLine(editLine(l, 'historyPrev', '', ctx), 'historyNext', '', ctx);
    expect(l.text).toBe('pause');
    expect(editLine(l, 'historyNext', '', ctx).text).toBe('st');
  });

  it('keeps each line run once, the newest last', () => {
    expect(remember(['a', 'b'], 'b')).toEqual(['a', 'b']);
    expect(remember(['a', 'b'], 'a')).toEqual(['a', 'b', 'a']);
    expect(remember(['a', 'b', 'c'], 'd', 3)).toEqual(['b', 'c', 'd']);
  });
});

describe('navigation', () => {
  it('moves the selection by one, a page, or to the ends, and keeps it on screen', () => {
    expect(move(ui, many, geo, 'down')).toEqual({ selectedGid: 2 });
    const page = move(ui, many, geo, 'pageDown').selectedGid ?? 0;
    expect(page).toBeGreaterThan(5);
    expect(move(ui, many, geo, 'last')).toEqual({ selectedGid: 30 });
    const top = keepVisible({ ...ui, selectedGid: 30 }, many, geo).esxTop ?? 0;
    expect(top).toBeGreaterThan(10);
    expect(keepVisible({ ...ui, selectedGid: 30, esxTop: top }, many, geo)).toEqual({});
  });

  it('moves to the first guest shown when the selected one is gone', () => {
    expect(fixSelection({ ...ui, selectedGid: 99 }, many)).toEqual({ selectedGid: 1 });
    expect(fixSelection(ui, many)).toEqual({});
  });

  it('scrolls the help within its length, and the event log back from the newest', () => {
    const help = move({ ...ui, overlay: { kind: 'help', scroll: 0 } }, many, geo, 'last');
    expect(help.overlay?.kind === 'help' && help.overlay.scroll).toBeGreaterThan(0);
    expect(move({ ...ui, screen: 'events' }, many, { ...geo, events: 10 }, 'up')).toEqual({ eventsBack: 1 });
  });

  it('pages through the help showing every line once (PgDn from the top to the end)', () => {
    const text = (l: { spans: readonly { text: string }[] }): string => l.spans.map((s) => s.text).join('');
    const all = helpLines(geo.cols).map(text);
    let state: UiState = { ...ui, overlay: { kind: 'help', scroll: 0 } };
    const seen: string[] = [];
    for (let guard = 0; guard < all.length; guard++) {
      const scroll = state.overlay?.kind === 'help' ? state.overlay.scroll : 0;
      const page = helpPane(geo.cols, geo.bodyHeight, scroll).slice(0, -1).map(text);
      const from = seen.length - scroll; // lines of this page already seen on the previous one
      seen.push(...page.slice(from));
      const next = { ...state, ...move(state, many, geo, 'pageDown') };
      if (next.overlay?.kind === 'help' && next.overlay.scroll === scroll) break;
      expect(next.overlay?.kind === 'help' && next.overlay.scroll).toBeLessThanOrEqual(seen.length);
      state = next;
    }
    expect(seen).toEqual(all);
  });
});

describe('the action table', () => {
  const state: ActionState = { ui, shown: many, latest: many, geometry: geo, compare: false };

  it('gives a command as an effect for the controller to send, with what to do with the answer', () => {
    const out = HANDLERS.pause.run(state);
    expect(out.effect).toMatchObject({ kind: 'send', steps: [{ command: 'pause' }] });
    expect(HANDLERS.pause.changes).toBe(true);
  });

  it('says compare mode needs memvisor compare when there is no compare', () => {
    expect(HANDLERS.screenCompare.run(state).patch?.message?.text).toMatch(/memvisor compare/);
    expect(HANDLERS.screenCompare.run({ ...state, compare: true }).patch).toEqual({
      screen: 'compare',
    });
  });
});
