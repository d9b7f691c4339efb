/**
 * MOM-style balloon rules, readable in a preset: `hostFree < 20% -> balloon +5%`. Each interval, for
 * each guest, the first rule whose condition holds moves the guest's balloon target by that share of
 * its memory (+ inflates, - deflates). Variables: hostFree (free host memory, % of the host) and
 * guestFree (free memory inside the guest, % of its memory).
 */
export interface MomRule {
  readonly text: string;
  readonly variable: 'hostFree' | 'guestFree';
  readonly op: '<' | '<=' | '>' | '>=';
  readonly value: number;
  /** Fraction of the guest's memory, signed: + inflates the balloon. */
  readonly step: number;
}

const RULE =
  /^\s*(hostFree|guestFree)\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?)%\s*->\s*balloon\s*([+-]\d+(?:\.\d+)?)%\s*$/;

/** Parses one rule; returns an error message naming what is wrong instead when it is not one. */
export function parseMomRule(text: string): MomRule | string {
  const m = RULE.exec(text);
  if (!m)
    return `"${text}" is not a rule: write like "hostFree < 20% -> balloon +5%" (hostFree or guestFree)`;
  return {
    text,
    variable: m[1] as MomRule['variable'],
    op: m[2] as MomRule['op'],
    value: Number(m[3]),
    step: Number(m[4]) / 100,
  };
}

export function holds(rule: MomRule, vars: { hostFree: number; guestFree: number }): boolean {
  const x = vars[rule.variable];
  switch (rule.op) {
    case '<':
      return x < rule.value;
    case '<=':
      return x <= rule.value;
    case '>':
      return x > rule.value;
    case '>=':
      return x >= rule.value;
  }
}
