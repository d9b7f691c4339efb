import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateFiles } from '../../src/cli/validate.ts';
import { PresetError } from '../../src/scenario/problems.ts';
import { isScriptData, loadScript, parseScript, parseStep } from '../../src/scenario/script.ts';
import { keystroke, parseKeys, parseTyped } from '../../src/scenario/script-keys.ts';
import { themeNames } from '../../src/ui/theme.ts';
import { ROOT, runCli } from '../cli.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIR = join(HERE, 'scripts');
const fixture = (name: string): string => join(DIR, name);
const MB = 256;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a valid script', () => {
  it('becomes its preset, settings and steps, sorted by time', () => {
    const s = loadScript(fixture('valid.yaml'), { themes: themeNames() });
    expect(s.preset.file).toBe(fixture('host.yaml'));
    expect(s.preset.guests.map((g) => g.config.name)).toEqual(['vm1', 'vm2']);
    expect({
      description: s.description,
      title: s.title,
      seed: s.seed,
      personality: s.personality,
      cols: s.cols,
      rows: s.rows,
      speed: s.speed,
      delay: s.delay,
      typing: s.typing,
      theme: s.theme,
      color: s.color,
      screen: s.screen,
      duration: s.duration,
    }).toEqual({
      description: 'Every kind of step',
      title: 'A test recording',
      seed: 9,
      personality: 'kvm',
      cols: 100,
      rows: 30,
      speed: 2.5,
      delay: 0.5,
      typing: 0.08,
      theme: 'light',
      color: false,
      screen: 'xentop',
      duration: 120,
    });
    expect(s.steps.map((x) => [x.at, x.line, x.action.kind])).toEqual([
      [0, 16, 'caption'],
      [0, 17, 'keys'],
      [5, 18, 'keys'],
      [5, 19, 'keys'],
      [10, 20, 'hold'],
      [20, 21, 'command'],
      [30, 22, 'command'],
      [40, 23, 'command'],
      [50, 24, 'caption'],
      [90, 15, 'caption'],
    ]);
    expect(s.steps[1].action).toEqual({
      kind: 'keys',
      keys: [
        { name: 'x', bytes: 'x', key: 'x' },
        { name: 'Enter', bytes: '\r', key: 'enter' },
        { name: 'Esc', bytes: '\x1b', key: 'escape' },
        { name: 'S-Tab', bytes: '\x1b[Z', key: 'shift+tab' },
        { name: 'C-l', bytes: '\x0c', key: 'ctrl+l' },
        { name: 'Up', bytes: '\x1b[A', key: 'up' },
        { name: 'PgDn', bytes: '\x1b[6~', key: 'pagedown' },
        { name: 'return', bytes: '\r', key: 'enter' },
      ],
    });
    expect(s.steps[2].action).toEqual({
      kind: 'keys',
      keys: [...':limit vm1 64MB'].map((c) => ({
        name: c === ' ' ? 'Space' : c,
        bytes: c,
        key: c === ' ' ? 'space' : c,
      })),
    });
    expect(s.steps[4].action).toEqual({ kind: 'hold', seconds: 1.5 });
    expect(s.steps[5].action).toEqual({
      kind: 'command',
      command: { type: 'setLimit', guest: 'vm1', pages: 96 * MB },
    });
    expect(s.steps[8].action).toEqual({ kind: 'caption', text: '' });
    expect(s.steps[1]).toMatchObject({ index: 2, line: 17, col: 5 });
  });

  it('takes defaults for what it leaves out', () => {
    const s = parseScript(
      ['preset: host.yaml', 'duration: 10s', 'steps: []', ''].join('\n'),
      fixture('min.yaml'),
    );
    expect(s).toMatchObject({ cols: 120, rows: 36, speed: 1, typing: 0.1, color: true, title: 'min.yaml' });
    expect(s.delay).toBeUndefined();
    expect(s.theme).toBeUndefined();
    expect(s.seed).toBeUndefined();
  });

  it('is told from a preset by its keys', () => {
    expect(isScriptData({ preset: 'x.yaml' })).toBe(true);
    expect(isScriptData({ steps: [] })).toBe(true);
    expect(isScriptData({ host: { memory: '1GB' } })).toBe(false);
    expect(isScriptData(['preset'])).toBe(false);
  });
});

