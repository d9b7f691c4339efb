import { runWall } from '../wall/run.ts';
import { ownEngine } from '../wall/source.ts';
import { openSession } from './open.ts';
import { presetPath } from './presets.ts';

export interface WallCommandOptions {
  readonly seed?: number;
  readonly personality?: string;
  readonly theme: string;
  readonly color: boolean;
}

/** `memvisor wall [PRESET]`: the classroom board on a host of its own. */
export async function wallCommand(preset: string, opts: WallCommandOptions): Promise<void> {
  const session = openSession(presetPath(preset), opts);
  const source = ownEngine(session);
  try {
    await runWall(source, { theme: opts.theme, color: opts.color });
  } finally {
    await source.close();
  }
}
