import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultHostConfig, defaultOverheadPages } from '../../src/engine/config.ts';
import { workloadSpec } from '../../src/engine/workloads/defaults.ts';
import { loadPreset, type Preset, PresetError, parsePreset } from '../../src/scenario/preset.ts';

const MB = 256;
const GB = 1024 * MB;
const FILE = 'presets/x.yaml';

/** Writes a small valid trace file (presets are loaded with the traces they name). */
function traceFile(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, 'W 0 0 ab\nR 0\n');
  return path;
}

/** Where the full preset is, with the traces it names. */
const BASE = mkdtempSync(join(tmpdir(), 'memvisor-presets-'));
traceFile(join(BASE, 'traces/x.trace'));
traceFile(join(BASE, 'traces/y.trace'));

/** Fixtures as one string per line, so that line numbers in expected messages can be read off. */
const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;

/** The PresetError that parsing `text` throws; fails the test if it parses. */
function presetError(text: string, file = FILE): PresetError {
  try {
    parsePreset(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(PresetError);
    return e as PresetError;
  }
  throw new Error('expected a PresetError');
}

const FULL = yaml(
  '# Two guests share 4GB; vm2 is squeezed by a limit at 30s.',
  '# (a second comment line is not part of the description)',
  'seed: 42',
  'personality: xen-tmem',
  'host:',
  '  memory: 4GB',
  '  thresholds: { high: 8, soft: 5, hard: 3, low: 1 }',
  '  idleTax: 50%',
  '  samplePeriod: 30s',
  '  samplePages: 200',
  '  tick: 500ms',
  '  swapDir: /tmp/x',
  'guests:',
  '  - name: vm1',
  '    memsz: 2GB',
  '    reservation: 512MB',
  '    limit: 1536MB',
  '    shares: normal',
  '    vcpus: 2',
  '    os: windows',
  '    balloon: false',
  '    guestSwap: 1GB',
  '    overhead: 40MB',
  '    workloads:',
  '      - type: database',
  '        name: db',
  '        size: 1GB',
  '        ws: 30%',
  '        locality: 0.9',
  '        write: 20%',
  '      - type: trace',
  '        file: traces/x.trace',
  '  - name: vm2',
  '    memsz: 1GB',
  '    limit: none',
  '    shares: 3000',
  'timeline:',
  '  - at 1m: start vm1 memhog size=256MB',
  '  - at 30s: limit vm2 1024MB',
  '  - at 1m: shares vm2 high',
  '  - at 1m30s: add vm3 memsz=512MB',
  '  - at 2m: start vm3 trace file=traces/y.trace',
);

describe('a valid preset', () => {
  it('becomes the engine objects it describes', () => {
    const preset = parsePreset(FULL, join(BASE, 'full.yaml'));
    const expected: Preset = {
      file: join(BASE, 'full.yaml'),
      description: 'Two guests share 4GB; vm2 is squeezed by a limit at 30s.',
      seed: 42,
      personality: 'xen-tmem',
      // Anything the format does not cover (such as the reclaim settings) comes from the engine's defaults.
      host: {
        ...defaultHostConfig(4 * GB),
        thresholds: { high: 8, soft: 5, hard: 3, low: 1 },
        idleTax: 0.5,
        samplePeriod: 30,
        samplePages: 200,
        tick: 0.5,
        swapDir: '/tmp/x',
      },
      hostSettings: ['memory', 'thresholds', 'idleTax', 'samplePeriod', 'samplePages', 'tick', 'swapDir'],
      guests: [
        {
          line: 14,
          col: 5,
          config: {
            name: 'vm1',
            memszPages: 2 * GB,
            reservationPages: 512 * MB,
            limitPages: 1536 * MB,
            shares: 10 * 2048,
            vcpus: 2,
            os: 'windows',
            balloonDriver: false,
            guestSwapPages: GB,
            overheadPages: 40 * MB,
          },
          workloads: [
            {
              type: 'database',
              name: 'db',
              sizePages: GB,
              workingSet: 0.3,
              locality: 0.9,
              writeFraction: 0.2,
            },
            { ...workloadSpec('trace'), file: join(BASE, 'traces/x.trace') },
          ],
        },
        {
          line: 33,
          col: 5,
          config: {
            name: 'vm2',
            memszPages: GB,
            reservationPages: 0,
            limitPages: null,
            shares: 3000,
            vcpus: 1,
            os: 'linux',
            balloonDriver: true,
            guestSwapPages: 512 * MB,
            overheadPages: defaultOverheadPages(GB, 1),
          },
          workloads: [],
        },
      ],
      // Sorted by time; the two items at 1m keep their file order.
      timeline: [
        {
          at: 30,
          line: 39,
          text: 'limit vm2 1024MB',
          command: { type: 'setLimit', guest: 'vm2', pages: GB },
        },
        {
          at: 60,
          line: 38,
          text: 'start vm1 memhog size=256MB',
          command: {
            type: 'startWorkload',
            guest: 'vm1',
            workload: workloadSpec('memhog', { sizePages: 256 * MB }),
          },
        },
        {
          at: 60,
          line: 40,
          text: 'shares vm2 high',
          command: { type: 'setShareLevel', guest: 'vm2', level: 'high' },
        },
        {
          at: 90,
          line: 41,
          text: 'add vm3 memsz=512MB',
          command: {
            type: 'addGuest',
            guest: {
              name: 'vm3',
              memszPages: 512 * MB,
              reservationPages: 0,
              limitPages: null,
              shares: 10 * 512,
              vcpus: 1,
              os: 'linux',
              balloonDriver: true,
              guestSwapPages: 256 * MB,
              overheadPages: defaultOverheadPages(512 * MB, 1),
            },
          },
        },
        {
          at: 120,
          line: 42,
          text: 'start vm3 trace file=traces/y.trace',
          command: {
            type: 'startWorkload',
            guest: 'vm3',
            workload: { ...workloadSpec('trace'), file: join(BASE, 'traces/y.trace') },
          },
        },
      ],
    };
    expect(preset).toEqual(expected);
  });

  it('gets every default from a host with only its memory', () => {
    const preset = parsePreset(yaml('host:', '  memory: 2GB'), FILE);
    expect(preset).toEqual({
      file: FILE,
      description: '',
      seed: 1,
      personality: 'esx',
      host: defaultHostConfig(2 * GB),
      hostSettings: ['memory'],
      guests: [],
      timeline: [],
    });
    expect(preset.host).not.toHaveProperty('swapDir');
  });

  it('fills in the thresholds that are left out, and checks the order of the result', () => {
    expect(
      parsePreset(yaml('host:', '  memory: 2GB', '  thresholds: { high: 10 }'), FILE).host.thresholds,
    ).toEqual({
      high: 10,
      soft: 4,
      hard: 2,
      low: 1,
    });
  });
});

describe('an invalid preset names file, line, column, field and what is wrong', () => {
  const host = ['host:', '  memory: 4GB'];
  it.each<[string, string, string]>([
    [
      'a size without a unit',
      yaml(...host, 'guests:', '  - name: vm1', '    memsz: 2048'),
      'presets/x.yaml:5:12: guests[0].memsz: "2048" has no unit: write 2048MB or 2GB',
    ],
    [
      'a misspelt key, which also leaves a required one missing',
      yaml(...host, 'guests:', '  - name: vm1', '    memzs: 2GB'),
      'presets/x.yaml:4:5: guests[0].memsz: missing (required)\n' +
        'presets/x.yaml:5:5: guests[0].memzs: unknown key (did you mean "memsz"?)',
    ],
    [
      'an unknown top-level key',
      yaml(...host, 'gusets: []'),
      'presets/x.yaml:3:1: gusets: unknown key (did you mean "guests"?)',
    ],
    [
      'an unknown key with nothing close',
      yaml(...host, '  colour: red'),
      'presets/x.yaml:3:3: host.colour: unknown key (one of memory, thresholds, idleTax, samplePeriod, ' +
        'samplePages, tick, swapDir, shareScanTime, ksmPagesToScan, ksmSleep, eviction, compressionCache, mom, ' +
        'hypervBuffer, nodeLimit, without)',
    ],
    ['no host', yaml('seed: 3'), 'presets/x.yaml:1:1: host: missing (required)'],
    [
      'a host without memory',
      yaml('host:', '  tick: 1s'),
      'presets/x.yaml:2:3: host.memory: missing (required)',
    ],
    [
      'host memory of 0',
      yaml('host:', '  memory: 0GB'),
      'presets/x.yaml:2:11: host.memory: must be more than 0MB',
    ],
    [
      'thresholds out of order',
      yaml(...host, '  thresholds: { high: 2, soft: 4, hard: 2, low: 1 }'),
      'presets/x.yaml:3:15: host.thresholds: must fall strictly from high to low, but are high 2, soft 4, ' +
        'hard 2, low 1',
    ],
    [
      'a threshold of 100%',
      yaml(...host, '  thresholds: { high: 100 }'),
      'presets/x.yaml:3:23: host.thresholds.high: must be less than 100',
    ],
    [
      'a threshold of 0',
      yaml(...host, '  thresholds: { low: 0 }'),
      'presets/x.yaml:3:22: host.thresholds.low: must be more than 0',
    ],
    [
      'a threshold as text',
      yaml(...host, '  thresholds:', '    soft: 4%'),
      'presets/x.yaml:4:11: host.thresholds.soft: expected a percent of host memory such as 6, got "4%"',
    ],
    [
      'an idle tax over 100%',
      yaml(...host, '  idleTax: 150%'),
      'presets/x.yaml:3:12: host.idleTax: "150%" is more than 100%',
    ],
    ['a tick of 0', yaml(...host, '  tick: 0s'), 'presets/x.yaml:3:9: host.tick: must be more than 0s'],
    [
      'a sample period without a unit',
      yaml(...host, '  samplePeriod: 60'),
      'presets/x.yaml:3:17: host.samplePeriod: "60" has no unit: write 60s or 60m',
    ],
    [
      'a seed that is not whole',
      yaml('seed: 1.5', ...host),
      'presets/x.yaml:1:7: seed: expected a whole number, got 1.5',
    ],
    [
      'guests that are not a list',
      yaml(...host, 'guests: vm1'),
      'presets/x.yaml:3:9: guests: expected a list of guests, got "vm1"',
    ],
    [
      'a guest that is not a map',
      yaml(...host, 'guests:', '  - vm1'),
      'presets/x.yaml:4:5: guests[0]: expected a map, got "vm1"',
    ],
    [
      'a bad guest name',
      yaml(...host, 'guests:', '  - name: my vm', '    memsz: 1GB'),
      'presets/x.yaml:4:11: guests[0].name: "my vm" is not a valid name: use 1 to 32 letters, digits, "_", "." or "-"',
    ],
    [
      'two guests with one name',
      yaml(...host, 'guests:', '  - name: vm1', '    memsz: 1GB', '  - name: vm1', '    memsz: 1GB'),
      'presets/x.yaml:6:11: guests[1].name: "vm1" is already used by guests[0]',
    ],
    [
      'a reservation above the limit',
      yaml(...host, 'guests:', '  - name: vm1', '    memsz: 2GB', '    reservation: 1GB', '    limit: 512MB'),
      'presets/x.yaml:6:18: guests[0].reservation: 1GB is larger than limit (512MB)',
    ],
    [
      'a reservation above memsz with no limit',
      yaml(...host, 'guests:', '  - name: vm1', '    memsz: 1GB', '    reservation: 2GB', '    limit: none'),
      'presets/x.yaml:6:18: guests[0].reservation: 2GB is larger than memsz (1GB)',
    ],
    [
      'a guest larger than the host once overhead is counted',
      yaml('host:', '  memory: 2GB', 'guests:', '  - name: vm1', '    memsz: 2GB'),
      'presets/x.yaml:5:12: guests[0].memsz: 2GB plus 21.48MB overhead is larger than host memory (2GB)',
    ],
    [
      'a misspelt os',
      yaml(...host, 'guests:', '  - name: vm1', '    memsz: 1GB', '    os: linx'),
      'presets/x.yaml:6:9: guests[0].os: unknown os "linx" (did you mean "linux"?)',
    ],
    [
      'yes for a boolean (YAML 1.2 reads it as text)',
      yaml(...host, 'guests:', '  - name: vm1', '    memsz: 1GB', '    balloon: yes'),
      'presets/x.yaml:6:14: guests[0].balloon: expected true or false, got "yes"',
    ],
    [
      'no vCPUs',
      yaml(...host, 'guests:', '  - name: vm1', '    memsz: 1GB', '    vcpus: 0'),
      'presets/x.yaml:6:12: guests[0].vcpus: "0" is not a whole number above 0',
    ],
    [
      'a misspelt share level',
      yaml(...host, 'guests:', '  - name: vm1', '    memsz: 1GB', '    shares: hihg'),
      'presets/x.yaml:6:13: guests[0].shares: "hihg" is not low, normal, high or a whole number of shares ' +
        'above 0 (did you mean "high"?)',
    ],
    [
      'an unknown workload type',
      yaml(...host, 'guests:', '  - name: vm1', '    memsz: 1GB', '    workloads:', '      - type: kernel'),
      'presets/x.yaml:7:15: guests[0].workloads[0].type: unknown workload "kernel" (one of boot, os-image, ' +
        'kernel-compile, database, java-heap, idle, memhog, file-copy, trace)',
    ],
    [
      'a trace without a file',
      yaml(...host, 'guests:', '  - name: vm1', '    memsz: 1GB', '    workloads:', '      - type: trace'),
      'presets/x.yaml:7:9: guests[0].workloads[0].file: required for a trace workload',
    ],
    [
      'a file on a workload that is not a trace',
      yaml(
        ...host,
        'guests:',
        '  - name: vm1',
        '    memsz: 1GB',
        '    workloads:',
        '      - type: idle',
        '        file: a',
      ),
      'presets/x.yaml:8:15: guests[0].workloads[0].file: only a trace workload reads a file, not idle',
    ],
    [
      'two workloads named after the same type',
      yaml(
        ...host,
        'guests:',
        '  - name: vm1',
        '    memsz: 1GB',
        '    workloads:',
        '      - type: idle',
        '      - type: idle',
      ),
      'presets/x.yaml:8:9: guests[0].workloads[1].name: "idle" is already used by workloads[0] (a workload is ' +
        'named after its type unless given a name)',
    ],
    [
      'a working set without a unit',
      yaml(
        ...host,
        'guests:',
        '  - name: vm1',
        '    memsz: 1GB',
        '    workloads:',
        '      - type: idle',
        '        ws: 30',
      ),
      'presets/x.yaml:8:13: guests[0].workloads[0].ws: "30" is more than 1: write 30% or 0.3',
    ],
  ])('%s', (_, text, message) => {
    expect(presetError(text).message).toBe(message);
  });
});

describe('timeline problems point at the item', () => {
  const base = ['host:', '  memory: 4GB', 'guests:', '  - name: vm1', '    memsz: 1GB', 'timeline:'];
  it.each<[string, string, string]>([
    ['a time without a unit', '  - at 30: pause', 'timeline[0]: "30" has no unit: write 30s or 30m'],
    [
      'a key that is not "at"',
      '  - after 30s: pause',
      'timeline[0]: expected "at DURATION" before the colon, got "after 30s"',
    ],
    [
      'a bare command',
      '  - pause',
      'timeline[0]: expected one "at DURATION: command" entry, such as "at 30s: limit vm1 1GB"',
    ],
    ['no command', '  - at 30s:', 'timeline[0]: expected a command after "at 30s:", got nothing'],
    [
      'a misspelt command',
      '  - at 30s: limt vm1 1GB',
      'timeline[0]: unknown command "limt" (did you mean "limit"?)',
    ],
    [
      'a bad argument',
      '  - at 30s: limit vm1 12',
      'timeline[0]: limit: "12" has no unit: write 12MB or 12GB',
    ],
    [
      'an unknown guest',
      '  - at 30s: limit vm9 1GB',
      'timeline[0]: limit: no guest "vm9" at 30s (did you mean "vm1"?)',
    ],
    [
      'adding a guest that exists',
      '  - at 30s: add vm1 memsz=1GB',
      'timeline[0]: add: guest "vm1" already exists at 30s',
    ],
    [
      'adding a guest larger than the host',
      '  - at 30s: add big memsz=4GB',
      'timeline[0]: add: memsz: 4GB plus 41.96MB overhead is larger than host memory (4GB)',
    ],
  ])('%s', (_, item, message) => {
    expect(presetError(yaml(...base, item)).message).toBe(`presets/x.yaml:7:5: ${message}`);
  });

  it('knows guests added earlier in time, and forgets removed ones, whatever the order in the file', () => {
    const error = presetError(
      yaml(
        ...base,
        '  - at 2m: limit vm2 1GB', // line 7: fine, vm2 is added at 1m
        '  - at 1m: add vm2 memsz=1GB',
        '  - at 30s: stop vm2 idle', // line 9: too early
        '  - at 3m: remove vm1',
        '  - at 4m: memsz vm1 2GB', // line 11: vm1 is gone
      ),
    );
    expect(error.message).toBe(
      'presets/x.yaml:9:5: timeline[2]: stop: no guest "vm2" at 30s (did you mean "vm1"?)\n' +
        'presets/x.yaml:11:5: timeline[4]: memsz: no guest "vm1" at 240s (did you mean "vm2"?)',
    );
  });
});

describe('many problems are reported at once, in file order', () => {
  const text = yaml(
    '# broken in many places',
    'seed: x',
    'host:',
    '  memory: 4096',
    '  idelTax: 75%',
    'guests:',
    '  - name: vm1',
    '    memsz: 2048',
    '    workloads:',
    '      - type: databse',
    '  - name: vm1',
    '    memsz: 1GB',
    '    limit: -2GB',
    'timeline:',
    '  - at 1m: limt vm1 1GB',
    '  - at 30s: limit vm9 1GB',
  );

  it('lists every one on its own line', () => {
    expect(presetError(text).message).toBe(
      [
        'presets/x.yaml:2:7: seed: expected a whole number, got "x"',
        'presets/x.yaml:4:11: host.memory: "4096" has no unit: write 4096MB or 4GB',
        'presets/x.yaml:5:3: host.idelTax: unknown key (did you mean "idleTax"?)',
        'presets/x.yaml:8:12: guests[0].memsz: "2048" has no unit: write 2048MB or 2GB',
        'presets/x.yaml:10:15: guests[0].workloads[0].type: unknown workload "databse" (did you mean "database"?)',
        'presets/x.yaml:11:11: guests[1].name: "vm1" is already used by guests[0]',
        'presets/x.yaml:13:12: guests[1].limit: "-2GB" is negative: a size must be 0 or more',
        'presets/x.yaml:15:5: timeline[0]: unknown command "limt" (did you mean "limit"?)',
        'presets/x.yaml:16:5: timeline[1]: limit: no guest "vm9" at 30s (did you mean "vm1"?)',
      ].join('\n'),
    );
  });

  it('keeps each as data too', () => {
    const { problems } = presetError(text);
    expect(problems).toHaveLength(9);
    expect(problems[3]).toEqual({
      file: FILE,
      line: 8,
      col: 12,
      path: 'guests[0].memsz',
      message: '"2048" has no unit: write 2048MB or 2GB',
    });
  });
});

describe('a guest with a problem still gets every other check', () => {
  it('reports a reservation above memsz next to a bad field of the same guest', () => {
    const text = yaml(
      'host:',
      '  memory: 2GB',
      'guests:',
      '  - name: db1',
      '    memsz: 768MB',
      '    reservation: 900MB',
      '    shares: lots',
      '    os: linx',
    );
    expect(presetError(text).message).toBe(
      [
        'presets/x.yaml:6:18: guests[0].reservation: 900MB is larger than memsz (768MB)',
        'presets/x.yaml:7:13: guests[0].shares: "lots" is not low, normal, high or a whole number of shares above 0',
        'presets/x.yaml:8:9: guests[0].os: unknown os "linx" (did you mean "linux"?)',
      ].join('\n'),
    );
  });

  it('checks the fit on the host, but not with an overhead it cannot read', () => {
    const guest = (...lines: string[]) =>
      yaml('host:', '  memory: 1GB', 'guests:', '  - name: big', '    memsz: 1GB', ...lines);
    expect(presetError(guest('    vcpus: many')).message).toBe(
      [
        'presets/x.yaml:5:12: guests[0].memsz: 1GB plus 11.24MB overhead is larger than host memory (1GB)',
        'presets/x.yaml:6:12: guests[0].vcpus: "many" is not a whole number above 0',
      ].join('\n'),
    );
    expect(presetError(guest('    overhead: 1')).message).toBe(
      'presets/x.yaml:6:15: guests[0].overhead: "1" has no unit: write 1MB or 1GB',
    );
  });
});

describe('files that are not presets at all', () => {
  it.each<[string, string, string]>([
    ['an empty file', '', 'presets/x.yaml:1:1: the preset is empty: it needs at least host.memory'],
    [
      'only comments',
      yaml('# nothing yet', ''),
      'presets/x.yaml:1:1: the preset is empty: it needs at least host.memory',
    ],
    [
      'a binary file',
      '\x89PNG\r\n\x1a\n\0\0\0\rIHDR',
      'presets/x.yaml:1:1: not a text file (it contains NUL bytes); a preset is YAML',
    ],
    [
      'an unclosed flow list',
      yaml('host:', '  memory: [4GB'),
      'presets/x.yaml:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    [
      'a duplicate key',
      yaml('host:', '  memory: 4GB', '  memory: 2GB'),
      'presets/x.yaml:3:3: invalid YAML: Map keys must be unique',
    ],
    [
      'two documents',
      yaml('host: { memory: 4GB }', '---', 'seed: 2'),
      'presets/x.yaml:2:1: invalid YAML: a preset is a single document, but this file has another after ---',
    ],
    [
      'an alias to no anchor',
      yaml('host: *nowhere'),
      'presets/x.yaml:1:1: invalid YAML: Unresolved alias (the anchor must be set before the alias): nowhere',
    ],
    [
      'a list',
      yaml('- host', '- guests'),
      'presets/x.yaml:1:1: a preset is a map with host, guests and timeline keys, not a single value or a list',
    ],
  ])('%s', (_, text, message) => {
    expect(presetError(text).message).toBe(message);
  });
});

describe('loadPreset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memvisor-preset-'));

  it('reads a file and resolves trace files against its directory', () => {
    const path = join(dir, 'trace.yaml');
    traceFile(join(dir, 'traces/a.trace'));
    const absolute = traceFile(join(mkdtempSync(join(tmpdir(), 'memvisor-data-')), 'b.trace'));
    writeFileSync(
      path,
      yaml(
        '# replay a trace',
        'host:',
        '  memory: 1GB',
        'guests:',
        '  - name: t',
        '    memsz: 256MB',
        '    workloads:',
        '      - type: trace',
        '        file: traces/a.trace',
        '      - type: trace',
        '        name: abs',
        `        file: ${absolute}`,
      ),
    );
    const preset = loadPreset(path);
    expect(preset.file).toBe(path);
    expect(preset.description).toBe('replay a trace');
    expect(preset.guests[0].workloads.map((w) => w.file)).toEqual([resolve(dir, 'traces/a.trace'), absolute]);
  });

  it('names the file in every problem', () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, yaml('host:', '  memory: 1GB', 'guests:', '  - name: vm1', '    memsz: 1024'));
    expect(() => loadPreset(path)).toThrow(
      `${path}:5:12: guests[0].memsz: "1024" has no unit: write 1024MB or 1GB`,
    );
  });

  it('refuses a binary file', () => {
    const path = join(dir, 'image.yaml');
    writeFileSync(path, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x0d, 0x0a]));
    expect(() => loadPreset(path)).toThrow(
      `${path}:1:1: not a text file (it contains NUL bytes); a preset is YAML`,
    );
  });

  it('says when a file cannot be read', () => {
    const path = join(dir, 'missing.yaml');
    const error = (() => {
      try {
        loadPreset(path);
      } catch (e) {
        return e as PresetError;
      }
      throw new Error('expected a PresetError');
    })();
    expect(error).toBeInstanceOf(PresetError);
    expect(error.message).toMatch(new RegExp(`^${path}: cannot read: ENOENT`));
    expect(error.problems).toEqual([expect.objectContaining({ file: path, line: 0, col: 0, path: '' })]);
  });
});
