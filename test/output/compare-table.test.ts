import { describe, expect, it } from 'vitest';
import { compareTable } from '../../src/output/compare-table.ts';
import type { PersonalityOutcome } from '../../src/session/compare.ts';

const ran: PersonalityOutcome = {
  personality: 'esx',
  guests: [
    {
      name: 'db1',
      thru: 1234.5,
      shared: 3,
      ballooned: 12.5,
      compressed: 0.25,
      swapped: 40,
      tmem: null,
      swapIoMB: 7,
    },
  ],
  states: { high: 200, soft: 90, hard: 10, low: 0 },
  warnings: [],
};
const refused: PersonalityOutcome = {
  personality: 'hyperv',
  guests: [],
  states: null,
  warnings: [],
  error: 'guest db1: add: db1: hyperv: startup memory does not fit',
};

describe('compare --table', () => {
  it('prints every number of a column in one format and n/a for what a product lacks', () => {
    const lines = compareTable([ran, refused], 300).split('\n');
    expect(lines).toContain(
      'esx               1235      3.00     12.50      0.25     40.00       n/a      7.00',
    );
  });

  it('gives a personality that could not run n/a for its time in each free state, not zeros', () => {
    const lines = compareTable([ran, refused], 300).split('\n');
    expect(lines).toContain(
      'hyperv: cannot run this preset: guest db1: add: db1: hyperv: startup memory does not fit',
    );
    expect(lines).toContain('esx                200        90        10         0');
    expect(lines).toContain('hyperv             n/a       n/a       n/a       n/a');
  });
});
