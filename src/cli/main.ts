import { constants } from 'node:os';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { isPersonalityName, PERSONALITY_NAMES } from '../engine/policy/index.ts';
import { compareTable } from '../output/compare-table.ts';
import { loadPreset, PresetError } from '../scenario/preset.ts';
import { comparePersonalitiesInParallel, type PersonalityOutcome } from '../session/compare.ts';
import { NoTerminalError } from '../ui/no-terminal.ts';
import { colorWanted, ThemeError } from '../ui/theme.ts';
import { BATCH_FORMATS, runBatch } from './batch.ts';
import { openSession, openWorkerLink } from './open.ts';
import { listPresets, presetPath } from './presets.ts';
import { progressBar } from './progress.ts';
import { ShareLog, startSharing } from './share.ts';
import { UsageError } from './usage-error.ts';
import { validateFiles } from './validate.ts';

// The commands' heavy modules (Ink and React, blessed, the recorder) load only for the command run:
// a usage error or a batch run does not pay for the dashboard (about half a second a start).
const dashboard = () => import('../ui/run.tsx');
const attach = () => import('./attach.ts');
const experiment = () => import('./experiment.ts');
const lesson = () => import('./lesson.ts');
const record = () => import('./record.ts');
const wall = () => import('./wall.ts');

const positiveInt =
  (name: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0)
      throw new InvalidArgumentError(`${name} must be a positive whole number, got "${v}"`);
    return n;
  };
const positiveNumber =
  (name: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!(n > 0) || !Number.isFinite(n))
      throw new InvalidArgumentError(`${name} must be a positive number, got "${v}"`);
    return n;
  };
const personalityArg = (v: string): string => {
  if (!isPersonalityName(v))
    throw new InvalidArgumentError(`"${v}" is not a personality (${PERSONALITY_NAMES.join(', ')})`);
  return v;
};
const screenArg = (v: string): 'esxtop' | 'xentop' => {
  if (v !== 'esxtop' && v !== 'xentop')
    throw new InvalidArgumentError(`"${v}" is not a screen (esxtop, xentop)`);
  return v;
};
const sizeArg = (v: string): { cols: number; rows: number } => {
  const m = /^(\d+)x(\d+)$/.exec(v);
  const cols = Number(m?.[1]);
  const rows = Number(m?.[2]);
  if (!m || cols < 60 || cols > 400 || rows < 16 || rows > 200)
    throw new InvalidArgumentError(`size must be COLSxROWS, 60x16 to 400x200, such as 120x36, got "${v}"`);
  return { cols, rows };
};
const personalityList = (v: string): string[] => v.split(',').map((p) => personalityArg(p.trim()));
const seedArg = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new InvalidArgumentError(`seed must be a whole number 0..4294967295, got "${v}"`);
  return n;
};

const program = new Command('memvisor')
  .description(
    'A simulated virtualization host under memory overcommit, shown as esxtop and xentop show a real one',
  )
  .enablePositionalOptions()
  // A wrong argument is one line naming it, a pointer to the help, and exit status 2, like bad input.
  .showHelpAfterError('(memvisor --help, or memvisor COMMAND --help, for usage)')
  .exitOverride()
  .configureOutput({ outputError: (s, write) => write(s) });

program
  .argument('[preset]', 'preset file or name (see `memvisor presets`)', 'default')
  .option('--seed <n>', 'random seed (overrides the preset)', seedArg)
  .option('--personality <name>', 'run the preset under this product personality', personalityArg)
  .option('--theme <name>', 'colour theme from themes/ (dark, light, mono)', 'dark')
  .option('--no-color', 'no colours (also when NO_COLOR is set)')
  .option(
    '--screen <screen>',
    "the first screen: esxtop or xentop (default: the personality's own)",
    screenArg,
  )
  .option(
    '--share [address]',
    'publish the host to viewers (memvisor attach): a socket path or tcp://HOST:PORT',
  )
  .option(
    '--token-file <file>',
    'with --share tcp://HOST:PORT: the token viewers must give (default: made and printed)',
  )
  .action(
    async (
      preset: string,
      opts: {
        seed?: number;
        personality?: string;
        theme: string;
        color: boolean;
        screen?: 'esxtop' | 'xentop';
        share?: string | true;
        tokenFile?: string;
      },
    ) => {
      // The engine runs in a worker thread; guests power on as its clock runs, so the dashboard draws
      // its first frame at once and answers keys however long a tick takes.
      const file = presetPath(preset);
      const link = await openWorkerLink({
        kind: 'single',
        file,
        ...(opts.seed === undefined ? {} : { seed: opts.seed }),
        ...(opts.personality === undefined ? {} : { personality: opts.personality }),
      });
      const shareLog = new ShareLog();
      let sharing: Awaited<ReturnType<typeof startSharing>> = null;
      try {
        sharing = await startSharing(link, file, opts, shareLog);
        await (await dashboard()).runDashboard(link, {
          theme: opts.theme,
          color: opts.color,
          screen: opts.screen ?? link.snapshot.screen,
          onReady: () => link.start(),
          notes: shareLog.notes,
        });
      } finally {
        await sharing?.close();
        await link.close();
        shareLog.print();
      }
    },
  );

