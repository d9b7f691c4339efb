/**
 * The engine in a worker thread (see WorkerLink): builds the session the request names, runs its clock
 * here, and posts snapshots to the dashboard's thread, at most one every SNAPSHOT_MS and always the
 * newest, so the thread that draws and reads keys never waits for a tick.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CommandResult } from '../engine/commands.ts';
import { loadPreset } from '../scenario/preset.ts';
import { CompareSession } from './compare-session.ts';
import { LocalLink } from './link.ts';
import { Session } from './session.ts';
import { type FromWorker, type HostRequest, HostRequestError, type ToWorker } from './worker-link.ts';

/** Shortest gap between two snapshots posted: a screen draws no faster. */
const SNAPSHOT_MS = 30;

function open(req: HostRequest): { session: Session | CompareSession; warnings: string[] } {
  const preset = loadPreset(req.file);
  const seed = req.seed === undefined ? {} : { seed: req.seed };
  if (req.kind === 'single') {
    const session = new Session(preset, {
      ...seed,
      ...(req.personality === undefined ? {} : { personality: req.personality }),
      stepwisePowerOn: true,
    });
    return { session, warnings: session.warnings };
  }
  const refused: string[] = [];
  const sessions = req.personalities.flatMap((personality) => {
    try {
      return [new Session(preset, { ...seed, personality, stepwisePowerOn: true })];
    } catch (err) {
      refused.push(`${personality}: cannot run this preset: ${(err as Error).message}`);
      return [];
    }
  });
  if (sessions.length === 0)
    throw new HostRequestError(`compare: no personality can run this preset\n${refused.join('\n')}`);
  return { session: new CompareSession(sessions, refused), warnings: sessions.flatMap((s) => s.warnings) };
}

const port = parentPort!;
const post = (m: FromWorker): void => port.postMessage(m);
let opened: ReturnType<typeof open>;
try {
  opened = open(workerData as HostRequest);
} catch (err) {
  post({ type: 'failed', message: (err as Error).message, usage: err instanceof HostRequestError });
  process.exit(0);
}
const { session, warnings } = opened;
const link = new LocalLink(session, { clock: true });
let last = 0;
let timer: NodeJS.Timeout | undefined;
const publish = (): void => {
  timer = undefined;
  last = performance.now();
  post({ type: 'snapshot', snapshot: link.snapshot, compare: link.compare ?? null });
};
link.subscribe(() => {
  if (timer) return;
  const wait = SNAPSHOT_MS - (performance.now() - last);
  if (wait <= 0) publish();
  else timer = setTimeout(publish, wait);
});
port.on('message', (m: ToWorker) => {
  if (m.type === 'start') link.start();
  else if (m.type === 'send') {
    void link.send(m.text).then((result: CommandResult) => {
      // What the command changed is in the snapshot before its answer arrives.
      if (timer) clearTimeout(timer);
      publish();
      post({ type: 'result', id: m.id, result });
    });
  } else if (m.type === 'close') {
    if (timer) clearTimeout(timer);
    void link.close().then(() => {
      session.close();
      port.close();
    });
  }
});
post({ type: 'ready', snapshot: link.snapshot, compare: link.compare ?? null, warnings });
