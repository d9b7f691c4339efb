import type { GuestSnapshot, HostSnapshot } from '../engine/snapshot.ts';
import { hostCounters } from './host-counters.ts';

/**
 * The perfmon PDH-CSV that `esxtop -b` writes, so tools that read esxtop's batch files read ours:
 * every cell quoted, first header cell `(PDH-CSV 4.0) (UTC)(0)`, counters named
 * `\\<host>\Memory\...` and `\\<host>\Group Memory(<gid>:<name>)\...`, a timestamp cell first on each
 * row. Timestamps count simulated seconds from 01/01/2026 00:00:00 UTC, so runs are repeatable.
 * A guest's cells are empty while it is not powered on.
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
  ['PShare Shared MBytes', (s) => hostCounters(s).pshare?.shared ?? null],
  ['PShare Common MBytes', (s) => hostCounters(s).pshare?.common ?? null],
  ['PShare Savings MBytes', (s) => hostCounters(s).pshare?.saving ?? null],
  ['Swap Used MBytes', (s) => hostCounters(s).swap?.curr ?? null],
  ['Swap Target MBytes', (s) => hostCounters(s).swap?.rclmtgt ?? null],
  ['Swap MBytes Read/sec', (s) => hostCounters(s).swap?.readMBs ?? null],
  ['Swap MBytes Write/sec', (s) => hostCounters(s).swap?.writeMBs ?? null],
  ['Total Compressed MBytes', (s) => hostCounters(s).zip?.zipped ?? null],
  ['Total Saved By Compression MBytes', (s) => hostCounters(s).zip?.saved ?? null],
  ['Memctl Current MBytes', (s) => hostCounters(s).memctl?.curr ?? null],
  ['Memctl Target MBytes', (s) => hostCounters(s).memctl?.target ?? null],
  ['Memctl Max MBytes', (s) => hostCounters(s).memctl?.max ?? null],
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

/** A guest's columns: `Group Memory(<gid>:<name>)`. */
export interface CsvGuest {
  readonly gid: number;
  readonly name: string;
}

/**
 * The file a row at a time, for batch runs that write each sample when it is taken: the header names
 * the guests given at the start (those of the run, as far as they can be known). A sample's guest goes
 * in the columns of its GID and name, else of its name; one with no columns is left out and returned by
 * `row`, for the caller to say so.
 */
export class PdhCsvWriter {
  constructor(
    private readonly hostName: string,
    private readonly guests: readonly CsvGuest[],
  ) {}

  header(): string {
    const h = ['(PDH-CSV 4.0) (UTC)(0)', ...HOST_COUNTERS.map(([n]) => `\\\\${this.hostName}\\Memory\\${n}`)];
    for (const g of this.guests) {
      for (const [n] of GUEST_COUNTERS)
        h.push(`\\\\${this.hostName}\\Group Memory(${g.gid}:${g.name})\\${n}`);
    }
    return line(h);
  }

  /** The sample's row, and the guests it has no columns for. */
  row(s: HostSnapshot): { text: string; left: string[] } {
    const cells = [pdhTimestamp(s.t), ...HOST_COUNTERS.map(([, f]) => cell(f(s)))];
    const placed = this.guests.map((c) => s.guests.find((g) => g.GID === c.gid && g.name === c.name));
    // A guest whose GID was not foreseen (an add refused before it) takes the last free column of its name.
    for (const g of s.guests) {
      if (placed.includes(g)) continue;
      for (let k = this.guests.length - 1; k >= 0; k--) {
        if (this.guests[k].name === g.name && placed[k] === undefined) {
          placed[k] = g;
          break;
        }
      }
    }
    for (const snap of placed) for (const [, f] of GUEST_COUNTERS) cells.push(snap ? cell(f(snap)) : '');
    const left = s.guests.filter((g) => !placed.includes(g)).map((g) => g.name);
    return { text: line(cells), left };
  }
}

const line = (cells: readonly string[]): string => `${cells.map(quote).join(',')}\r\n`;

/** The whole file for these samples, host named `hostName`: a column for every guest seen over them. */
export function pdhCsv(samples: readonly HostSnapshot[], hostName: string): string {
  const guests: CsvGuest[] = [];
  for (const s of samples) {
    for (const g of s.guests)
      if (!guests.some((x) => x.gid === g.GID)) guests.push({ gid: g.GID, name: g.name });
  }
  const w = new PdhCsvWriter(hostName, guests);
  return w.header() + samples.map((s) => w.row(s).text).join('');
}
