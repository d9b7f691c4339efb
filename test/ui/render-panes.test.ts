import { describe, expect, it } from 'vitest';
import { brailleArea, chartBlock } from '../../src/render/braille.ts';
import { COMPARE_PANE_WIDTH, compareScreen } from '../../src/render/compare.ts';
import { detailPane } from '../../src/render/detail.ts';
import { DEFAULT_ESX_LAYOUT } from '../../src/render/esxtop.ts';
import { eventLines, eventsPane } from '../../src/render/events.ts';
import { freeStateGauge, gaugePosition, hostSegments, stackedBar } from '../../src/render/gauge.ts';
import { History } from '../../src/render/history.ts';
import { hostPane } from '../../src/render/host.ts';
import { clip, line, lineWidth, mbScale, plain, skip, span, wrap } from '../../src/render/text.ts';
import { renderFrame } from '../../src/ui/frame.ts';
import { KEYS } from '../../src/ui/keys.ts';
import { fieldsPane, helpLines } from '../../src/ui/panels.ts';
import { initialUi, type UiState } from '../../src/ui/state.ts';
import { snapshot, text } from './fixtures.ts';

describe('braille chart', () => {
  it('draws an area, newest sample at the right, two samples a cell', () => {
    // 4 samples in 2 cells, 1 row (4 dots high): 0 -> bottom dot only, max -> full column.
    expect(brailleArea([0, 1, 2, 4], 2, 1, { min: 0, max: 4 })).toEqual(['\u28c0\u28fc']);
    expect(brailleArea([4, 4], 1, 2, { min: 0, max: 4 })).toEqual(['\u28ff', '\u28ff']);
  });

  it('leaves gaps for missing samples and pads short histories on the left', () => {
    expect(brailleArea([Number.NaN, 4], 2, 1, { min: 0, max: 4 })).toEqual(['\u2800\u28b8']);
  });

  it('is exactly width cells by height rows', () => {
    const rows = brailleArea(
      Array.from({ length: 500 }, (_, i) => Math.sin(i / 10)),
      17,
      3,
    );
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r).toHaveLength(17);
  });

  it('titles a chart with its latest value and scale', () => {
    const block = chartBlock(
      { title: 'free', now: '12 MB', values: [1, 2, 3], role: 'memFree', maxLabel: (m) => `max ${m}` },
      20,
      2,
    );
    expect(text(block)[0]).toBe('free 12 MB     max 3');
    expect(block).toHaveLength(3);
  });
});

describe('free-state gauge and composition', () => {
  it('spreads the thresholds over the left of the gauge', () => {
    expect(gaugePosition(0, 6)).toBe(0);
    expect(gaugePosition(12, 6)).toBeCloseTo(0.6);
    expect(gaugePosition(100, 6)).toBe(1);
    expect(gaugePosition(6, 6)).toBeCloseTo(0.3);
  });

  it('says the state, draws the bar and marks the four thresholds', () => {
    const s = snapshot({}, { state: 'soft', freeMB: 150 });
    const lines = text(freeStateGauge(s.host, 42));
    expect(lines[0]).toBe(
      'free state SOFT  3.7 % free (150 MB of 4096 MB)   thresholds: high 6%  soft 4%  hard 2%  low 1%',
    );
    expect(lines[1]).toMatch(/^\[█+·+\]$/);
    expect(lines[1]).toHaveLength(42);
    expect((lines[2].match(/\^/g) ?? []).length).toBe(5);
    expect(lines[3]).toContain('1%');
    expect(lines[3]).toContain('6%');
  });

  it('splits host memory into cells that add up to the width, with a legend', () => {
    const s = snapshot();
    const lines = text(stackedBar(hostSegments(s.host), s.host.totalMB, 40));
    expect(lines[0]).toHaveLength(40);
    expect(lines.slice(1).join(' ')).toContain('private 1800 MB');
    expect(lines.slice(1).join(' ')).toContain('free 2048 MB (50%)');
  });
});

