import { loadPreset } from '../scenario/preset.ts';
import { Session } from '../session/session.ts';
import { type HostRequest, HostRequestError, WorkerLink } from '../session/worker-link.ts';
import { UsageError } from './usage-error.ts';

/**
 * Loads a preset and builds its session (guests powered on at once); a bad preset throws PresetError
 * with every problem in it. Settings the personality does not use are printed once as warnings.
 */
export function openSession(path: string, opts: OpenOptions): Session {
  const session = new Session(loadPreset(path), {
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    ...(opts.personality === undefined ? {} : { personality: opts.personality }),
  });
  for (const w of session.warnings) console.error(`warning: ${w}`);
  return session;
}

export interface OpenOptions {
  seed?: number;
  personality?: string;
}

/**
 * The dashboard's host: the preset is checked here (a bad one throws PresetError with every problem in
 * it, before any thread starts), then the host runs in a worker thread (see WorkerLink) so that keys and
 * frames never wait for a tick. Warnings are printed once, as for a session built here.
 */
export async function openWorkerLink(request: HostRequest): Promise<WorkerLink> {
  loadPreset(request.file);
  let link: WorkerLink;
  try {
    link = await WorkerLink.open(request);
  } catch (err) {
    if (err instanceof HostRequestError) throw new UsageError(err.message);
    throw err;
  }
  for (const w of link.warnings) console.error(`warning: ${w}`);
  return link;
}
