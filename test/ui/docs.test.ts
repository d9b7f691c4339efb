import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { helpSections } from '../../src/ui/keys.ts';

const doc = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../docs/dashboard.md'), 'utf8');

describe('docs/dashboard.md', () => {
  it('lists every key of the key table, as the help overlay does', () => {
    for (const s of helpSections()) {
      for (const r of s.rows) {
        const row = `| ${r.keys.replace(/\|/g, '\\|')} | ${r.help.replace(/\|/g, '\\|')} |`;
        expect(doc, `${s.title}: ${r.keys}`).toContain(row);
      }
    }
  });
});
