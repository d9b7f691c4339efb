import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ESX_LAYOUT,
  esxClock,
  esxtopHeader,
  esxtopTable,
  esxUptime,
  sortGuests,
  visibleColumns,
} from '../../src/render/esxtop.ts';
import {
  DEFAULT_XEN_LAYOUT,
  stateLetters,
  tmemLine,
  vcpuLines,
  XEN_FIELDS,
  xentopKeyLine,
  xentopPage,
  xentopSummary,
  xentopTable,
} from '../../src/render/xentop.ts';
import { guest, snapshot, text } from './fixtures.ts';

describe('esxtop memory screen', () => {
  it('prints the header lines as esxtop lays them out', () => {
    expect(text(esxtopHeader(snapshot()))).toEqual([
      ' 1:02:05am up 1:02, 2 VMs, 2 vCPUs; MEM overcommit avg: 0.50, 0.25, 0.10',
      'PMEM  /MB:   4096   total:     61     vmk,  1987 other,   2048 free',
      'VMKMEM/MB:   4035 managed:   246 minfree,     24 rsvd,   4010 ursvd,  high state',
      'PSHARE/MB:      40  shared,      20  common:      20 saving',
      'SWAP  /MB:       0    curr,       0 rclmtgt:               0.00 r/s,   0.00 w/s',
      'ZIP   /MB:      20  zipped,      10   saved',
      'MEMCTL/MB:      64    curr,     128  target,    1331 max',
    ]);
  });

  it('reads n/a for the header counters of a mechanism the personality lacks', () => {
    const none = { sharing: false, balloon: false, zip: false, swap: false, tmem: false };
    expect(text(esxtopHeader(snapshot({ mechanisms: none }))).slice(3)).toEqual([
      'PSHARE/MB:     n/a  shared,     n/a  common:     n/a saving',
      'SWAP  /MB:     n/a    curr,     n/a rclmtgt:                n/a r/s,    n/a w/s',
      'ZIP   /MB:     n/a  zipped,     n/a   saved',
      'MEMCTL/MB:     n/a    curr,     n/a  target,     n/a max',
    ]);
  });

  it('names the free state and colours it by state', () => {
    const lines = esxtopHeader(snapshot({}, { state: 'low' }));
    const vmk = lines[2];
    expect(vmk.spans.at(-1)).toEqual({ text: 'low state', role: 'low' });
  });

  it('prints clock and uptime like esxtop', () => {
    expect(esxClock(0)).toBe('12:00:00am');
    expect(esxClock(13 * 3600 + 61)).toBe('1:01:01pm');
    expect(esxUptime(59)).toBe('0 min');
    expect(esxUptime(50 * 60)).toBe('50 min');
    expect(esxUptime(3 * 3600 + 7 * 60)).toBe('3:07');
    expect(esxUptime(2 * 86400 + 3 * 3600 + 7 * 60)).toBe('2 days 3:07');
  });

  it('prints every column with n/a for a missing mechanism and -1 for no limit', () => {
    const lines = text(
      esxtopTable(snapshot(), DEFAULT_ESX_LAYOUT, {
        width: 100,
        height: 5,
        selectedGid: 1,
        top: 0,
        hscroll: 0,
      }),
    );
    expect(lines[0]).toBe(
      '   GID NAME                 MEMSZ     GRANT      CNSM     SZTGT      TCHD    TCHD_W  %ACTV %ACTVS %ACTVF %ACTVN ' +
        'MCTL?    MCTLSZ   MCTLTGT   MCTLMAX     SWCUR     SWTGT   SWR/s   SWW/s   CACHESZ  CACHEUSD   ZIP/s UNZIP/s ' +
        '     SHRD      ZERO   SHRDSVD      COWH     OVHD     AMIN     AMAX    ASHRS      THRU',
    );
    expect(lines[1].trimEnd()).toBe('     0 system                         61.44     61.44');
    expect(lines[2]).toBe(
      '     1 vm1                1024.00    512.50    500.25    600.00    100.00     50.00     12     11     13     10 ' +
        '    Y     64.00    128.00    665.60      0.00      0.00    0.00    0.00    102.40     10.00    0.00    0.00 ' +
        '    20.00      5.00     15.00      1.00    12.24        0       -1    10240      1234',
    );
    expect(lines[3]).toBe(
      '     2 web-server-long-   2048.00    512.50    500.25    600.00    100.00     50.00     12     11     13     10 ' +
        '    N       n/a    128.00    665.60       n/a      0.00    0.00    0.00    102.40     10.00    0.00    0.00 ' +
        '    20.00      5.00     15.00      1.00    12.24        0     1536    10240      1234',
    );
  });

  it('shows chosen groups, VMs only, sorted by MEMSZ descending', () => {
    const layout = {
      ...DEFAULT_ESX_LAYOUT,
      visible: 'ABCILNO',
      vmsOnly: true,
      sort: { column: 'MEMSZ', desc: true },
    };
    const lines = text(
      esxtopTable(snapshot(), layout, { width: 140, height: 5, selectedGid: null, top: 0, hscroll: 0 }),
    );
    expect(lines).toEqual([
      '   GID NAME                 MEMSZ MCTL?    MCTLSZ   MCTLTGT   MCTLMAX      SHRD      ZERO   SHRDSVD      COWH     AMIN     AMAX    ASHRS      THRU',
      '     2 web-server-long-   2048.00     N       n/a    128.00    665.60     20.00      5.00     15.00      1.00        0     1536    10240      1234',
      '     1 vm1                1024.00     Y     64.00    128.00    665.60     20.00      5.00     15.00      1.00        0       -1    10240      1234',
    ]);
  });

  it('keeps GID and NAME when scrolling sideways', () => {
    const layout = { ...DEFAULT_ESX_LAYOUT, visible: 'ABCDE', vmsOnly: true };
    const lines = text(
      esxtopTable(snapshot(), layout, { width: 60, height: 3, selectedGid: null, top: 0, hscroll: 2 }),
    );
    expect(lines[0].trimEnd()).toBe('   GID NAME                  CNSM');
    expect(lines[1]).toBe('     1 vm1                 500.25');
  });

  it('marks the sort column and the selected guest', () => {
    const table = esxtopTable(
      snapshot(),
      { ...DEFAULT_ESX_LAYOUT, vmsOnly: true },
      { width: 400, height: 4, selectedGid: 2, top: 0, hscroll: 0 },
    );
    expect(table[0].spans.find((s) => s.role === 'sortHeader')?.text.trim()).toBe('GID');
    expect(table[1].role).toBeUndefined();
    expect(table[2].role).toBe('selected');
  });

  it('shows a window of the guests from `top`', () => {
    const guests = Array.from({ length: 10 }, (_, i) => guest({ GID: i + 1, name: `g${i + 1}` }));
    const lines = text(
      esxtopTable(
        snapshot({ guests }),
        { ...DEFAULT_ESX_LAYOUT, visible: 'AB', vmsOnly: true },
        { width: 30, height: 4, selectedGid: null, top: 5, hscroll: 0 },
      ),
    );
    expect(lines.map((l) => l.trim())).toEqual(['GID NAME', '6 g6', '7 g7', '8 g8']);
  });

  it('sorts n/a last either way, names case-insensitively', () => {
    const a = guest({ GID: 1, name: 'b', SWCUR: 5 });
    const b = guest({ GID: 2, name: 'A', SWCUR: null });
    const c = guest({ GID: 3, name: 'c', SWCUR: 9 });
    expect(sortGuests([a, b, c], { column: 'SWCUR', desc: true }).map((g) => g.GID)).toEqual([3, 1, 2]);
    expect(sortGuests([a, b, c], { column: 'SWCUR', desc: false }).map((g) => g.GID)).toEqual([1, 3, 2]);
    expect(sortGuests([a, b, c], { column: 'NAME', desc: false }).map((g) => g.name)).toEqual([
      'A',
      'b',
      'c',
    ]);
  });

  it('has every column the issue names', () => {
    const ids = visibleColumns(DEFAULT_ESX_LAYOUT).map((c) => c.id);
    for (const id of 'GID NAME MEMSZ GRANT CNSM SZTGT TCHD TCHD_W %ACTV MCTL? MCTLSZ MCTLTGT MCTLMAX SWCUR SWTGT SWR/s SWW/s CACHESZ CACHEUSD ZIP/s UNZIP/s SHRD ZERO SHRDSVD COWH OVHD AMIN AMAX ASHRS THRU'.split(
      ' ',
    ))
      expect(ids).toContain(id);
  });
});

