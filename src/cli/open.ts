import { loadPreset } from '../scenario/preset.ts';
import { Session } from '../session/session.ts';

/**
 * Loads a preset and builds its session; a bad preset throws PresetError with every problem in it.
 * Settings the personality does not use are printed once as warnings.
 */
export function openSession(path: string, opts: { seed?: number; personality?: string }): Session {
  const preset = loadPreset(path);
  const session = new Session(preset, {
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    ...(opts.personality === undefined ? {} : { personality: opts.personality }),
  });
  for (const w of session.warnings) console.error(`warning: ${w}`);
  return session;
}
