/**
 * The soak run: the property tests' random mixes (test/reclaim), run until at least ACCESSES program
 * reads have been verified against what the programs wrote (default 10^7). Every run checks
 * conservation after every tick and command, every page-cache read and write, and at the end peeks
 * every page of every program wherever it is. Then, each in a process of its own, the default preset
 * runs for a simulated hour and its heap and RSS must stay flat (bench/soak-memory.ts), and a 2 GiB
 * trace is checked and replayed in bounded memory (bench/soak-trace.ts). `--parts` picks the parts.
 *
 *   node --import tsx bench/soak.ts [accesses] [--seed N] [--victims all|random|lru,...] [--keep-going]
 *                                   [--parts data,memory,trace]
 *   node --import tsx bench/soak.ts --replay N      (one run: the plan drawn with seed N)
 *
 * Exit status: 0 all verified and every path taken; 1 a read returned other bytes than last written
 * (DataLossError); 2 any other failure (conservation, a crash); 3 a page path was never taken; 4 the
 * heap or RSS grew over the simulated hour; 5 the trace's replay did not stay in bounded memory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { VICTIM_POLICIES, type VictimPolicy } from '../src/engine/config.ts';
import { DataLossError } from '../src/engine/process.ts';
import {
  addPaths,
  emptyPaths,
  type PathCounts,
  type Plan,
  planArb,
  REQUIRED_PATHS,
  runPlan,
} from '../test/reclaim/helpers.ts';

const PARTS = ['data', 'memory', 'trace'] as const;
type Part = (typeof PARTS)[number];

interface Options {
  accesses: number;
  seed: number;
  victims: readonly VictimPolicy[];
  keepGoing: boolean;
  replay: number | null;
  parts: readonly Part[];
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    accesses: 10_000_000,
    seed: Date.now() % 2 ** 31,
    victims: VICTIM_POLICIES,
    keepGoing: false,
    replay: null,
    parts: PARTS,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--seed') o.seed = int(value(), a);
    else if (a === '--replay') o.replay = int(value(), a);
    else if (a === '--keep-going') o.keepGoing = true;
    else if (a === '--parts') {
      const list = value().split(',');
      for (const p of list)
        if (!(PARTS as readonly string[]).includes(p)) usage(`--parts: unknown part "${p}"`);
      o.parts = list as Part[];
    } else if (a === '--victims') {
      const v = value();
      const list = v === 'all' ? [...VICTIM_POLICIES] : v.split(',');
      for (const p of list)
        if (!(VICTIM_POLICIES as readonly string[]).includes(p)) usage(`--victims: unknown policy "${p}"`);
      o.victims = list as VictimPolicy[];
    } else if (/^\d+(e\d+)?$/.test(a)) o.accesses = int(a, 'accesses');
    else usage(`unknown argument "${a}"`);
  }
  return o;
}

function int(s: string, what: string): number {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 0) usage(`${what}: "${s}" is not a whole number`);
  return n;
}

function usage(why: string): never {
  console.error(`soak: ${why}`);
  console.error(
    'usage: soak.ts [accesses] [--seed N] [--victims all|random|lru,...] [--keep-going] [--replay N] [--parts data,memory,trace]',
  );
  process.exit(64);
}

/** The plan for one run, drawn from the property tests' arbitrary with its own seed (so it can be replayed). */
const planFor = (seed: number, victims: readonly VictimPolicy[]): Plan =>
  fc.sample(planArb({ victims, maxSteps: 16 }), { seed, numRuns: 1 })[0];

interface Failure {
  seed: number;
  kind: 'data loss' | 'other';
  message: string;
}

const opts = parseArgs(process.argv.slice(2));
const dir = mkdtempSync(join(tmpdir(), 'memvisor-soak-'));
const paths: PathCounts = emptyPaths();
const failures: Failure[] = [];
let reads = 0;
let ticks = 0;
let runs = 0;
let peeked = 0;
const start = performance.now();
let lastReport = start;

