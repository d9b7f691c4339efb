/**
 * compare --table runs each personality in a worker thread of its own: its table must be byte for byte
 * the table of the same personalities run one after another in this thread.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareTable } from '../../src/output/compare-table.ts';
import { loadPreset } from '../../src/scenario/preset.ts';
import { comparePersonalities, comparePersonalitiesInParallel } from '../../src/session/compare.ts';

const file = join(import.meta.dirname, '..', 'policy', 'fixtures', 'overcommit.yaml');

describe('compare in parallel', () => {
  it('gives the serial table, byte for byte, whatever order the workers finish in', async () => {
    const personalities = ['kvm', 'esx'];
    const serial = comparePersonalities(loadPreset(file), personalities, 3, 11);
    const progress: number[] = [];
    const parallel = await comparePersonalitiesInParallel(
      file,
      personalities,
      3,
      11,
      (d) => progress.push(d),
      2,
    );
    expect(compareTable(parallel, 3) === compareTable(serial, 3)).toBe(true);
    expect(parallel.map((r) => r.personality)).toEqual(personalities);
    expect(progress.at(-1)).toBe(3 * personalities.length);
  }, 60_000);

  it('a worker that fails says why: the run rejects with its message', async () => {
    await expect(comparePersonalitiesInParallel(join(file, 'missing.yaml'), ['esx'], 1)).rejects.toThrow(
      'missing.yaml',
    );
  });
});
