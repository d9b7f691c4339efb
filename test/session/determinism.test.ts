/**
 * Determinism, as a user meets it: the same preset and seed give the same batch output, byte for byte,
 * run after run (host swap, compression, sharing and tmem all moving pages, in batches, on real files).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSample } from '../../src/output/json.ts';
import { loadPreset } from '../../src/scenario/preset.ts';
import { Session } from '../../src/session/session.ts';

const fixtures = join(import.meta.dirname, '..', 'policy', 'fixtures');

/** The JSON lines `memvisor batch FILE -n SAMPLES -d 5` prints. */
function batchOutput(file: string, samples: number, personality?: string): string {
  const session = new Session(loadPreset(join(fixtures, file)), personality ? { personality } : {});
  try {
    const lines: string[] = [];
    let cursor = session.host.events.count;
    for (let i = 1; i <= samples; i++) {
      const s = session.runUntil(i * 5);
      lines.push(jsonSample(s, session.host.events.since(cursor)));
      cursor = session.host.events.count;
    }
    return lines.join('\n');
  } finally {
    session.close();
  }
}

describe('determinism', () => {
  it.each([
    ['overcommit.yaml', 'esx', 3],
    ['xen-tmem.yaml', 'xen-tmem', 2],
  ] as const)('%s under %s: two runs print the same JSON, byte for byte', (file, personality, samples) => {
    const first = batchOutput(file, samples, personality);
    expect(first.split('\n')).toHaveLength(samples);
    expect(batchOutput(file, samples, personality) === first).toBe(true);
  });
});
