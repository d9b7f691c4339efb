import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { guestsOfRun } from '../../src/cli/batch.ts';
import type { HostSnapshot } from '../../src/engine/snapshot.ts';
import { PdhCsvWriter, pdhCsv, pdhTimestamp } from '../../src/output/pdh-csv.ts';
import { parsePreset } from '../../src/scenario/preset.ts';
import { Session } from '../../src/session/session.ts';

const PRESET = [
  '# two guests for a short fixed run',
  'seed: 4',
  'host:',
  '  memory: 256MB',
  'guests:',
  '  - name: vm1',
  '    memsz: 128MB',
  '    workloads:',
  '      - type: database',
  '        size: 64MB',
  '  - name: vm2',
  '    memsz: 128MB',
  '    balloon: false',
  'timeline:',
  '  - at 2s: add vm3 memsz=64MB',
].join('\n');

/** The file as `batch` writes it, a row when each sample is taken: the header comes before any sample. */
function streamed(n: number): string {
  const session = new Session(parsePreset(PRESET, 'fixed.yaml'));
  try {
    const w = new PdhCsvWriter('memvisor', guestsOfRun(session, n));
    let text = w.header();
    for (let i = 0; i < n; i++) text += w.row(session.runUntil(session.host.t + 1)).text;
    return text;
  } finally {
    session.close();
  }
}

function samples(n: number): HostSnapshot[] {
  const session = new Session(parsePreset(PRESET, 'fixed.yaml'));
  try {
    return Array.from({ length: n }, () => session.runUntil(session.host.t + 1));
  } finally {
    session.close();
  }
}

describe('PDH-CSV as esxtop -b writes it', () => {
  const runs = samples(4);
  const text = pdhCsv(runs, 'memvisor');
  const rows: string[][] = parse(text, { relax_column_count: false });

  it('parses as CSV, every row as wide as the header', () => {
    expect(rows.length).toBe(5);
    for (const r of rows) expect(r.length).toBe(rows[0].length);
  });

  it('quotes every cell and ends lines as perfmon does', () => {
    const firstLine = text.split('\r\n')[0];
    expect(firstLine.startsWith('"(PDH-CSV 4.0) (UTC)(0)","\\\\memvisor\\Memory\\')).toBe(true);
    for (const line of text.trimEnd().split('\r\n')) expect(line).toMatch(/^"[^"]*"(,"[^"]*")*$/);
  });

  it('names every counter \\\\host\\Memory\\... or \\\\host\\Group Memory(gid:name)\\...', () => {
    const [first, ...counters] = rows[0];
    expect(first).toBe('(PDH-CSV 4.0) (UTC)(0)');
    for (const c of counters) expect(c).toMatch(/^\\\\memvisor\\(Memory|Group Memory\(\d+:vm\d\))\\[^\\]+$/);
    expect(counters).toContain('\\\\memvisor\\Memory\\Free MBytes');
    expect(counters).toContain('\\\\memvisor\\Group Memory(1:vm1)\\Memory Size MBytes');
    expect(counters).toContain('\\\\memvisor\\Group Memory(2:vm2)\\Memctl MBytes');
    // vm3 arrives at 2 s: it has columns, empty before it exists.
    const vm3 = counters.indexOf('\\\\memvisor\\Group Memory(3:vm3)\\Memory Size MBytes') + 1;
    expect(vm3).toBeGreaterThan(0);
    expect(rows[1][vm3]).toBe('');
    expect(rows[4][vm3]).toBe('64.00');
  });

  it('writes the snapshot values in the right columns', () => {
    const col = (name: string): number => rows[0].indexOf(`\\\\memvisor\\${name}`);
    runs.forEach((s, i) => {
      expect(rows[i + 1][0]).toBe(pdhTimestamp(s.t));
      expect(rows[i + 1][col('Memory\\Free MBytes')]).toBe(s.host.freeMB.toFixed(2));
      expect(rows[i + 1][col('Group Memory(1:vm1)\\Memory Consumed Size MBytes')]).toBe(
        s.guests[0].CNSM.toFixed(2),
      );
    });
  });

  it('is the same written a row at a time, with columns from the start for the guest the timeline adds', () => {
    expect(streamed(4)).toBe(text);
  });

  it('times rows from the simulated clock, so runs are repeatable', () => {
    expect(pdhTimestamp(0)).toBe('01/01/2026 00:00:00');
    expect(pdhTimestamp(3725)).toBe('01/01/2026 01:02:05');
    expect(pdhCsv(samples(4), 'memvisor')).toBe(text);
  });
});