program
  .command('batch')
  .description('run headless and print samples (JSON lines, esxtop CSV or xentop -b text)')
  .argument('<preset>', 'preset file or name')
  .option('-n, --samples <n>', 'number of samples', positiveInt('-n'), 10)
  .option('-d, --delay <seconds>', 'simulated seconds between samples', positiveNumber('-d'), 5)
  .option('--format <format>', `output format: ${BATCH_FORMATS.join(', ')}`, 'json')
  .option('-o, --output <file>', 'write samples to a file instead of standard output')
  .option('--seed <n>', 'random seed (overrides the preset)', seedArg)
  .option('--dump-dir <dir>', "at the end, write every process's address space as <guest>.<workload>.img")
  .option('--personality <name>', 'run the preset under this product personality', personalityArg)
  .action(async (preset: string, opts) => {
    if (!(BATCH_FORMATS as readonly string[]).includes(opts.format)) {
      throw new UsageError(`--format: "${opts.format}" is not a format (${BATCH_FORMATS.join(', ')})`);
    }
    const session = openSession(presetPath(preset), opts);
    try {
      const r = await runBatch(session, {
        samples: opts.samples,
        delay: opts.delay,
        format: opts.format,
        hostName: 'memvisor',
        label: `batch ${preset}`,
        ...(opts.output ? { output: opts.output } : {}),
        ...(opts.dumpDir ? { dumpDir: opts.dumpDir } : {}),
      });
      if (r.signal) {
        console.error(`batch: stopped by ${r.signal} after ${r.samples} of ${opts.samples} samples`);
        process.exitCode = 128 + constants.signals[r.signal];
      }
    } finally {
      session.close();
    }
  });

program
  .command('compare')
  .description(
    'the same preset under several personalities: side by side in the dashboard, or a table (--table, or no terminal)',
  )
  .argument('<preset>', 'preset file or name')
  .requiredOption(
    '--personalities <list>',
    `comma-separated: ${PERSONALITY_NAMES.join(', ')}`,
    personalityList,
  )
  .option('--table', 'run headless and print a table per guest instead of opening the dashboard')
  .option('--seconds <n>', 'with --table: simulated seconds to run each', positiveNumber('--seconds'), 300)
  .option('--seed <n>', 'random seed (overrides the preset)', seedArg)
  .option('--theme <name>', 'colour theme from themes/ (dark, light, mono)', 'dark')
  .option('--no-color', 'no colours (also when NO_COLOR is set)')
  .action(
    async (
      preset: string,
      opts: {
        personalities: string[];
        table?: boolean;
        seconds: number;
        seed?: number;
        theme: string;
        color: boolean;
      },
    ) => {
      const loaded = loadPreset(presetPath(preset));
      if (opts.table || !process.stdout.isTTY) {
        const bar = progressBar(`compare ${preset}`, opts.seconds * opts.personalities.length);
        let results: PersonalityOutcome[];
        try {
          // Each personality in a worker thread of its own, as many at once as there are cores.
          results = await comparePersonalitiesInParallel(
            loaded.file,
            opts.personalities,
            opts.seconds,
            opts.seed,
            bar.update,
          );
        } finally {
          bar.stop();
        }
        for (const r of results) for (const w of r.warnings) console.error(`warning: ${w}`);
        process.stdout.write(compareTable(results, opts.seconds));
        return;
      }
      const link = await openWorkerLink({
        kind: 'compare',
        file: loaded.file,
        personalities: opts.personalities,
        ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      });
      try {
        await (await dashboard()).runDashboard(link, {
          theme: opts.theme,
          color: opts.color,
          screen: 'compare',
          onReady: () => link.start(),
        });
      } finally {
        await link.close();
      }
    },
  );

program
  .command('experiment')
  .description('experiments that reproduce published results: measured beside published, with a verdict')
  .argument('[names...]', 'experiments to run (none: the list; all: every one), or experiment files')
  .option('--quick', 'the short version of each (seconds: what the tests run)')
  .option('--format <format>', 'table, csv or json', 'table')
  .option('-o, --output <file>', 'write to a file instead of standard output')
  .action(async (names: string[], opts: { quick?: boolean; format: string; output?: string }) => {
    await (await experiment()).experimentCommand(names, opts);
  });

program
  .command('presets')
  .description('list the presets that come with memvisor, with what each shows')
  .action(() => {
    for (const p of listPresets()) console.log(`${p.name.padEnd(24)} ${p.description}`);
  });

