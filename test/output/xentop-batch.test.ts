import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../src/cli/batch.ts';
import { xentopBatchSample } from '../../src/output/xentop-batch.ts';
import { loadPreset } from '../../src/scenario/preset.ts';
import { Session } from '../../src/session/session.ts';
import { guest, snapshot } from '../ui/fixtures.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

/** `memvisor batch fixtures/xentop-tmem.yaml -n 3 -d 1 --format xentop -o FILE`, in process. */
async function fixedRun(): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'memvisor-xentop-')), 'xentop.txt');
  const session = new Session(loadPreset(join(HERE, 'fixtures/xentop-tmem.yaml')));
  try {
    await runBatch(session, {
      samples: 3,
      delay: 1,
      format: 'xentop',
      hostName: 'memvisor',
      label: 'batch',
      output: out,
    });
  } finally {
    session.close();
  }
  return readFileSync(out, 'utf8');
}

describe('batch --format xentop, as xentop -b prints', () => {
  let text = '';
  let lines: string[] = [];
  beforeAll(async () => {
    text = await fixedRun();
    lines = text.split('\n').slice(0, -1);
  });

  it('matches the golden text of a short fixed run', async () => {
    await expect(text).toMatchFileSnapshot('golden/xentop-batch.txt');
  });

  it('is each sample’s header and domain rows, without summary or key line', () => {
    const headers = lines.filter((l) => l.startsWith('      NAME  STATE'));
    expect(headers).toHaveLength(3);
    expect(headers[0]).toBe(
      '      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) ' +
        'NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID',
    );
    expect(text).not.toMatch(/xentop - |domains:|Mem:|Delay {2}Networks/);
    expect(text).not.toContain('\x1b');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('prints a Tmem line under a domain only when a counter is not zero', () => {
    const tmem = lines.filter((l) => l.startsWith('Tmem:'));
    expect(tmem.length).toBeGreaterThan(0);
    for (const l of tmem) {
      expect(l).toMatch(
        /^Tmem: {2}Curr eph pages: +\d+ {3}Succ eph gets: +\d+ {3}Succ pers puts: +\d+ {3}Succ pers gets: +\d+$/,
      );
    }
    // The database guest puts nothing in tmem: no Tmem line after its row.
    const web = lines.findIndex((l) => l.startsWith('web-fronte'));
    expect(lines[web + 1]?.startsWith('Tmem:')).toBe(false);
  });

  it('gives CPU(%) over the interval since the previous sample, 0.0 on the first', () => {
    const dom1 = lines.filter((l) => l.startsWith('      dom1'));
    const cpu = dom1.map((l) => Number(l.slice(29, 35)));
    expect(cpu[0]).toBe(0);
    // dom1 has two vCPUs, both busy.
    expect(cpu[1]).toBeGreaterThan(150);
  });
});

describe('xentopBatchSample', () => {
  it('computes CPU % from the CPU seconds between two samples, 0 for a domain new since', () => {
    const before = snapshot({ t: 10, guests: [guest({ GID: 1, name: 'a', cpuSeconds: 4 })] });
    const after = snapshot({
      t: 15,
      guests: [guest({ GID: 1, name: 'a', cpuSeconds: 6.5 }), guest({ GID: 2, name: 'b', cpuSeconds: 3 })],
    });
    const rows = xentopBatchSample(after, before).split('\n');
    expect(rows[1].slice(29, 35)).toBe('  50.0');
    expect(rows[2].slice(29, 35)).toBe('   0.0');
  });
});
