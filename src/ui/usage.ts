/** The dashboard's own cost for its header: CPU % of one core and RSS, sampled with pidusage. */
import pidusage from 'pidusage';

export interface Usage {
  /** Percent of one core since the previous sample. */
  readonly cpu: number;
  readonly rssMB: number;
}

export type Sampler = () => Promise<Usage>;

export const pidusageSampler: Sampler = async () => {
  const s = await pidusage(process.pid);
  return { cpu: s.cpu, rssMB: s.memory / (1024 * 1024) };
};

/** Samples every `intervalMs` until the returned function is called; errors are skipped, not thrown. */
export function sampleUsage(
  onSample: (u: Usage) => void,
  intervalMs = 2000,
  sample: Sampler = pidusageSampler,
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const run = async (): Promise<void> => {
    try {
      const u = await sample();
      if (!stopped) onSample(u);
    } catch {
      // A failed sample leaves the last value shown.
    }
    if (!stopped) {
      timer = setTimeout(run, intervalMs);
      timer.unref();
    }
  };
  void run();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    if (sample === pidusageSampler) pidusage.clear();
  };
}
