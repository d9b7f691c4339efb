/**
 * The one-line command language shared by the dashboard's `:` line, preset timelines and scripts:
 * words separated by spaces, then `key=value` options, as in `add vm3 memsz=1GB shares=high`.
 */
import type { Command } from '../engine/commands.ts';
import { type GuestConfig, OS_TYPES, WORKLOAD_TYPES } from '../engine/config.ts';
import { buildGuest, buildWorkload, nameProblem } from './build.ts';
import {
  parseCount,
  parseFraction,
  parseLimit,
  parseShareSpec,
  parseSize,
  QuantityError,
  type ShareLevel,
} from './quantities.ts';
import { hint } from './suggest.ts';

export { resolveShareLevel } from './quantities.ts';

/** The clock's commands: the session's, not the engine's (it knows no wall clock). */
export type ClockCommand =
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step'; ticks: number }
  | { type: 'speed'; speed: number | 'max' };

/**
 * A command, a clock command, or a share level the caller turns into `setShares` with `resolveShareLevel`
 * once it knows the guest's memsz (levels are shares per MB, and the text alone does not say how many MB).
 */
export type ParsedCommand =
  | Command
  | ClockCommand
  | { type: 'setShareLevel'; guest: string; level: ShareLevel };

export const isClockCommand = (c: ParsedCommand): c is ClockCommand =>
  c.type === 'pause' || c.type === 'resume' || c.type === 'step' || c.type === 'speed';

export type CommandParse = { ok: true; command: ParsedCommand } | { ok: false; error: string };

/** One argument refused; parseCommand puts the command's name in front. */
class ArgumentError extends Error {}

/**
 * The `key=value` options of one command line, and every problem found in them: a bad option does not
 * hide the next one (parseCommand reports them all).
 */
class Options {
  readonly problems: string[] = [];

  constructor(private readonly values: Map<string, string>) {}

  has(key: string): boolean {
    return this.values.has(key);
  }

  /**
   * The option parsed, or undefined when absent or not valid; a problem names the option:
   * `memsz: "2048" has no unit ...`.
   */
  get<T>(key: string, parse: (text: string) => T): T | undefined {
    const text = this.values.get(key);
    if (text === undefined || text === '') return undefined;
    try {
      return parse(text);
    } catch (e) {
      if (e instanceof QuantityError || e instanceof ArgumentError) {
        this.problems.push(`${key}: ${e.message}`);
        return undefined;
      }
      throw e;
    }
  }
}

interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  /** Required positional arguments, named as in the usage. */
  args: string[];
  /** An optional last positional argument. */
  optional?: string;
  options: string[];
  build(args: string[], options: Options): ParsedCommand;
}

const validName = (text: string): string => {
  const problem = nameProblem(text);
  if (problem !== undefined) throw new ArgumentError(problem);
  return text;
};

const oneOf = <T extends string>(what: string, choices: readonly T[], text: string): T => {
  const found = choices.find((choice) => choice === text);
  if (found === undefined) throw new ArgumentError(`unknown ${what} "${text}" (${hint(text, choices)})`);
  return found;
};

const yesNo = (text: string): boolean => {
  if (text === 'yes' || text === 'no') return text === 'yes';
  throw new ArgumentError(`"${text}" is not yes or no`);
};

const parseSpeed = (text: string): number | 'max' => {
  if (text === 'max') return 'max';
  const n = Number(text);
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text) || n <= 0) {
    throw new ArgumentError(`"${text}" is not a number above 0 or max`);
  }
  return n;
};

/** How `add` names each GuestConfig field, for its error messages. */
const ADD_OPTION_OF: Record<keyof GuestConfig, string> = {
  name: 'NAME',
  memszPages: 'memsz',
  reservationPages: 'reservation',
  limitPages: 'limit',
  shares: 'shares',
  vcpus: 'vcpus',
  os: 'os',
  balloonDriver: 'balloon',
  guestSwapPages: 'swap',
  overheadPages: 'overhead',
};