describe('steps', () => {
  const step = (text: string) => parseStep(text, DIR);

  it('reads keys, typed text, captions, holds and commands', () => {
    expect(step('keys q')).toEqual({
      ok: true,
      value: { kind: 'keys', keys: [{ name: 'q', bytes: 'q', key: 'q' }] },
    });
    expect(step('type a  b')).toEqual({
      ok: true,
      value: {
        kind: 'keys',
        keys: [
          { name: 'a', bytes: 'a', key: 'a' },
          { name: 'Space', bytes: ' ', key: 'space' },
          { name: 'Space', bytes: ' ', key: 'space' },
          { name: 'b', bytes: 'b', key: 'b' },
        ],
      },
    });
    expect(step('caption Hello,   world')).toEqual({
      ok: true,
      value: { kind: 'caption', text: 'Hello,   world' },
    });
    expect(step('hold 1m30s')).toEqual({ ok: true, value: { kind: 'hold', seconds: 90 } });
    expect(step('remove vm1')).toEqual({
      ok: true,
      value: { kind: 'command', command: { type: 'removeGuest', guest: 'vm1' } },
    });
  });

  it('resolves a trace file against the script', () => {
    const r = step('start vm1 trace file=t.trace');
    expect(r.ok && r.value.kind === 'command' && r.value.command).toMatchObject({
      workload: { file: join(DIR, 't.trace') },
    });
  });

  it('names every key and refuses the rest with a suggestion', () => {
    expect(keystroke('ctrl-U')).toEqual({ name: 'ctrl-U', bytes: '\x15', key: 'ctrl+u' });
    expect(keystroke('pagedown')).toEqual({ name: 'pagedown', bytes: '\x1b[6~', key: 'pagedown' });
    expect(keystroke('escape')).toEqual({ name: 'escape', bytes: '\x1b', key: 'escape' });
    expect(keystroke('é')).toEqual({ name: 'é', bytes: 'é', key: 'é' });
    expect(keystroke('Hoem')).toBe('unknown key "Hoem" (did you mean "Home"?)');
    expect(keystroke('pgdwn')).toBe('unknown key "pgdwn" (did you mean "PgDn"?)');
    expect(parseKeys('')).toEqual({
      ok: false,
      error: 'keys: name at least one key, as in "keys x" or "keys Enter"',
    });
    expect(parseTyped('a\tb')).toEqual({
      ok: false,
      error: 'type: "\\t" is not printable; name such keys with keys (Enter, Tab, C-u)',
    });
  });
});

