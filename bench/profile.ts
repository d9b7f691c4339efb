/**
 * Reading a V8 CPU profile (as `node --cpu-prof` writes it, or the inspector's Profiler returns it):
 * self time per function, and which functions are byte work (moving, hashing, compressing or storing
 * page bytes) rather than bookkeeping. The engine keeps each kind of byte work in a function of its
 * own for this (FramePool's zero/copyFrame/write/read, pagehash, content, the swap stores, lz4).
 */
export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

export interface Cost {
  name: string;
  seconds: number;
  byteWork: boolean;
}

const BYTE_FILES = ['engine/pagehash.ts', 'engine/content.ts', 'store/swapstore.ts', 'xxhash-wasm'];
const BYTE_FUNCTIONS: Record<string, readonly string[]> = {
  'engine/framepool.ts': ['zero', 'copyFrame', 'write', 'read', 'fill'],
  'reclaim/zipcache.ts': ['compressPage', 'decompressPage'],
};
/** Native functions behind node:fs reads and writes and the wasm hash. */
const BYTE_NATIVES = ['writeBuffer', 'readBuffer', 'writeBuffers', 'readBuffers', 'writeSync', 'readSync'];

export function isByteWork(f: CallFrame): boolean {
  if (BYTE_NATIVES.includes(f.functionName) || f.functionName.startsWith('wasm-function')) return true;
  if (BYTE_FILES.some((file) => f.url.endsWith(file) || f.url.includes(`/${file}/`))) return true;
  for (const [file, names] of Object.entries(BYTE_FUNCTIONS))
    if (f.url.endsWith(file) && names.includes(f.functionName)) return true;
  return false;
}

/**
 * Self time by function (seconds), largest first; the profiler's idle time left out. A native function
 * (no source: lz4's compressor, a builtin) is counted in the nearest caller that has source, so lz4's
 * time shows under the function that calls it.
 */
export function selfTimes(profile: CpuProfile): Cost[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const seconds = new Map<string, Cost>();
  profile.samples.forEach((leaf, i) => {
    let id: number | undefined = leaf;
    let f = byId.get(leaf)!.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)' || f.functionName === '(root)') return;
    const special = f.functionName.startsWith('(');
    while (!special && !f.url && !isByteWork(f) && id !== undefined && parent.has(id)) {
      const up = byId.get(parent.get(id)!)!.callFrame;
      if (up.functionName === '(root)') break;
      id = parent.get(id);
      f = up;
    }
    const file = f.url.split('/').slice(-2).join('/');
    const name = file ? `${f.functionName || '(anonymous)'} (${file})` : f.functionName;
    const c = seconds.get(name) ?? { name, seconds: 0, byteWork: isByteWork(f) };
    c.seconds += (profile.timeDeltas[i] ?? 0) / 1e6;
    seconds.set(name, c);
  });
  return [...seconds.values()].sort((a, b) => b.seconds - a.seconds);
}
