import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { jsonSample } from '../../src/output/json.ts';
import { pdhCsv } from '../../src/output/pdh-csv.ts';
import { parsePreset } from '../../src/scenario/preset.ts';
import { Session } from '../../src/session/session.ts';

const PRESET = [
  '# one guest',
  'host:',
  '  memory: 128MB',
  'guests:',
  '  - name: vm1',
  '    memsz: 64MB',
].join('\n');

function sampleUnder(personality: string) {
  const session = new Session(parsePreset(PRESET, 'one.yaml'), { personality });
  try {
    return session.runUntil(2);
  } finally {
    session.close();
  }
}

describe('batch outputs for a mechanism the personality lacks', () => {
  it('JSON writes null for the host counters of what XenServer lacks, numbers for what it has', () => {
    const host = JSON.parse(jsonSample(sampleUnder('xenserver'), [])).host;
    expect(host.pshare).toBeNull();
    expect(host.swap).toBeNull();
    expect(host.zip).toBeNull();
    expect(host.memctl).toEqual(expect.objectContaining({ curr: expect.any(Number) }));
    expect(host.freeMB).toEqual(expect.any(Number));
  });

  it('JSON keeps every counter ESX has', () => {
    const host = JSON.parse(jsonSample(sampleUnder('esx'), [])).host;
    for (const k of ['pshare', 'swap', 'zip', 'memctl']) expect(host[k]).not.toBeNull();
  });

  it('PDH-CSV leaves the cells of what KVM lacks empty, as for a guest counter it lacks', () => {
    const [header, row] = parse(pdhCsv([sampleUnder('kvm')], 'memvisor')) as string[][];
    const cell = (name: string): string => row[header.findIndex((h) => h.endsWith(`\\Memory\\${name}`))];
    expect(cell('Total Compressed MBytes')).toBe('');
    expect(cell('Swap Used MBytes')).toMatch(/^\d+\.\d\d$/);
    expect(cell('PShare Shared MBytes')).toMatch(/^\d+\.\d\d$/);
  });
});