describe('panes', () => {
  const h = new History();
  const s = snapshot();
  h.record(s);
  h.record({ ...s, tick: s.tick + 1 });

  it('host pane: gauge, composition and charts, exactly its height', () => {
    const lines = text(hostPane(s, h, 100, 30));
    expect(lines).toHaveLength(30);
    expect(lines[0]).toContain('Host esx');
    expect(lines.join('\n')).toContain('free state HIGH');
    expect(lines.join('\n')).toContain('compression cache');
    expect(lines.join('\n')).toMatch(/throughput .* ops\/s/);
  });

  it('host pane: no chart or legend for what the personality lacks (ESX has no tmem)', () => {
    const esx = snapshot({
      mechanisms: { sharing: true, balloon: true, zip: true, swap: true, tmem: false },
    });
    const lines = text(hostPane(esx, h, 100, 40)).join('\n');
    expect(lines).not.toMatch(/tmem/);
    expect(lines).toContain('compression cache');
    const kvm = snapshot({
      mechanisms: { sharing: true, balloon: true, zip: false, swap: true, tmem: false },
    });
    expect(text(hostPane(kvm, h, 100, 40)).join('\n')).not.toMatch(/compression cache|tmem/);
  });

  it('detail pane: charts, the guest OS view, settings and workloads, narrow and wide', () => {
    for (const width of [80, 160]) {
      const lines = text(detailPane(s, s.guests[0], h, width, 40)).join('\n');
      expect(lines).toContain('vm1');
      for (const word of ['consumed', 'balloon', 'swapped', 'shared', 'compressed', 'tmem', 'throughput'])
        expect(lines).toContain(word);
      expect(lines).toContain('Inside the guest');
      expect(lines).toContain('page cache');
      expect(lines).toContain('guest swap 0 MB of 512 MB');
      expect(lines).toContain('storage pages read 12/s  written 3/s');
      expect(lines).toContain('since power-on 1234 read, 56 written, 7 swapped in');
      expect(lines).toContain('database');
    }
    expect(text(detailPane(s, undefined, h, 80, 5))[0]).toContain('gone');
  });

  it('event log: time, kind, guest and the reason in words, wrapped', () => {
    const events = [
      { t: 61, kind: 'state' as const, message: 'free memory 3.9 %: high -> soft (thresholds 6/4/2/1 %)' },
      {
        t: 62,
        kind: 'reclaim' as const,
        guest: 'vm1',
        message: 'balloon: target 53 MB because soft state and consumed is over target',
      },
    ];
    const lines = text(eventLines(events, 61));
    expect(lines[0]).toBe('  0:01:01 state               free memory 3.9 %: high -> soft');
    expect(lines[1]).toBe(`${' '.repeat(30)}(thresholds 6/4/2/1 %)`);
    expect(lines[2].startsWith('  0:01:02 reclaim  vm1        balloon:')).toBe(true);
    const pane = text(eventsPane(events, 60, 3, 0));
    expect(pane).toHaveLength(3);
    expect(pane[2]).toContain('over target');
  });

  it('help lists every binding of the key table', () => {
    const all = text(helpLines(120)).join('\n');
    for (const b of KEYS) expect(all).toContain(b.help);
  });

  it("esxtop's field screen shows the order, hidden groups in lower case", () => {
    const lines = text(fieldsPane({ ...DEFAULT_ESX_LAYOUT, visible: 'ABD' }, 'fields', 20));
    expect(lines[0]).toBe('Current Field order: ABcDefghijklmno');
    expect(lines[2]).toBe('* A:  GID     = Group Id');
    expect(lines[4]).toBe('  C:  MEMSZ   = MEM Size (MB)');
  });
});