program
  .command('record')
  .description("record a script against the dashboard as an asciicast v2 file (asciinema's format)")
  .argument('<script>', 'script file (README: Scripts and recordings)')
  .option('-o, --output <file>', 'write the recording to a file instead of standard output')
  .option('--seed <n>', 'random seed (overrides the script and the preset)', seedArg)
  .option('--size <COLSxROWS>', "terminal size, such as 120x36 (overrides the script's)", sizeArg)
  .action(
    async (
      script: string,
      opts: { output?: string; seed?: number; size?: { cols: number; rows: number } },
    ) => {
      await (await record()).runRecord(script, opts);
    },
  );

program
  .command('attach')
  .description(
    'the dashboard on a shared host (memvisor --share), read-only: every screen and key that only looks',
  )
  .argument('<address>', 'what the host printed: a socket path, or tcp://HOST:PORT')
  .option('--token-file <file>', "with tcp://HOST:PORT: the host's token")
  .option('--theme <name>', 'colour theme from themes/ (dark, light, mono)', 'dark')
  .option('--no-color', 'no colours (also when NO_COLOR is set)')
  .option(
    '--screen <screen>',
    "the first screen: esxtop or xentop (default: the host personality's own)",
    screenArg,
  )
  .action(
    async (
      address: string,
      opts: { tokenFile?: string; theme: string; color: boolean; screen?: 'esxtop' | 'xentop' },
    ) => {
      await (await attach()).attachCommand(address, opts);
    },
  );

program
  .command('lesson')
  .description(
    'guided lessons on a live host: the list, a lesson on the dashboard, or --check its model solution',
  )
  .argument('[name]', 'a lesson: its number, its name, or a file (memvisor lesson lists them)')
  .option('--check', "run the lesson's model solution headless and report every step")
  .option('--idle', 'run the lesson headless with a trainee who does nothing: every task must fail')
  .option('--record <file>', "write the lesson's model solution as asciicast v2, a marker at each step")
  .option('--size <COLSxROWS>', 'with --record: terminal size, such as 120x36 (the default)', sizeArg)
  .option('--reset', 'forget all progress')
  .option(
    '--from <step>',
    'go on at this step; the steps before it are taken with the model solution',
    positiveInt('--from'),
  )
  .option('--seed <n>', "random seed (overrides the lesson's)", seedArg)
  .option('--theme <name>', 'colour theme from themes/ (dark, light, mono)', 'dark')
  .option('--no-color', 'no colours (also when NO_COLOR is set)')
  .action(
    async (
      name: string | undefined,
      opts: {
        check?: boolean;
        idle?: boolean;
        reset?: boolean;
        from?: number;
        seed?: number;
        theme: string;
        color: boolean;
      },
    ) => {
      await (await lesson()).runLessonCommand(name, opts);
    },
  );

program
  .command('wall')
  .description(
    'the classroom board: big figures and charts drawn with blessed-contrib, readable from the back of a room',
  )
  .argument('[preset]', 'preset file or name (see `memvisor presets`; default: default)')
  .option('--attach <address>', 'follow a shared host (memvisor --share) instead of running one')
  .option('--token-file <file>', "with --attach tcp://HOST:PORT: the host's token")
  .option('--seed <n>', 'random seed (overrides the preset)', seedArg)
  .option('--personality <name>', 'run the preset under this product personality', personalityArg)
  .option('--theme <name>', 'colour theme from themes/ (dark, light, mono)', 'dark')
  .option('--no-color', 'no colours (also when NO_COLOR is set)')
  .action(
    async (
      preset: string | undefined,
      opts: {
        attach?: string;
        tokenFile?: string;
        seed?: number;
        personality?: string;
        theme: string;
        color: boolean;
      },
    ) => {
      const color = colorWanted(opts.color);
      if (opts.attach === undefined) {
        if (opts.tokenFile) throw new UsageError('wall: --token-file goes with --attach');
        return (await wall()).wallCommand(preset ?? 'default', { ...opts, color });
      }
      if (preset !== undefined || opts.seed !== undefined || opts.personality !== undefined)
        throw new UsageError('wall: --attach follows a shared host: give no preset, --seed or --personality');
      await (await attach()).wallAttachCommand(opts.attach, { ...opts, color });
    },
  );

program
  .command('validate')
  .description(
    'check presets, scripts, lessons and experiments; every problem with file, line, column, field',
  )
  .argument('<files...>')
  .action((files: string[]) => {
    process.exitCode = validateFiles(files) ? 0 : 1;
  });

// A reader that goes away (`memvisor batch ... | head`), or a terminal closed under the wall, ends the
// run quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE' || err.code === 'EIO') process.exit(0);
  throw err;
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Commander has printed its message (or the help, or the version) already.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (
    err instanceof PresetError ||
    err instanceof UsageError ||
    err instanceof ThemeError ||
    err instanceof NoTerminalError
  ) {
    console.error(err.message);
    process.exitCode = 2;
  } else {
    console.error(`memvisor: ${(err as Error).message}`);
    if (process.env.MEMVISOR_DEBUG) console.error((err as Error).stack);
    process.exitCode = 1;
  }
}