/** What `memvisor validate FILE` prints for each invalid fixture: every problem, in file order. */
const INVALID: Record<string, string[]> = {
  'bad-steps.yaml': [
    '5:5: steps[0]: unknown step "kyes" (did you mean "keys"?)',
    '6:5: steps[1]: keys: unknown key "Entr" (did you mean "Enter"?)',
    '7:5: steps[2]: keys: unknown key "Foo": a key is one character, or one of Enter, Esc, Tab, S-Tab, ' +
      'Backspace, Space, Up, Down, Right, Left, Home, End, PgUp, PgDn, or C-a to C-z',
    `8:5: steps[3]: pause: a recording's clock follows its script: to hold the picture write "hold 3s"; ` +
      'the pace is speed: at the top of the script',
    `9:5: steps[4]: speed: a recording's clock follows its script: to hold the picture write "hold 3s"; ` +
      'the pace is speed: at the top of the script',
    '10:5: steps[5]: hold: give how long, as in "hold 3s"',
    '11:5: steps[6]: hold: "soon" is not a duration: write one such as 30s, 1m or 1m30s',
    '12:5: steps[7]: limit: no guest "vm9" at 7s (did you mean "vm1"?)',
    '13:5: steps[8]: limit: "64" has no unit: write 64MB or 64GB',
    '14:5: steps[9]: "1x" has an unknown unit "x": use ms, s, m or h',
    '15:5: steps[10]: at 120s is after the end of the recording (duration: 60s)',
    // vm2 is removed at 1m by the preset's own timeline.
    '16:5: steps[11]: start: no guest "vm2" at 70s (did you mean "vm1"?)',
    '16:5: steps[11]: at 70s is after the end of the recording (duration: 60s)',
    '17:5: steps[12]: expected one "at DURATION: command" entry, such as "at 30s: limit vm1 1GB"',
  ],
  'bad-fields.yaml': [
    '2:1: duration: missing (required)',
    '2:1: steps: missing (required)',
    '3:7: seed: expected a whole number, got 1.5',
    '4:19: terminal.cols: must be at least 60',
    '4:33: terminal.colour: unknown key (one of cols, rows)',
    '5:8: speed: must be more than 0',
    '6:8: delay: must be at least 100ms',
    '7:9: typing: must be at most 5s',
    '8:8: theme: unknown theme "drak" (did you mean "dark"?)',
    '9:8: color: expected true or false, got "maybe"',
    '10:9: screen: unknown screen "esx" (one of esxtop, xentop)',
    '11:1: stpes: unknown key (did you mean "steps"?)',
  ],
  'bad-preset-ref.yaml': [
    `2:9: preset: no such file: ${fixture('nope.yaml')} (the path is relative to the script)`,
  ],
  'empty.yaml': ['1:1: the script is empty: it needs at least preset, duration and steps'],
};

describe('invalid scripts', () => {
  for (const [name, expected] of Object.entries(INVALID)) {
    it(`${name}: every problem, with file, line, column and field`, () => {
      const errors: string[] = [];
      vi.spyOn(console, 'error').mockImplementation((m: string) => errors.push(...m.split('\n')));
      vi.spyOn(console, 'log').mockImplementation(() => {});
      expect(validateFiles([fixture(name)])).toBe(false);
      expect(errors).toEqual(expected.map((e) => `${fixture(name)}:${e}`));
    });
  }

  it('reports a file that is not YAML in a scripts folder as a script', () => {
    // Written here rather than kept as a fixture, since the linter parses the YAML in the tree.
    const dir = join(mkdtempSync(join(tmpdir(), 'memvisor-script-')), 'scripts');
    mkdirSync(dir);
    const file = join(dir, 'bad-yaml.yaml');
    writeFileSync(
      file,
      ['# Not YAML', 'preset: host.yaml', 'steps:', '  - at 1s: caption a: b', ''].join('\n'),
    );
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((m: string) => errors.push(...m.split('\n')));
    expect(validateFiles([file])).toBe(false);
    expect(errors).toEqual([
      `${file}:4:12: invalid YAML: Nested mappings are not allowed in compact mappings`,
    ]);
    writeFileSync(file, '');
    errors.length = 0;
    expect(validateFiles([file])).toBe(false);
    expect(errors).toEqual([
      `${file}:1:1: the script is empty: it needs at least preset, duration and steps`,
    ]);
  });

  it("reports a broken preset's own problems with the preset's file", () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((m: string) => errors.push(...m.split('\n')));
    expect(validateFiles([fixture('bad-preset.yaml')])).toBe(false);
    expect(errors).toEqual([
      `${fixture('bad-preset.yaml')}:2:9: preset: broken.yaml has problems (listed below)`,
      `${fixture('broken.yaml')}:3:11: host.memory: "512" has no unit: write 512MB or 512GB`,
    ]);
  });

  it('throws a PresetError with every problem when loaded', () => {
    expect(() => loadScript(fixture('bad-steps.yaml'))).toThrow(PresetError);
    try {
      loadScript(fixture('bad-steps.yaml'));
    } catch (e) {
      expect((e as PresetError).problems).toHaveLength(INVALID['bad-steps.yaml'].length);
    }
  });
});

