import type { Session } from '../session/session.ts';

const COLS = [
  'GID',
  'name',
  'MEMSZ',
  'GRANT',
  'CNSM',
  'SZTGT',
  'MCTLSZ',
  'SWCUR',
  'CACHEUSD',
  'SHRD',
  'ZERO',
  'THRU',
] as const;

/**
 * A plain live text view: the host header and one line per guest, redrawn each simulated second.
 * `q` or Ctrl-C quits. Used where the full-screen dashboard cannot run (no terminal).
 */
export function runLiveText(session: Session): Promise<void> {
  return new Promise((resolve) => {
    const draw = (): void => {
      const s = session.snapshot;
      const h = s.host;
      const lines = [
        `memvisor  t=${s.t}s  seed ${s.seed}  ${s.personality}  state ${h.state}  free ${h.freeMB}/${h.totalMB} MB`,
        `PSHARE ${h.pshare.saving} MB saved  SWAP ${h.swap.curr} MB  ZIP ${h.zip.zipped} MB  MEMCTL ${h.memctl.curr} MB`,
        COLS.map((c) => c.padStart(9)).join(''),
        ...s.guests.map((g) => COLS.map((c) => String(g[c]).padStart(9)).join('')),
        ...s.events.slice(-5).map((e) => `${String(e.t).padStart(6)}s ${e.guest ?? ''} ${e.message}`),
      ];
      process.stdout.write(`\x1b[H\x1b[2J${lines.join('\n')}\n`);
    };
    const timer = setInterval(() => {
      session.tick();
      draw();
    }, 1000);
    const stop = (): void => {
      clearInterval(timer);
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
      process.stdin.pause();
      session.close();
      resolve();
    };
    if (process.stdin.isTTY) process.stdin.setRawMode(true);
    process.stdin.on('data', (d) => {
      const k = d.toString();
      if (k === 'q' || k === '\x03') stop();
    });
    process.on('SIGINT', stop);
    draw();
  });
}
