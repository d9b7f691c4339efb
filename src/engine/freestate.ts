import type { Thresholds } from './config.ts';
import type { FreeState } from './snapshot.ts';

const ORDER: readonly FreeState[] = ['high', 'soft', 'hard', 'low'];

/**
 * The host free-memory state, as the ESX papers define it: free memory falling below the soft, hard or
 * low threshold enters that state; the host goes back to the next higher state only once free memory
 * clears that state's upper threshold (from soft back to high free memory must reach the high threshold,
 * 6 %). So the four thresholds give three ways down and three ways up, with hysteresis built in.
 */
export function nextFreeState(prev: FreeState, freePercent: number, t: Thresholds): FreeState {
  const below = [Number.POSITIVE_INFINITY, t.soft, t.hard, t.low];
  const clear = [Number.POSITIVE_INFINITY, t.high, t.soft, t.hard];
  let i = ORDER.indexOf(prev);
  while (i < 3 && freePercent < below[i + 1]) i++;
  while (i > 0 && freePercent >= clear[i]) i--;
  return ORDER[i];
}

/** The state a host starts in with this much free memory. */
export const initialFreeState = (freePercent: number, t: Thresholds): FreeState =>
  nextFreeState('high', freePercent, t);
