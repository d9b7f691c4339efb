/**
 * docs/demo.cast is what scripts/demo.yaml records today, byte for byte. When a change of behaviour
 * changes the recording, `npm run demo` records it again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { recordScript } from '../../src/cli/record.ts';
import { readCast } from '../../src/output/asciicast-read.ts';
import { loadScript } from '../../src/scenario/script.ts';
import { ROOT } from '../cli.ts';

it('docs/demo.cast is a fresh recording of scripts/demo.yaml (npm run demo records it again)', async () => {
  const committed = readFileSync(join(ROOT, 'docs/demo.cast'), 'utf8');
  const fresh = await recordScript(loadScript(join(ROOT, 'scripts/demo.yaml')));
  readCast(fresh);
  if (fresh !== committed) {
    const a = committed.split('\n');
    const b = fresh.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    const at = (l: string | undefined): string => (l === undefined ? 'nothing' : l.slice(0, 60));
    expect.fail(
      `docs/demo.cast differs from a fresh recording from line ${line + 1} on (committed ${at(a[line])}, ` +
        `fresh ${at(b[line])}): run npm run demo`,
    );
  }
});