function add([name]: string[], options: Options): ParsedCommand {
  const problem = nameProblem(name);
  if (problem !== undefined) options.problems.push(problem);
  const memszPages = options.get('memsz', parseSize);
  if (!options.has('memsz')) options.problems.push(`memsz= is required, as in add ${name} memsz=1GB`);
  const { config, problems } = buildGuest({
    name,
    memszPages: memszPages ?? 0,
    reservationPages: options.get('reservation', parseSize),
    limitPages: options.get('limit', parseLimit),
    shares: options.get('shares', parseShareSpec),
    vcpus: options.get('vcpus', parseCount),
    os: options.get('os', (text) => oneOf('os', OS_TYPES, text)),
    balloonDriver: options.get('balloon', yesNo),
    guestSwapPages: options.get('swap', parseSize),
    overheadPages: options.get('overhead', parseSize),
  });
  // The checks across options, on those that are valid (the defaults of the others are the loosest).
  if (memszPages !== undefined) {
    for (const p of problems) options.problems.push(`${ADD_OPTION_OF[p.field]}: ${p.message}`);
  }
  return { type: 'addGuest', guest: config };
}

function start([guest, type]: string[], options: Options): ParsedCommand {
  const { spec, problems } = buildWorkload(oneOf('workload', WORKLOAD_TYPES, type), {
    name: options.get('name', validName),
    sizePages: options.get('size', parseSize),
    workingSet: options.get('ws', parseFraction),
    locality: options.get('locality', parseFraction),
    writeFraction: options.get('write', parseFraction),
    file: options.get('file', (text) => text),
  });
  for (const p of problems) options.problems.push(`${p.field}: ${p.message}`);
  return { type: 'startWorkload', guest, workload: spec };
}

function shares([guest, text]: string[]): ParsedCommand {
  const spec = parseShareSpec(text);
  return typeof spec === 'number'
    ? { type: 'setShares', guest, shares: spec }
    : { type: 'setShareLevel', guest, level: spec };
}

const COMMANDS: CommandSpec[] = [
  {
    name: 'add',
    usage:
      'add NAME memsz=SIZE [reservation=SIZE] [limit=SIZE|none] [shares=low|normal|high|N] [vcpus=N] ' +
      '[os=linux|windows|solaris|freebsd] [balloon=yes|no] [swap=SIZE] [overhead=SIZE]',
    summary: 'power on a new guest',
    args: ['NAME'],
    options: ['memsz', 'reservation', 'limit', 'shares', 'vcpus', 'os', 'balloon', 'swap', 'overhead'],
    build: add,
  },
  {
    name: 'remove',
    usage: 'remove NAME',
    summary: 'power off a guest and free its memory',
    args: ['NAME'],
    options: [],
    build: ([guest]) => ({ type: 'removeGuest', guest }),
  },
  {
    name: 'memsz',
    usage: 'memsz NAME SIZE',
    summary: "change a guest's configured memory",
    args: ['NAME', 'SIZE'],
    options: [],
    build: ([guest, size]) => ({ type: 'setMemsz', guest, pages: parseSize(size) }),
  },
  {
    name: 'limit',
    usage: 'limit NAME SIZE|none',
    summary: 'cap the host memory a guest may use',
    args: ['NAME', 'SIZE|none'],
    options: [],
    build: ([guest, size]) => ({ type: 'setLimit', guest, pages: parseLimit(size) }),
  },
  {
    name: 'reservation',
    usage: 'reservation NAME SIZE',
    summary: 'guarantee a guest host memory',
    args: ['NAME', 'SIZE'],
    options: [],
    build: ([guest, size]) => ({ type: 'setReservation', guest, pages: parseSize(size) }),
  },
  {
    name: 'shares',
    usage: 'shares NAME low|normal|high|N',
    summary: "set a guest's claim on memory under contention",
    args: ['NAME', 'low|normal|high|N'],
    options: [],
    build: shares,
  },
  {
    name: 'start',
    usage:
      'start NAME WORKLOAD [name=N] [size=SIZE] [ws=FRACTION] [locality=FRACTION] [write=FRACTION] [file=PATH]',
    summary: 'start a workload in a guest (file= for trace only)',
    args: ['NAME', 'WORKLOAD'],
    options: ['name', 'size', 'ws', 'locality', 'write', 'file'],
    build: start,
  },
  {
    name: 'stop',
    usage: 'stop NAME WORKLOAD',
    summary: 'stop a workload; its memory becomes free in the guest',
    args: ['NAME', 'WORKLOAD'],
    options: [],
    build: ([guest, workload]) => ({ type: 'stopWorkload', guest, workload }),
  },
  {
    name: 'resize',
    usage: 'resize NAME WORKLOAD SIZE',
    summary: "grow or shrink a workload's address space",
    args: ['NAME', 'WORKLOAD', 'SIZE'],
    options: [],
    build: ([guest, workload, size]) => ({ type: 'resizeWorkload', guest, workload, pages: parseSize(size) }),
  },
  {
    name: 'pause',
    usage: 'pause',
    summary: 'stop the clock',
    args: [],
    options: [],
    build: () => ({ type: 'pause' }),
  },
  {
    name: 'resume',
    usage: 'resume',
    summary: 'start the clock again',
    args: [],
    options: [],
    build: () => ({ type: 'resume' }),
  },
  {
    name: 'step',
    usage: 'step [N]',
    summary: 'advance N ticks (default 1), then pause',
    args: [],
    optional: 'N',
    options: [],
    build: ([n]) => ({ type: 'step', ticks: n === undefined ? 1 : parseCount(n) }),
  },
  {
    name: 'speed',
    usage: 'speed X|max',
    summary: 'run X simulated seconds per real second, or as fast as possible',
    args: ['X|max'],
    options: [],
    build: ([x]) => ({ type: 'speed', speed: parseSpeed(x) }),
  },
];