describe('xentop screen', () => {
  const xenGuest = guest({
    GID: 3,
    name: 'xen3',
    'Curr eph pages': 120,
    'Succ eph gets': 5,
    state: 'blocked',
    vcpus: 2,
  });
  const snap = (() => {
    const s = snapshot({}, { tmemMB: 8 });
    return snapshot({ guests: [...s.guests, xenGuest] }, { tmemMB: 8 });
  })();

  it('prints the three summary lines, with freeable memory when tmem holds some', () => {
    expect(text(xentopSummary(snap))).toEqual([
      'xentop - 01:02:05   memvisor esx',
      '3 domains: 2 running, 1 blocked, 0 paused, 0 crashed, 0 dying, 0 shutdown ',
      'Mem: 4194304k total, 2097152k used, 2097152k free, 8192k freeable, CPUs: n/a',
    ]);
    expect(text(xentopSummary(snapshot()))[2]).toBe(
      'Mem: 4194304k total, 2097152k used, 2097152k free    CPUs: n/a',
    );
  });

  it('prints the columns at their widths, no limit and n/a, zeros for devices the guests lack, and the Tmem line', () => {
    expect(
      text(xentopTable(snap, DEFAULT_XEN_LAYOUT, { width: 162, height: 10, top: 0, selectedGid: null })),
    ).toEqual([
      '      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID',
      '       vm1 -----r         42   55.5     524800   12.5   no limit       n/a     1    0        0        0    0        0        0        0          0          0    0',
      'web-server -----r         42   55.5     524800   12.5    1572864      37.5     1    0        0        0    0        0        0        0          0          0    0',
      '      xen3 --b---         42   55.5     524800   12.5   no limit       n/a     2    0        0        0    0        0        0        0          0          0    0',
      'Tmem:  Curr eph pages:      120   Succ eph gets:        5   Succ pers puts:        0   Succ pers gets:        0',
    ]);
  });

  it('gives each field the width xentop gives it', () => {
    expect(XEN_FIELDS.map((f) => `${f.header}:${f.width}`).join(' ')).toBe(
      'NAME:10 STATE:6 CPU(sec):10 CPU(%):6 MEM(k):10 MEM(%):6 MAXMEM(k):10 MAXMEM(%):9 VCPUS:5 NETS:4 NETTX(k):8 ' +
        'NETRX(k):8 VBDS:4 VBD_OO:8 VBD_RD:8 VBD_WR:8 VBD_RSECT:10 VBD_WSECT:10 SSID:4',
    );
  });

  it('spells states from dsbcpr', () => {
    expect(stateLetters(guest({ state: 'running' }))).toBe('-----r');
    expect(stateLetters(guest({ state: 'blocked' }))).toBe('--b---');
    expect(stateLetters(guest({ state: 'paused' }))).toBe('----p-');
    expect(stateLetters(guest({ state: 'faulted' }))).toBe('---c--');
  });

  it('prints the Tmem line only when a counter is not zero (n/a counts as zero)', () => {
    expect(tmemLine(guest())).toBeNull();
    expect(
      tmemLine(
        guest({
          'Curr eph pages': null,
          'Succ eph gets': null,
          'Succ pers puts': null,
          'Succ pers gets': null,
        }),
      ),
    ).toBeNull();
    expect(text([tmemLine(guest({ 'Succ pers gets': 3 }))!])[0]).toBe(
      'Tmem:  Curr eph pages:        0   Succ eph gets:        0   Succ pers puts:        0   Succ pers gets:        3',
    );
  });

  it('sorts on the next column with S: numbers descending', () => {
    const s = snapshot({
      guests: [guest({ GID: 1, name: 'a', GRANT: 10 }), guest({ GID: 2, name: 'b', GRANT: 20 })],
    });
    const rows = text(
      xentopTable(
        s,
        { ...DEFAULT_XEN_LAYOUT, sortField: 4 },
        { width: 20, height: 5, top: 0, selectedGid: null },
      ),
    );
    expect(rows.slice(1).map((r) => r.trim().split(/\s+/)[0])).toEqual(['b', 'a']);
  });

  it('repeats the header before each domain and adds VCPUs lines when asked', () => {
    const layout = { ...DEFAULT_XEN_LAYOUT, repeatHeader: true, vcpus: true, tmem: false };
    const rows = text(xentopTable(snap, layout, { width: 20, height: 30, top: 0, selectedGid: null }));
    expect(rows.filter((r) => r.trimStart().startsWith('NAME'))).toHaveLength(3);
    expect(rows[2]).toBe('VCPUs(sec):   0:         42s');
    expect(text(vcpuLines(guest({ vcpus: 6, cpuSeconds: 60 })))).toEqual([
      'VCPUs(sec):   0:         10s  1:         10s  2:         10s  3:         10s  4:         10s',
      '          5:         10s',
    ]);
  });

  it('stops at the screen height and scrolls from the first domain shown', () => {
    const page = xentopPage(snap, DEFAULT_XEN_LAYOUT, { width: 20, height: 3, top: 1, selectedGid: null });
    expect(page.gids).toEqual([2, 3]);
    expect(page.lines).toHaveLength(3);
  });

  it('prints the bottom key line', () => {
    expect(text([xentopKeyLine(DEFAULT_XEN_LAYOUT)])[0]).toBe(
      '  Delay  Networks  vBds  Tmem  VCPUs  Repeat header  Sort order  Quit  ',
    );
    const on = xentopKeyLine({ ...DEFAULT_XEN_LAYOUT, networks: true });
    expect(on.spans.find((s) => s.text === 'etworks')?.role).toBe('keyActive');
    expect(on.spans.find((s) => s.text === 'N')?.role).toBe('key');
  });
});