describe('memvisor validate', () => {
  const run = (...files: string[]) => runCli('validate', ...files);

  it('checks presets and scripts alike: ok, or every problem and exit status 1', () => {
    const good = run('presets/default.yaml', 'scripts/demo.yaml', fixture('valid.yaml'));
    expect(good).toMatchObject({ status: 0, err: '' });
    expect(good.out).toBe(`presets/default.yaml: ok\nscripts/demo.yaml: ok\n${fixture('valid.yaml')}: ok\n`);
    const bad = run('scripts/demo.yaml', fixture('bad-fields.yaml'));
    expect(bad.status).toBe(1);
    expect(bad.out).toBe('scripts/demo.yaml: ok\n');
    expect(bad.err.trim().split('\n')).toHaveLength(INVALID['bad-fields.yaml'].length);
  });
});

describe('memvisor validate with experiments', () => {
  it('checks an experiment file as one: ok, or each problem at its line and field', () => {
    const good = join(ROOT, 'presets/experiments/balloon-vs-swap.yaml');
    const text = readFileSync(good, 'utf8')
      .replace('seed: 7', 'seed: seven')
      .replace(
        '      memsz: 192MB\n      workloads:\n        - type: database',
        '      memsz: 192XB\n      workloads:\n        - type: database',
      );
    const lines = text.split('\n');
    const bad = join(mkdtempSync(join(tmpdir(), 'memvisor-experiment-')), 'broken.yaml');
    writeFileSync(bad, text);
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
    vi.spyOn(console, 'error').mockImplementation((m: string) => void err.push(...m.split('\n')));
    expect(validateFiles([good])).toBe(true);
    expect(validateFiles([bad])).toBe(false);
    expect(out).toEqual([`${good}: ok`]);
    const seedLine = lines.indexOf('seed: seven') + 1;
    const memszLine = lines.indexOf('      memsz: 192XB') + 1;
    expect(err).toHaveLength(2);
    expect(err[0]).toMatch(new RegExp(`^${bad}:${seedLine}:7: seed: expected a whole number`));
    expect(err[1]).toMatch(new RegExp(`^${bad}:${memszLine}:14: preset\\.guests\\[1\\]\\.memsz: `));
  });
});

describe('the README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Scripts and recordings'),
    readme.indexOf('## The command language'),
  );
  const blocks = [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], text: m[2] }));

  it('shows a script that is valid', () => {
    const s = parseScript(blocks[0].text, join(ROOT, 'scripts/example.yaml'), { themes: themeNames() });
    expect(s.description).toBe('Demo: db1 is capped while the host is short of memory');
    expect(s.steps).toHaveLength(8);
  });

  it('shows what validate says of a script with mistakes', () => {
    const [broken, output] = [blocks[1], blocks[2]];
    expect(broken.lang).toBe('yaml');
    const dir = join(mkdtempSync(join(tmpdir(), 'memvisor-readme-')), 'scripts');
    mkdirSync(dir);
    writeFileSync(join(dir, 'broken.yaml'), broken.text.replace('../presets/', `${join(ROOT, 'presets')}/`));
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((m: string) => errors.push(...m.split('\n')));
    expect(validateFiles([join(dir, 'broken.yaml')])).toBe(false);
    const [command, ...lines] = output.text.trim().split('\n');
    expect(command).toBe('$ memvisor validate scripts/broken.yaml');
    expect(errors.map((e) => e.replace(join(dir, 'broken.yaml'), 'scripts/broken.yaml'))).toEqual(lines);
  });
});
