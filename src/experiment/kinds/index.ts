/** The kinds of experiment, by the name an experiment file gives in `kind`. */
import { balloonVsSwap } from './balloon-vs-swap.ts';
import { idleTax } from './idle-tax.ts';
import { type AnyKind, erase } from './kind.ts';
import { limits } from './limits.ts';
import { KIND_NAMES, type KindName } from './names.ts';
import { parallelsOffice } from './parallels-office.ts';
import { sharing } from './sharing.ts';
import { tmem } from './tmem.ts';

const KINDS = {
  'balloon-vs-swap': erase(balloonVsSwap),
  'idle-tax': erase(idleTax),
  limits: erase(limits),
  'parallels-office': erase(parallelsOffice),
  sharing: erase(sharing),
  tmem: erase(tmem),
} as const satisfies Record<KindName, AnyKind>;

export { KIND_NAMES, type KindName };
export const kindOf = (name: KindName): AnyKind => KINDS[name];
