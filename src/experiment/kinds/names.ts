/** The names of the kinds of experiment, as an experiment file gives them in `kind` (index.ts maps each to its kind). */
export const KIND_NAMES = [
  'balloon-vs-swap',
  'idle-tax',
  'limits',
  'parallels-office',
  'sharing',
  'tmem',
] as const;
export type KindName = (typeof KIND_NAMES)[number];
