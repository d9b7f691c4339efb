import type { PolicyOptions } from '../config.ts';
import { esx } from './esx.ts';
import { hyperv } from './hyperv.ts';
import { kvm } from './kvm.ts';
import { type MomRule, parseMomRule } from './mom.ts';
import type { Personality } from './personality.ts';
import { psbm } from './psbm.ts';
import { xenTmem } from './xen-tmem.ts';
import { xenserver } from './xenserver.ts';

export const PERSONALITY_NAMES = ['esx', 'xenserver', 'xen-tmem', 'kvm', 'hyperv', 'psbm'] as const;
export type PersonalityName = (typeof PERSONALITY_NAMES)[number];

export const isPersonalityName = (name: string): name is PersonalityName =>
  (PERSONALITY_NAMES as readonly string[]).includes(name);

/** Builds a personality by name with its options; throws with a clear message for a bad name or rule. */
export function personalityOf(name: string, options: PolicyOptions): Personality {
  switch (name) {
    case 'esx':
      return esx;
    case 'xenserver':
      return xenserver;
    case 'xen-tmem':
      return xenTmem;
    case 'kvm':
      return kvm(options.mom.map(momRule));
    case 'hyperv':
      return hyperv(options.hypervBuffer);
    case 'psbm':
      return psbm;
    default:
      throw new Error(`unknown personality "${name}" (one of ${PERSONALITY_NAMES.join(', ')})`);
  }
}

function momRule(text: string): MomRule {
  const r = parseMomRule(text);
  if (typeof r === 'string') throw new Error(`mom rule: ${r}`);
  return r;
}

export type { Personality } from './personality.ts';
