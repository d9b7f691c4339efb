import type { GuestSnapshot, HostSnapshot } from '../engine/snapshot.ts';

/**
 * The perfmon PDH-CSV that `esxtop -b` writes, so tools that read esxtop's batch files read ours:
 * every cell quoted, first header cell `(PDH-CSV 4.0) (UTC)(0)`, counters named
 * `\\<host>\Memory\...` and `\\<host>\Group Memory(<gid>:<name>)\...`, a timestamp cell first on each
 * row. Timestamps count simulated seconds from 01/01/2026 00:00:00 UTC, so runs are repeatable.
 * The columns are the union of the guests seen over the run; a guest's cells are empty while it is
 * not powered on.
 */
const EPOCH = Date.UTC(2026, 0, 1);

type Value = number | string | boolean | null;

const HOST_COUNTERS: [string, (s: HostSnapshot) => Value][] = [
  ['Memory Overcommit (1 Minute Avg)', (s) => s.host.overcommit[0]],
  ['Memory Overcommit (5 Minute Avg)', (s) => s.host.overcommit[1]],
  ['Memory Overcommit (15 Minute Avg)', (s) => s.host.overcommit[2]],
  ['Machine MBytes', (s) => s.host.totalMB],
  ['Kernel MBytes', (s) => s.host.vmkMB],
  ['NonKernel MBytes', (s) => s.host.totalMB - s.host.vmkMB - s.host.freeMB],
  ['Free MBytes', (s) => s.host.freeMB],
  ['Free Memory State', (s) => ['high', 'soft', 'hard', 'low'].indexOf(s.host.state)],
  ['PShare Shared MBytes', (s) => s.host.pshare.shared],
  ['PShare Common MBytes', (s) => s.host.pshare.common],
  ['PShare Savings MBytes', (s) => s.host.pshare.saving],
  ['Swap Used MBytes', (s) => s.host.swap.curr],
  ['Swap Target MBytes', (s) => s.host.swap.rclmtgt],
  ['Swap MBytes Read/sec', (s) => s.host.swap.readMBs],
  ['Swap MBytes Write/sec', (s) => s.host.swap.writeMBs],
  ['Total Compressed MBytes', (s) => s.host.zip.zipped],
  ['Total Saved By Compression MBytes', (s) => s.host.zip.saved],
  ['Memctl Current MBytes', (s) => s.host.memctl.curr],
  ['Memctl Target MBytes', (s) => s.host.memctl.target],
  ['Memctl Max MBytes', (s) => s.host.memctl.max],
];

const GUEST_COUNTERS: [string, (g: GuestSnapshot) => Value][] = [
  ['Memory Size MBytes', (g) => g.MEMSZ],
  ['Memory Granted Size MBytes', (g) => g.GRANT],
  ['Memory Consumed Size MBytes', (g) => g.CNSM],
  ['Target Size MBytes', (g) => g.SZTGT],
  ['Touched MBytes', (g) => g.TCHD],
  ['Touched Write MBytes', (g) => g.TCHD_W],
  ['% Active Estimate', (g) => g['%ACTV']],
  ['% Active Slow Estimate', (g) => g['%ACTVS']],
  ['% Active Fast Estimate', (g) => g['%ACTVF']],
  ['% Active Next Estimate', (g) => g['%ACTVN']],
  ['Memctl?', (g) => (g['MCTL?'] ? 1 : 0)],
  ['Memctl MBytes', (g) => g.MCTLSZ],
  ['Memctl Target MBytes', (g) => g.MCTLTGT],
  ['Memctl Max MBytes', (g) => g.MCTLMAX],
  ['Swapped MBytes', (g) => g.SWCUR],
  ['Swap Target MBytes', (g) => g.SWTGT],
  ['Swap Read MBytes/sec', (g) => g['SWR/s']],
  ['Swap Written MBytes/sec', (g) => g['SWW/s']],
  ['Compression Cache Size MBytes', (g) => g.CACHESZ],
  ['Compression Cache Used MBytes', (g) => g.CACHEUSD],
  ['Compressed MBytes/sec', (g) => g['ZIP/s']],
  ['Decompressed MBytes/sec', (g) => g['UNZIP/s']],
  ['Shared MBytes', (g) => g.SHRD],
  ['Zero MBytes', (g) => g.ZERO],
  ['Shared Saved MBytes', (g) => g.SHRDSVD],
  ['Copy-On-Write Hint MBytes', (g) => g.COWH],
  ['Overhead MBytes', (g) => g.OVHD],
  ['Reservation MBytes', (g) => g.AMIN],
  ['Limit MBytes', (g) => g.AMAX],
  ['Shares', (g) => g.ASHRS],
  ['Throughput Operations/sec', (g) => g.THRU],
];

const quote = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/** A value as esxtop prints it: two decimals; a counter the personality lacks is empty. */
const cell = (v: Value): string => {
  if (v === null) return '';
  if (typeof v === 'number') return v.toFixed(2);
  return String(v);
};

/** PDH-CSV timestamp: MM/DD/YYYY HH:MM:SS. */
export function pdhTimestamp(t: number): string {
  const d = new Date(EPOCH + Math.round(t * 1000));
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** The whole file for these samples, host named `hostName`. */
export function pdhCsv(samples: readonly HostSnapshot[], hostName: string): string {
  const guests: { gid: number; name: string }[] = [];
  for (const s of samples) {
    for (const g of s.guests)
      if (!guests.some((x) => x.gid === g.GID)) guests.push({ gid: g.GID, name: g.name });
  }
  const header = ['(PDH-CSV 4.0) (UTC)(0)', ...HOST_COUNTERS.map(([n]) => `\\\\${hostName}\\Memory\\${n}`)];
  for (const g of guests) {
    for (const [n] of GUEST_COUNTERS) header.push(`\\\\${hostName}\\Group Memory(${g.gid}:${g.name})\\${n}`);
  }
  const rows = samples.map((s) => {
    const row = [pdhTimestamp(s.t), ...HOST_COUNTERS.map(([, f]) => cell(f(s)))];
    for (const g of guests) {
      const snap = s.guests.find((x) => x.GID === g.gid);
      for (const [, f] of GUEST_COUNTERS) row.push(snap ? cell(f(snap)) : '');
    }
    return row;
  });
  return `${[header, ...rows].map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`;
}