describe('frames', () => {
  const ui: UiState = { ...initialUi('esxtop'), selectedGid: 1 };
  const h = new History();
  h.record(snapshot());

  it('is exactly rows - 1 lines of at most cols cells on every screen, at 80x24 and larger', () => {
    for (const [cols, rows] of [
      [80, 24],
      [160, 45],
      [40, 8],
    ]) {
      for (const screen of ['esxtop', 'xentop', 'host', 'events', 'detail', 'compare'] as const) {
        const lines = renderFrame({
          snap: snapshot(),
          ui: { ...ui, screen },
          history: h,
          events: [],
          usage: null,
          cols,
          rows,
          compare: {
            hosts: [snapshot(), snapshot({ personality: 'kvm' })],
            refused: ['hyperv: cannot run this preset: no room'],
          },
        });
        expect(lines, `${screen} ${cols}x${rows}`).toHaveLength(rows - 1);
        for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(cols);
      }
    }
  });

  it('shows whole key hints at 80 columns, help first and quit last, none cut off', () => {
    const frame = (cols: number): string[] =>
      text(
        renderFrame({
          snap: snapshot(),
          ui,
          history: h,
          events: [],
          usage: null,
          cols,
          rows: 24,
          compare: null,
        }),
      );
    const narrow = (frame(80).at(-1) ?? '').trimEnd();
    expect(narrow).toMatch(/^h help {2}.* {2}q quit$/);
    const wide = (frame(200).at(-1) ?? '').trimEnd();
    // Every hint shown at 80 columns is one of the full line's, whole.
    for (const hint of narrow.split(/ {2}/)) expect(wide.split(/ {2}/)).toContain(hint);
    expect(wide).toMatch(/^h help {2}: command {2}a add .* {2}m esxtop {2}q quit$/);
  });

  it("names every host's personality in the header on the compare screen, the first host's elsewhere", () => {
    const head = (screen: 'compare' | 'esxtop'): string =>
      text(
        renderFrame({
          snap: snapshot(),
          ui: { ...ui, screen },
          history: h,
          events: [],
          usage: null,
          cols: 120,
          rows: 30,
          compare: { hosts: [snapshot(), snapshot({ personality: 'kvm' })], refused: [] },
        }),
      )[0];
    expect(head('compare')).toMatch(/seed \d+ {2}esx,kvm {2}/);
    expect(head('esxtop')).toMatch(/seed \d+ {2}esx {2}/);
  });

  it('says the speed asked and the speed achieved when the engine cannot keep up', () => {
    const head = (clock: object): string =>
      text(
        renderFrame({
          snap: snapshot({ clock }),
          ui,
          history: h,
          events: [],
          usage: null,
          cols: 140,
          rows: 24,
          compare: null,
        }),
      )[0];
    expect(head({ paused: false, speed: 100, achieved: 31.4 })).toContain('speed 100x asked, 31x running');
    expect(head({ paused: false, speed: 10, achieved: 9.6 })).toMatch(/speed 10x {2}seed/);
    expect(head({ paused: false, speed: 'max', achieved: 2.46 })).toContain('speed max, 2.5x running');
    expect(head({ paused: true, speed: 100, achieved: null })).toMatch(/speed 100x {2}seed .* PAUSED/);
  });

  it('scrolls the help with a last line saying there is more and how to scroll', () => {
    const frameOf = (scroll: number): string[] =>
      text(
        renderFrame({
          snap: snapshot(),
          ui: { ...ui, overlay: { kind: 'help', scroll } },
          history: h,
          events: [],
          usage: null,
          cols: 80,
          rows: 24,
          compare: null,
        }),
      );
    const top = frameOf(0);
    const total = helpLines(80).length;
    expect(top.at(-2)).toBe(`── lines 1-20 of ${total} ── more below: Down PgDn End scroll, Esc closes`);
    const end = frameOf(1e9);
    expect(end.at(-2)).toBe(
      `── lines ${total - 19}-${total} of ${total} ── the end: Up PgUp Home scroll back, Esc closes`,
    );
  });

  it('heads every frame with time, speed, seed, personality and the dashboard cost', () => {
    const lines = text(
      renderFrame({
        snap: snapshot({ clock: { paused: true, speed: 10, achieved: null } }),
        ui,
        history: h,
        events: [],
        usage: { cpu: 1.23, rssMB: 85.4 },
        cols: 100,
        rows: 24,
        compare: null,
      }),
    );
    expect(lines[0]).toMatch(
      /^ memvisor {2}t=1:02:05 {2}speed 10x {2}seed 42 {2}esx {3}PAUSED +delay 2s {2}ui 1\.2% cpu 85MB rss $/,
    );
    expect(lines[0]).toHaveLength(100);
    expect(lines[22]).toContain('h help');
  });

  it('ends the xentop screen with its key line', () => {
    const lines = text(
      renderFrame({
        snap: snapshot(),
        ui: { ...ui, screen: 'xentop' },
        history: h,
        events: [],
        usage: null,
        cols: 100,
        rows: 24,
        compare: null,
      }),
    );
    expect(lines[22]).toBe('  Delay  Networks  vBds  Tmem  VCPUs  Repeat header  Sort order  Quit  ');
    expect(lines[1]).toBe('xentop - 01:02:05   memvisor esx');
  });
});

