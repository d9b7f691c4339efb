/**
 * `memvisor experiment [NAME...] [--quick] [--format table|csv|json] [-o FILE]`: with no name, the
 * list of experiments; with names (or `all`), each runs and its table is printed: measured beside
 * published, with a verdict. An experiment's configurations run at once, each in a worker thread, as
 * many as the machine has cores; a progress bar goes to standard error on a terminal.
 */
import { accessSync, constants, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FORMATS, type Format, reportsCsv, reportsJson, reportTable } from '../experiment/render.ts';
import { plan, type Report, runExperimentInWorkers } from '../experiment/run.ts';
import { loadExperiment } from '../experiment/spec.ts';
import { wrap } from '../render/text.ts';
import { PRESET_DIR } from './presets.ts';
import { progressBar } from './progress.ts';
import { UsageError } from './usage-error.ts';

export const EXPERIMENT_DIR = join(PRESET_DIR, 'experiments');
/** Tables in files and pipes (and the README) are this wide; on a terminal, as wide as it is, up to this. */
const TABLE_WIDTH = 100;
const MIN_WIDTH = 60;

export interface ExperimentOptions {
  quick?: boolean;
  format: string;
  output?: string;
}

/** The shipped experiments, by name. */
export function experimentNames(): string[] {
  return readdirSync(EXPERIMENT_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'))
    .sort();
}

/** An experiment argument: a file, or the name of a shipped experiment. */
export function experimentPath(arg: string): string {
  if (arg.endsWith('.yaml') && existsSync(arg)) return arg;
  const shipped = join(EXPERIMENT_DIR, `${arg}.yaml`);
  if (existsSync(shipped)) return shipped;
  throw new UsageError(
    `experiment "${arg}": no such file, and no shipped experiment by that name (${experimentNames().join(', ')}, or all)`,
  );
}

export async function experimentCommand(names: string[], opts: ExperimentOptions): Promise<void> {
  if (!(FORMATS as readonly string[]).includes(opts.format))
    throw new UsageError(`experiment: --format: "${opts.format}" is not a format (${FORMATS.join(', ')})`);
  if (names.length === 0) {
    const rows = experimentNames().map((n) => [n, loadExperiment(experimentPath(n)).title]);
    const w = Math.max(...rows.map((r) => r[0].length));
    // Titles wrapped beside the names, to the terminal's width (or the table's in a pipe).
    const width = process.stdout.isTTY
      ? Math.max(MIN_WIDTH, process.stdout.columns ?? TABLE_WIDTH)
      : TABLE_WIDTH;
    for (const [n, title] of rows) {
      const [first, ...rest] = wrap(title, width - w - 2);
      console.log(`${n.padEnd(w)}  ${first}`);
      for (const l of rest) console.log(`${' '.repeat(w)}  ${l}`);
    }
    console.log('\nmemvisor experiment NAME (or all) runs it; --quick runs its short version.');
    return;
  }
  if (opts.output) writable(opts.output);
  const width =
    !opts.output && process.stdout.isTTY
      ? Math.max(MIN_WIDTH, Math.min(TABLE_WIDTH, process.stdout.columns ?? TABLE_WIDTH))
      : TABLE_WIDTH;
  const files = names.includes('all') ? experimentNames().map(experimentPath) : names.map(experimentPath);
  // Every file is checked before anything runs: a broken one is reported at once.
  const specs = files.map((f) => loadExperiment(f, opts.quick ?? false));
  const format = opts.format as Format;
  const reports: Report[] = [];
  const text: string[] = [];
  for (const spec of specs) {
    const total = plan(spec).reduce((a, j) => a + j.seconds, 0);
    const bar = progressBar(`experiment ${spec.name}`, total);
    // Ctrl-C: the bar is taken down and the run ends at once (its worker threads with it), status 130.
    const interrupted = (): void => {
      bar.stop();
      process.stderr.write(
        `experiment ${spec.name}: interrupted${opts.output ? `; ${opts.output} not written` : ''}\n`,
      );
      process.exit(130);
    };
    process.once('SIGINT', interrupted);
    let report: Report;
    try {
      report = await runExperimentInWorkers(spec, (done) => bar.update(done));
    } finally {
      process.off('SIGINT', interrupted);
      bar.stop();
    }
    reports.push(report);
    if (format === 'table') {
      const table = reportTable(report, width);
      if (opts.output) text.push(table);
      else process.stdout.write(`${reports.length > 1 ? '\n' : ''}${table}`);
    }
  }
  const out =
    format === 'csv' ? reportsCsv(reports) : format === 'json' ? reportsJson(reports) : text.join('\n');
  if (opts.output) writeFileSync(opts.output, out);
  else if (format !== 'table') process.stdout.write(out);
}

/** The output file can be written: checked before anything runs, so a long run is not lost at the end. */
function writable(file: string): void {
  const problem = (why: string): UsageError => new UsageError(`experiment: -o ${file}: ${why}`);
  if (existsSync(file) && statSync(file).isDirectory()) throw problem('is a directory');
  try {
    accessSync(existsSync(file) ? file : dirname(file) || '.', constants.W_OK);
  } catch {
    throw problem(existsSync(dirname(file) || '.') ? 'cannot be written' : 'no such directory');
  }
}
