/** "Did you mean" hints for misspelt command names, keys, workload types and guest names. */

/** Levenshtein distance that also counts swapping two neighbours as one edit, the commonest typo ("memzs"). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/**
 * The choice nearest to `word`, if it is near enough to be a typo: one edit per three letters, at least one.
 * Further than that, a suggestion is more often wrong than helpful.
 */
export function closest(word: string, choices: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const choice of choices) {
    const distance = editDistance(word.toLowerCase(), choice.toLowerCase());
    const allowed = Math.max(1, Math.floor(Math.max(word.length, choice.length) / 3));
    if (distance <= allowed && distance < bestDistance) {
      best = choice;
      bestDistance = distance;
    }
  }
  return best;
}

/** The text for the parentheses after "unknown X": a suggestion when one is close, else every choice. */
export function hint(word: string, choices: readonly string[]): string {
  const near = closest(word, choices);
  return near === undefined ? `one of ${choices.join(', ')}` : `did you mean "${near}"?`;
}
