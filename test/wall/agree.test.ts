/**
 * The wall and the dashboard never disagree on a number for the same host and time: every number
 * the wall shows for a snapshot of a host under pressure is read back off the wall's text and found,
 * as the same number, where the dashboard's screens (esxtop, the host pane, the event log) show it.
 */
import { describe, expect, it } from 'vitest';
import type { HostSnapshot } from '../../src/engine/snapshot.ts';
import { DEFAULT_ESX_LAYOUT, ESX_GROUPS, esxtopHeader, esxtopTable } from '../../src/render/esxtop.ts';
import { eventLines } from '../../src/render/events.ts';
import { EventFeed, History } from '../../src/render/history.ts';
import { hostPane } from '../../src/render/host.ts';
import { plain } from '../../src/render/text.ts';
import { type WallData, wallData } from '../../src/wall/data.ts';
import { wallLayout } from '../../src/wall/layout.ts';
import { session, workload } from '../ui/fixtures.ts';

const num = (s: string): number => Number(s);

/** esxtop's table as rows of cells by column name (the hypervisor's own row left out). */
function esxtopRows(snap: HostSnapshot): Map<string, Record<string, string>> {
  const layout = { ...DEFAULT_ESX_LAYOUT, visible: ESX_GROUPS.map((g) => g.letter).join(''), vmsOnly: true };
  const lines = esxtopTable(snap, layout, {
    width: 400,
    height: 100,
    selectedGid: null,
    top: 0,
    hscroll: 0,
  }).map(plain);
  const head = lines[0].trim().split(/\s+/);
  const rows = new Map<string, Record<string, string>>();
  for (const l of lines.slice(1)) {
    const cells = l.trim().split(/\s+/);
    rows.set(cells[1], Object.fromEntries(head.map((h, i) => [h, cells[i]])));
  }
  return rows;
}

describe('the wall and the dashboard', () => {
  it('show the same numbers for the same snapshot of a host under pressure', () => {
    const s = session(
      [
        { name: 'db1', memszMB: 96, extra: workload('memhog', '64MB') },
        { name: 'app1', memszMB: 96, extra: `limit: 48MB\n${workload('memhog', '64MB')}` },
        { name: 'web1', memszMB: 96, extra: workload('memhog', '64MB') },
      ],
      160,
    );
    const history = new History();
    const feed = new EventFeed();
    s.subscribe((x) => {
      history.record(x);
      feed.record(x);
    });
    try {
      s.runUntil(3);
      const snap = s.snapshot;
      // Pressure: something was reclaimed, so the numbers are not all zero.
      expect(snap.host.memctl.curr + snap.host.swap.curr + snap.host.zip.zipped).toBeGreaterThan(0);
      const layout = wallLayout(160, 48);
      const walls: WallData[] = snap.guests.map((g) =>
        wallData(
          snap,
          history,
          feed.all(),
          { selectedGid: g.GID, message: null, readOnly: null, keys: '' },
          layout,
        ),
      );
      const w = walls[0];

      // Host: esxtop's header lines and the host pane.
      const header = esxtopHeader(snap).map(plain).join('\n');
      const pane = hostPane(snap, history, 160, 48).map(plain).join('\n');
      expect(num(w.freeLcd.text)).toBe(num(header.match(/(\d+) free/)![1]));
      expect(w.stateLcd.text.toLowerCase()).toBe(header.match(/(\w+) state/)![1]);
      expect(w.freeLcd.label.match(/([\d.]+) %/)![1]).toBe(pane.match(/([\d.]+) % free/)![1]);
      const thresholds = w.thresholds.lines.map(plain);
      const wallMB = (st: string): number =>
        num(thresholds.find((l) => l.includes(` ${st} `))!.match(/(\d+) MB/)![1]);
      const wallPct = (st: string): number =>
        num(thresholds.find((l) => l.includes(` ${st} `))!.match(/ ([\d.]+) %/)![1]);
      expect(wallMB('high')).toBe(num(header.match(/(\d+) minfree/)![1]));
      for (const st of ['high', 'soft', 'hard', 'low'])
        expect(wallPct(st)).toBe(num(pane.match(new RegExp(`${st} ([\\d.]+)%`))![1]));
      // Host memory by use: the legend's numbers are the host pane's legend's.
      const comp = w.composition.lines.map(plain).join(' ');
      for (const [wallLabel, paneLabel] of [
        ['priv', 'private'],
        ['shr', 'shared'],
        ['zip', 'compression cache'],
        ['tmem', 'tmem'],
        ['ovhd', 'overhead'],
        ['free', 'free'],
      ]) {
        const inPane = pane.match(new RegExp(`${paneLabel} ([\\d.]+ [MG]B)`));
        // A mechanism the personality lacks is on neither.
        if (!inPane) {
          expect(comp).not.toMatch(new RegExp(`${wallLabel} \\d`));
          continue;
        }
        expect(comp.match(new RegExp(`${wallLabel} ([\\d.]+ [MG]B)`))![1]).toBe(inPane[1]);
      }
      expect(num(comp.match(/ballooned (\d+) MB/)![1])).toBe(
        Math.round(num(header.match(/MEMCTL\/MB: +(\d+)/)![1])),
      );
      expect(num(comp.match(/swapped (\d+) MB/)![1])).toBe(num(header.match(/SWAP {2}\/MB: +(\d+)/)![1]));
      // The chart's newest point is the host pane's free chart's "now".
      const free = w.freeChart.series[0].values;
      expect(free.at(-1)!.toFixed(2)).toBe(pane.match(/free (\d+\.\d\d) MB/)![1]);

      // Guests: each row of the wall's list and each guest shown large, against esxtop's columns.
      const rows = esxtopRows(snap);
      const list = w.guests.lines.map(plain);
      for (const [i, g] of snap.guests.entries()) {
        const e = rows.get(g.name)!;
        const row = list
          .find((l) => l.startsWith(`${g.name} `))!
          .trim()
          .split(/\s+/);
        const [cnsm, sztgt, limit, thru] = row.slice(-4);
        expect(num(cnsm)).toBe(num(e.CNSM));
        expect(num(sztgt)).toBe(num(e.SZTGT));
        expect(limit === 'none' ? -1 : num(limit)).toBe(num(e.AMAX));
        expect(num(thru)).toBe(num(e.THRU));
        const large = walls[i].selected!.lines.map(plain);
        const value = (label: string): string =>
          large
            .find((l) => l.startsWith(label))!
            .trim()
            .split(/\s+/)
            .pop()!;
        expect(num(value('consumed'))).toBe(num(e.CNSM));
        expect(num(value('target'))).toBe(num(e.SZTGT));
        expect(num(value('memsz'))).toBe(num(e.MEMSZ));
        expect(num(value('balloon'))).toBe(num(e.MCTLSZ));
        expect(num(value('swapped'))).toBe(num(e.SWCUR));
        expect(num(value('zip'))).toBe(num(e.CACHEUSD));
        expect(large[0]).toContain(`${num(e.THRU)} ops/s`);
      }

      // The event log says the same things in the same words.
      const dash = eventLines(feed.all(), 400).map(plain);
      for (const l of w.log.lines.map(plain)) {
        const m = l.match(/^(\d+:\d\d:\d\d) (?:(\S+) )?(.*)$/);
        if (!m) continue; // a wrapped continuation
        expect(dash.some((d) => d.includes(m[1]) && d.includes(m[3].slice(0, 20)))).toBe(true);
      }
    } finally {
      s.close();
    }
  });
});