/** Every command with its usage line and what it does, for completion and help screens. */
export const COMMAND_HELP: { name: string; usage: string; summary: string }[] = COMMANDS.map(
  ({ name, usage, summary }) => ({ name, usage, summary }),
);

/**
 * Sorts a command's words into positional arguments and options, checking both against its spec; a
 * wrong option is a problem of the options, a wrong number of arguments ends the parse.
 */
function splitWords(spec: CommandSpec, words: string[]): { args: string[]; options: Options } {
  const args: string[] = [];
  const values = new Map<string, string>();
  const problems: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      args.push(word);
      continue;
    }
    const key = word.slice(0, eq);
    if (!spec.options.includes(key)) {
      problems.push(
        spec.options.length === 0
          ? `takes no options, got "${word}"`
          : `unknown option "${key}" (${hint(key, spec.options)})`,
      );
    } else if (values.has(key)) problems.push(`${key}= is given twice`);
    else values.set(key, word.slice(eq + 1));
  }
  // Without its arguments the command cannot be built: these end the parse, after the options' problems.
  const most = spec.args.length + (spec.optional === undefined ? 0 : 1);
  if (args.length < spec.args.length)
    problems.push(`missing ${spec.args[args.length]} (usage: ${spec.usage})`);
  else if (args.length > most) problems.push(`unexpected "${args[most]}" (usage: ${spec.usage})`);
  if (args.length < spec.args.length || args.length > most) throw new ArgumentError(problems.join('; '));
  const options = new Options(values);
  options.problems.push(...problems);
  for (const [key, value] of values) if (value === '') options.problems.push(`${key}= needs a value`);
  return { args, options };
}

export function parseCommand(text: string): CommandParse {
  const [name, ...words] = text.trim().split(/\s+/).filter(Boolean);
  if (name === undefined) return { ok: false, error: 'empty command' };
  const spec = COMMANDS.find((command) => command.name === name);
  if (spec === undefined) {
    return {
      ok: false,
      error: `unknown command "${name}" (${hint(
        name,
        COMMAND_HELP.map((c) => c.name),
      )})`,
    };
  }
  try {
    const { args, options } = splitWords(spec, words);
    const command = spec.build(args, options);
    if (options.problems.length > 0) return { ok: false, error: `${name}: ${options.problems.join('; ')}` };
    return { ok: true, command };
  } catch (e) {
    if (e instanceof ArgumentError || e instanceof QuantityError) {
      return { ok: false, error: `${name}: ${e.message}` };
    }
    throw e;
  }
}
