import { describe, expect, it } from 'vitest';
import type { HostSnapshot } from '../../src/engine/snapshot.ts';
import { History } from '../../src/render/history.ts';
import { plain } from '../../src/render/text.ts';
import { GUEST_PARTS, guestBar, type WallView, wallData } from '../../src/wall/data.ts';
import { wallLayout } from '../../src/wall/layout.ts';
import { guest, snapshot } from '../ui/fixtures.ts';

const view = (over: Partial<WallView> = {}): WallView => ({
  selectedGid: null,
  message: null,
  readOnly: null,
  keys: 'q quit',
  ...over,
});

function historyOf(...snaps: HostSnapshot[]): History {
  const h = new History();
  for (const s of snaps) h.record(s);
  return h;
}

// Conserved, as every real snapshot is: the frames by use add up to the total.
const hard = snapshot(
  { clock: { paused: true, speed: 1, achieved: null } },
  { state: 'hard', freeMB: 70.4, privateMB: 3777.6 },
);
const events = [
  { t: 3600, kind: 'state' as const, message: 'host entered soft state: free 3.9 % is under 4 %' },
  { t: 3725, kind: 'reclaim' as const, guest: 'vm1', message: 'ballooned 64 MB toward its target of 600 MB' },
];

describe('wallData', () => {
  const large = wallLayout(160, 48);
  const d = wallData(hard, historyOf(hard), events, view(), large);

  it('puts the free state and free memory on the big displays, coloured by state', () => {
    expect(d.stateLcd).toMatchObject({ text: 'HARD', role: 'hard', elements: 4 });
    // Free memory as esxtop's PMEM line prints it (whole MB), right-aligned on as many digits as the total.
    expect(d.freeLcd).toMatchObject({ text: '  70', role: 'hard', elements: 4 });
    expect(d.freeLcd.label).toBe('free MB: 1.7 % of 4096 MB');
  });

  it('lists the four thresholds with their MB and marks the state the host is in', () => {
    const lines = d.thresholds.lines.map(plain);
    expect(lines.slice(0, 4)).toEqual([
      '  high    6 %    246 MB',
      '  soft    4 %    164 MB',
      '▶ hard    2 %     82 MB',
      '  low     1 %     41 MB',
    ]);
    expect(d.thresholds.lines[2].spans[0].role).toBe('hard');
  });

  it('draws the free-memory chart from the history, with a flat line per threshold', () => {
    const later = snapshot({ t: 3726, tick: 3726 }, { freeMB: 50 });
    const c = wallData(later, historyOf(hard, later), [], view(), large).freeChart;
    expect(c.series.map((s) => s.title)).toEqual(['free', 'high', 'soft', 'hard', 'low']);
    expect(c.series[0].values).toEqual([70.4, 50]);
    expect(c.series[3].values).toEqual([81.92, 81.92]);
    expect(c.x).toEqual(['1:02:05', '1:02:06']);
  });

  it("shows the host's composition with the host pane's bar, and what was pushed out of RAM", () => {
    const lines = d.composition.lines.map(plain);
    const w = large.composition.width - 2;
    expect(lines[0]).toHaveLength(w);
    expect(lines.join('\n')).toContain('priv 3778 MB');
    expect(lines.join('\n')).toContain('ovhd 218 MB');
    expect(lines.join('\n')).toContain('ballooned 64 MB');
    expect(lines.join('\n')).toContain('swapped 0 MB');
  });

  it('lists each guest with its bar, consumed, target, limit and throughput; the first is selected', () => {
    const lines = d.guests.lines.map(plain);
    const row1 = lines.find((l) => l.startsWith('vm1 '))!;
    expect(row1).toMatch(/ 500\.25 +600\.00 +none +1234$/);
    const row2 = lines.find((l) => l.startsWith('web-server-l'))!;
    expect(row2).toMatch(/ 500\.25 +600\.00 +1536\.00 +1234$/);
    const selected = d.guests.lines.filter((l) => l.role === 'selected').map(plain);
    expect(selected).toEqual([row1]);
    expect(d.guests.label).toBe('guests (MB): vm1, 1 of 2');
  });

  it('shows the selected guest large: consumption against target and limit, then where its memory went', () => {
    const d2 = wallData(hard, historyOf(hard), [], view({ selectedGid: 2 }), large);
    const lines = d2.selected!.lines.map(plain);
    expect(lines[0]).toMatch(/^web-server-long-name {2}linux, 1 vCPU, running +1234 ops\/s/);
    const value = (label: string): string =>
      lines
        .find((l) => l.startsWith(label))!
        .trim()
        .split(/ +/)
        .pop()!;
    expect(value('consumed')).toBe('500.25');
    expect(value('target')).toBe('600.00');
    expect(value('limit')).toBe('1536.00');
    expect(value('memsz')).toBe('2048.00');
    expect(value('private')).toBe('492.50');
    expect(value('balloon')).toBe('n/a');
    // A bar's length is its share of the largest of memsz, target and limit.
    const bar = (label: string): number => (lines.find((l) => l.startsWith(label))!.match(/█/g) ?? []).length;
    expect(bar('memsz')).toBeGreaterThan(bar('limit'));
    expect(bar('limit')).toBeGreaterThan(bar('target'));
    expect(wallData(hard, historyOf(hard), [], view(), wallLayout(80, 24)).selected).toBeNull();
  });

  it('keeps the selected guest in view when there are more guests than rows', () => {
    const many = snapshot({
      guests: Array.from({ length: 64 }, (_, i) => guest({ GID: i + 1, name: `vm${i + 1}` })),
    });
    const small = wallLayout(80, 24);
    const g = wallData(many, historyOf(many), [], view({ selectedGid: 50 }), small).guests;
    const selected = g.lines.filter((l) => l.role === 'selected').map(plain);
    expect(selected).toHaveLength(1);
    expect(selected[0]).toMatch(/^vm50 /);
    expect(g.lines.length).toBeLessThanOrEqual(small.guests.height - 2);
    expect(g.label).toContain('vm50, 50 of 64');
  });

  it('falls back to the first guest when the selected one is gone, and copes with no guests', () => {
    expect(wallData(hard, historyOf(hard), [], view({ selectedGid: 99 }), large).selectedGid).toBe(1);
    const none = snapshot({ guests: [] });
    const e = wallData(none, historyOf(none), [], view(), large);
    expect(e.selectedGid).toBeNull();
    expect(e.selected).toBeNull();
    expect(e.guests.lines.map(plain)).toContain('no guests');
  });

  it('writes the event log in words, newest at the bottom, wrapped to the panel', () => {
    const narrow = wallLayout(80, 24);
    const log = wallData(hard, historyOf(hard), events, view(), narrow).log.lines.map(plain);
    expect(log[0]).toMatch(/^1:00:00 host entered soft/);
    const words = log.join(' ').replace(/ +/g, ' ');
    expect(words).toContain('1:00:00 host entered soft state: free 3.9 % is under 4 %');
    expect(words).toContain('1:02:05 vm1 ballooned 64 MB toward its target of 600 MB');
    expect(log.at(-1)!.trim()).toMatch(/600 MB$/);
    expect(log.length).toBeGreaterThan(2);
    for (const l of log) expect(l.length).toBeLessThanOrEqual(narrow.log.width - 2);
  });

  it('says on the status line that the host is paused, and why the wall cannot change it', () => {
    const s = plain(wallData(hard, historyOf(hard), [], view({ readOnly: 'attached to lab' }), large).status);
    expect(s).toMatch(
      /^ memvisor wall {2}PAUSED {2}t=1:02:05 {2}attached to lab {2}esx {2}1x {2}seed 42 {2}2 guests +q quit $/,
    );
    expect(s).toHaveLength(160);
    const narrow = plain(
      wallData(hard, historyOf(hard), [], view({ keys: 'q quit  space pause' }), wallLayout(80, 24)).status,
    );
    expect(narrow).toHaveLength(80);
    expect(narrow).toMatch(/^ memvisor wall {2}PAUSED {2}t=1:02:05 .* q quit {2}space pause $/);
    const refused = plain(
      wallData(
        hard,
        historyOf(hard),
        [],
        view({
          readOnly: 'attached to lab',
          message: 'read-only: attached to lab',
          keys: 'q quit  space pause  ←→ guest  t theme',
        }),
        wallLayout(80, 24),
      ).status,
    );
    expect(refused).toMatch(
      /^ PAUSED {2}t=1:02:05 {2}read-only: attached {2}q quit {2}space pause {2}←→ guest {2}t theme $/,
    );
  });

  it('fits every line into its panel at 80x24 and at 160x48', () => {
    for (const layout of [wallLayout(80, 24), large]) {
      const w = wallData(hard, historyOf(hard), events, view(), layout);
      const panels = [
        [w.thresholds, layout.thresholds],
        [w.composition, layout.composition],
        [w.guests, layout.guests],
        [w.log, layout.log],
        ...(w.selected && layout.selected ? [[w.selected, layout.selected] as const] : []),
      ] as const;
      for (const [p, r] of panels) {
        expect(p.lines.length).toBeLessThanOrEqual(r.height - 2);
        for (const l of p.lines) expect(plain(l).length).toBeLessThanOrEqual(r.width - 2);
        expect(p.label.length).toBeLessThanOrEqual(r.width - 4);
      }
    }
  });
});

describe('guestBar', () => {
  it('lays where the memory went end to end and marks the target and the limit', () => {
    const g = guest({
      GRANT: 400,
      SHRD: 100,
      CNSM: 350,
      CACHEUSD: 50,
      MCTLSZ: 200,
      SWCUR: 100,
      SZTGT: 500,
      AMAX: 800,
    });
    const text = guestBar(g, 1000, 20)
      .map((s) => s.text)
      .join('');
    // private 300, shared 0 (350 - 300 - 50), zip 50, balloon 200, swapped 100 of 1000 MB over 20 cells.
    // Target 500 and limit 800 MB end in cells 10 and 16.
    expect(text).toBe('██████▒░░|░▚▚··┃····');
    expect(GUEST_PARTS.map((p) => p.mb(g))).toEqual([300, 0, 50, 200, 100, 0]);
  });
});
