/**
 * `memvisor batch --format xentop`: what `xentop -b` prints. Each sample is the domain table without
 * the summary lines and the key line (batch mode leaves both out, tools/xentop/xentop.c): the header row,
 * then each domain's row with its `Tmem:` line when a tmem counter is not zero; samples follow each
 * other with nothing between them, as xentop's do. The rows come from the dashboard's xentop renderer,
 * as plain text (batch mode has no reverse video or bold).
 *
 * CPU(%) is over the time since the previous sample, as xentop computes it, and 0.0 on the first.
 */
import type { GuestSnapshot, HostSnapshot } from '../engine/snapshot.ts';
import { plain } from '../render/text.ts';
import { DEFAULT_XEN_LAYOUT, type XenLayout, xentopTable } from '../render/xentop.ts';

/** Each guest's CPU % over the interval since `previous` (0 without one, or for a guest new since). */
function overInterval(s: HostSnapshot, previous: HostSnapshot | undefined): GuestSnapshot[] {
  const elapsed = previous === undefined ? 0 : s.t - previous.t;
  return s.guests.map((g) => {
    const before = previous?.guests.find((p) => p.GID === g.GID);
    const cpuPercent =
      before === undefined || elapsed <= 0 ? 0 : ((g.cpuSeconds - before.cpuSeconds) / elapsed) * 100;
    return { ...g, cpuPercent };
  });
}

/** One sample's lines, each ending in a newline. */
export function xentopBatchSample(
  s: HostSnapshot,
  previous: HostSnapshot | undefined,
  layout: XenLayout = { ...DEFAULT_XEN_LAYOUT, tmem: true },
): string {
  // Batch runs in simulated time: a clock paused by the timeline pauses no domain here.
  const snap: HostSnapshot = {
    ...s,
    guests: overInterval(s, previous),
    clock: { ...s.clock, paused: false },
  };
  const lines = xentopTable(snap, layout, {
    width: 0,
    height: Number.POSITIVE_INFINITY,
    top: 0,
    selectedGid: null,
  });
  return lines.map((l) => `${plain(l)}\n`).join('');
}