const seconds = (): number => (performance.now() - start) / 1000;

function report(final: boolean): void {
  const wall = seconds();
  const line =
    `${runs} runs, ${ticks} ticks, ${reads.toLocaleString('en')} verified reads ` +
    `(${Math.round(reads / Math.max(wall, 1e-9)).toLocaleString('en')}/s), ` +
    `${paths.fileChecks.toLocaleString('en')} page-cache checks, ${wall.toFixed(1)} s`;
  if (!final) {
    process.stderr.write(`soak: ${line}\n`);
    return;
  }
  console.log(`soak: seed ${opts.seed}, victims ${opts.victims.join(',')}`);
  console.log(
    `  accesses checked: ${reads.toLocaleString('en')} program reads verified against their writes`,
  );
  console.log(`  page-cache reads/writes checked: ${paths.fileChecks.toLocaleString('en')}`);
  console.log(`  pages peeked at the end of runs: ${peeked.toLocaleString('en')}`);
  console.log(`  runs: ${runs}, ticks: ${ticks}, wall time: ${wall.toFixed(1)} s`);
  console.log('  paths exercised:');
  const width = Math.max(...Object.keys(paths).map((k) => k.length));
  for (const [k, v] of Object.entries(paths)) {
    const required = (REQUIRED_PATHS as readonly string[]).includes(k);
    const flag = required && v === 0 ? '   <-- never taken' : '';
    console.log(`    ${k.padEnd(width)} ${v.toLocaleString('en').padStart(14)}${flag}`);
  }
  for (const f of failures) {
    console.log(`  FAILED (${f.kind}) plan seed ${f.seed}: ${f.message}`);
    console.log(
      `    replay: node --import tsx bench/soak.ts --replay ${f.seed} --victims ${opts.victims.join(',')}`,
    );
  }
}

function runOne(seed: number): void {
  const plan = planFor(seed, opts.victims);
  try {
    const r = runPlan(plan, { dir });
    addPaths(paths, r.paths);
    reads += r.reads;
    ticks += r.ticks;
    peeked += r.peeked;
  } catch (err) {
    const e = err as Error;
    failures.push({
      seed,
      kind: err instanceof DataLossError ? 'data loss' : 'other',
      message: `${e.constructor.name}: ${e.message}`,
    });
    if (opts.replay !== null) console.error(e.stack);
  }
  runs++;
}

function exitCode(): number {
  if (failures.some((f) => f.kind === 'data loss')) return 1;
  if (failures.length > 0) return 2;
  if (opts.replay === null && REQUIRED_PATHS.some((k) => paths[k] === 0)) return 3;
  return 0;
}

process.on('SIGINT', () => {
  report(true);
  rmSync(dir, { recursive: true, force: true });
  process.exit(130);
});

/** A part in a process of its own (its memory is what is measured); its exit status. */
function part(name: 'memory' | 'trace'): number {
  const file = join(dirname(fileURLToPath(import.meta.url)), `soak-${name}.ts`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file], { stdio: 'inherit' });
  return r.status ?? 2;
}

/** The memory and trace parts, after the data part (which ended with `code`). */
function rest(code: number): number {
  for (const p of ['memory', 'trace'] as const) {
    if (code !== 0) return code;
    if (opts.parts.includes(p)) code = part(p);
  }
  return code;
}

if (opts.replay === null && !opts.parts.includes('data')) process.exit(rest(0));

try {
  if (opts.replay !== null) {
    opts.seed = opts.replay;
    runOne(opts.replay);
  } else {
    for (let i = 0; reads < opts.accesses; i++) {
      runOne(opts.seed + i);
      if (failures.length > 0 && !opts.keepGoing) break;
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        report(false);
      }
    }
  }
  report(true);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const code = exitCode();
process.exit(opts.replay !== null ? code : rest(code));
