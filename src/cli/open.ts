import { loadPreset, type Preset } from '../scenario/preset.ts';
import { Session } from '../session/session.ts';

/**
 * Loads a preset and builds its session; a bad preset throws PresetError with every problem in it.
 * Settings the personality does not use are printed once as warnings.
 */
export function openSession(path: string, opts: OpenOptions): Session {
  return openSessionFrom(loadPreset(path), opts);
}

export interface OpenOptions {
  seed?: number;
  personality?: string;
  /** The dashboard's: guests power on as the clock runs (see Session). */
  stepwisePowerOn?: boolean;
}

/** A session of an already loaded preset (compare mode opens one preset several times). */
export function openSessionFrom(preset: Preset, opts: OpenOptions): Session {
  const session = new Session(preset, {
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    ...(opts.personality === undefined ? {} : { personality: opts.personality }),
    stepwisePowerOn: opts.stepwisePowerOn ?? false,
  });
  for (const w of session.warnings) console.error(`warning: ${w}`);
  return session;
}
