/**
 * The wall's keys: one table drives the key bindings, the status line and the README's list. The
 * wall only looks, so its keys are few: quit, pause (its own engine only), pick a guest, theme.
 */

export type WallAction = 'quit' | 'pause' | 'previous' | 'next' | 'theme';

export interface WallKey {
  readonly action: WallAction;
  /** blessed's key names. */
  readonly keys: readonly string[];
  /** How the status line names it ('' for a key listed with its neighbour). */
  readonly label: string;
}

export const WALL_KEYS: readonly WallKey[] = [
  { action: 'quit', keys: ['q', 'C-c'], label: 'q quit' },
  { action: 'pause', keys: ['space'], label: 'space pause' },
  { action: 'previous', keys: ['left', 'up'], label: '' },
  { action: 'next', keys: ['right', 'down'], label: '←→ guest' },
  { action: 'theme', keys: ['t'], label: 't theme' },
];

/** The keys as the status line lists them. */
export const KEYS_TEXT = WALL_KEYS.filter((k) => k.label)
  .map((k) => k.label)
  .join('  ');