describe('text helpers', () => {
  it('fits, skips and wraps', () => {
    const l = line(span('abc', 'title'), 'def');
    expect(plain(clip(l, 4))).toBe('abcd');
    expect(plain(clip(l, 8, true))).toBe('abcdef  ');
    expect(plain(skip(l, 4))).toBe('ef');
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('tops a chart in MB so that a small peak never reads as zero', () => {
    expect(mbScale(0.03)).toBe('0.03');
    expect(mbScale(9.5)).toBe('9.50');
    expect(mbScale(1536.4)).toBe('1536');
  });
});

describe('the compare screen', () => {
  it('puts each personality in a pane of its own, side by side when they fit, n/a for what one lacks', () => {
    const esx = snapshot();
    const xen = snapshot({ personality: 'xenserver' });
    const xenGuests = xen.guests.map((g) => ({ ...g, SWCUR: null, SHRD: null }));
    const lines = text(compareScreen([esx, { ...xen, guests: xenGuests }], 2 * COMPARE_PANE_WIDTH + 2, 20));
    expect(lines).toHaveLength(20);
    expect(lines[0].startsWith('esx')).toBe(true);
    expect(lines[0].slice(COMPARE_PANE_WIDTH + 2).startsWith('xenserver')).toBe(true);
    const row = lines.findIndex((l) => l.startsWith(esx.guests[0].name));
    expect(row).toBeGreaterThan(2);
    expect(lines[row].slice(0, COMPARE_PANE_WIDTH)).not.toContain('n/a');
    expect(lines[row].slice(COMPARE_PANE_WIDTH + 2)).toContain('n/a');
  });

  it('stacks the panes when the terminal is too narrow for two', () => {
    const lines = text(compareScreen([snapshot(), snapshot({ personality: 'kvm' })], COMPARE_PANE_WIDTH, 40));
    const kvm = lines.findIndex((l) => l.startsWith('kvm'));
    expect(lines[0].startsWith('esx')).toBe(true);
    expect(kvm).toBeGreaterThan(3);
  });

  it('sums a pane up in one format, n/a for a mechanism the product lacks (not 0)', () => {
    const esx = snapshot();
    const kvm = snapshot({
      personality: 'kvm',
      mechanisms: { sharing: true, balloon: true, zip: false, swap: true, tmem: false },
    });
    const lines = text(compareScreen([esx, kvm], COMPARE_PANE_WIDTH, 40));
    expect(lines[1]).toBe('MB: shared 20  balloon 64  zip 20  swap 0  tmem n/a');
    const at = lines.findIndex((l) => l.startsWith('kvm'));
    expect(lines[at + 1]).toBe('MB: shared 20  balloon 64  zip n/a  swap 0  tmem n/a');
    const row = lines.find((l) => l.startsWith('vm1')) ?? '';
    // CNSM 500.25 and MCTLSZ 64 alike in whole MB, THRU in thousands.
    expect(row).toMatch(/^vm1 +500 +600 +64 +0 +0 +20 +0 +1\.2k$/);
  });

  it('says under the panes which personalities could not run the preset, and why', () => {
    const why =
      'hyperv: cannot run this preset: guest build1: startup memory and overhead 777 MB does not fit';
    const lines = text(compareScreen([snapshot()], 60, 30, [why]));
    const at = lines.findIndex((l) => l.startsWith('hyperv: cannot run this preset'));
    expect(at).toBeGreaterThan(3);
    expect(`${lines[at]} ${lines[at + 1]}`.replace(/\s+/g, ' ').trim()).toBe(why);
  });
});
