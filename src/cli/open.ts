import { loadPreset } from '../scenario/preset.ts';
import { Session } from '../session/session.ts';

/** Loads a preset and builds its session; a bad preset throws PresetError with every problem in it. */
export function openSession(path: string, opts: { seed?: number }): Session {
  const preset = loadPreset(path);
  return new Session(preset, opts.seed === undefined ? {} : { seed: opts.seed });
}
