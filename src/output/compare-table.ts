import type { PersonalityOutcome } from '../session/compare.ts';

const COLUMNS = [
  'personality',
  'THRU',
  'shared',
  'balloon',
  'zipped',
  'swapped',
  'tmem',
  'swap I/O',
] as const;

/** The compare run as text: a table per guest, one row per personality, then time in each free state. */
export function compareTable(results: readonly PersonalityOutcome[], seconds: number): string {
  const lines: string[] = [
    `${seconds} simulated seconds per personality; MB averaged over the run, swap I/O in MB total; n/a: the product has no such mechanism`,
  ];
  const names = results.find((r) => !r.error)?.guests.map((g) => g.name) ?? [];
  for (const r of results) if (r.error) lines.push(`${r.personality}: cannot run this preset: ${r.error}`);
  // One format a column: MB with two decimals as esxtop prints them, throughput in whole operations.
  const cell = (v: number | null, i: number): string => (v === null ? 'n/a' : v.toFixed(i === 0 ? 0 : 2));
  for (const name of names) {
    lines.push('', name, COLUMNS.map((c, i) => (i === 0 ? c.padEnd(12) : c.padStart(10))).join(''));
    for (const r of results) {
      const g = r.guests.find((x) => x.name === name);
      if (!g) continue;
      const row = [g.thru, g.shared, g.ballooned, g.compressed, g.swapped, g.tmem, g.swapIoMB].map((v, i) =>
        cell(v, i).padStart(10),
      );
      lines.push(r.personality.padEnd(12) + row.join(''));
    }
  }
  lines.push(
    '',
    'seconds in each free state',
    `${'personality'.padEnd(12)}${['high', 'soft', 'hard', 'low'].map((s) => s.padStart(10)).join('')}`,
  );
  for (const r of results) {
    const states = r.states;
    lines.push(
      r.personality.padEnd(12) +
        (['high', 'soft', 'hard', 'low'] as const)
          .map((s) => (states === null ? 'n/a' : states[s].toFixed(0)).padStart(10))
          .join(''),
    );
  }
  return `${lines.join('\n')}\n`;
}
