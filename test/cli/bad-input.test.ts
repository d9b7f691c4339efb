/**
 * Bad input is refused before anything runs, with one message naming the file (and line) and exit
 * status 2, wherever the bad file is named from: a trace in a preset's guest list, in its timeline or in
 * a script's steps, a preset a personality cannot run, an output that cannot be written.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../src/cli/batch.ts';
import { runRecord } from '../../src/cli/record.ts';
import { UsageError } from '../../src/cli/usage-error.ts';
import { loadPreset } from '../../src/scenario/preset.ts';
import { PresetError } from '../../src/scenario/problems.ts';
import { loadScript } from '../../src/scenario/script.ts';
import { Session } from '../../src/session/session.ts';
import { ROOT, runCli } from '../cli.ts';

const DIR = mkdtempSync(join(tmpdir(), 'memvisor-bad-input-'));
const file = (name: string, ...lines: string[]): string => {
  const path = join(DIR, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};

file('bad.trace', '# a write with bytes that are not hex', 'W 0 0 ab', 'W 1 0 zz');
file('good.trace', 'W 0 0 ab', 'R 0');
const HOST = ['host:', '  memory: 256MB', 'guests:', '  - name: vm1', '    memsz: 64MB'];
const inGuests = file(
  'in-guests.yaml',
  '# a trace in the guest list',
  ...HOST,
  '    workloads:',
  '      - type: trace',
  '        file: bad.trace',
);
const inTimeline = file(
  'in-timeline.yaml',
  '# traces in the timeline',
  ...HOST,
  'timeline:',
  '  - at 2s: start vm1 trace file=good.trace',
  '  - at 3s: start vm1 trace name=t2 file=bad.trace',
  '  - at 4s: start vm1 trace name=t3 file=missing.trace',
);
const fine = file('fine.yaml', '# no trace', ...HOST);
const inSteps = file(
  'in-steps.yaml',
  '# a trace in a step',
  'preset: fine.yaml',
  'duration: 10s',
  'steps:',
  '  - at 5s: start vm1 trace file=bad.trace',
);
const BAD_LINE = `${join(DIR, 'bad.trace')}:3: hex bytes "zz" contain a non-hex character`;

const problemsOf = (load: () => unknown): string => {
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(PresetError);
    return (err as PresetError).message;
  }
  throw new Error('no problem found');
};

describe('a bad trace file is bad input wherever it is named', () => {
  it('in a guest list: the workload file, with the trace line that is wrong', () => {
    expect(problemsOf(() => loadPreset(inGuests))).toBe(
      `${inGuests}:9:15: guests[0].workloads[0].file: ${BAD_LINE}`,
    );
  });

  it('in a timeline: each start whose trace cannot be read or replayed', () => {
    expect(problemsOf(() => loadPreset(inTimeline)).split('\n')).toEqual([
      `${inTimeline}:9:5: timeline[1]: start: file: ${BAD_LINE}`,
      expect.stringMatching(
        new RegExp(
          `^${inTimeline}:10:5: timeline\\[2\\]: start: file: .*missing\\.trace:0: cannot read the trace file: .*ENOENT`,
        ),
      ),
    ]);
  });

  it("in a script's steps", () => {
    expect(problemsOf(() => loadScript(inSteps))).toBe(`${inSteps}:5:5: steps[0]: start: file: ${BAD_LINE}`);
  });

  it('from the command line: exit status 2, one message, nothing run', () => {
    for (const args of [
      ['batch', inGuests, '-n', '1'],
      ['record', inSteps],
    ]) {
      const r = runCli(...args);
      expect(r.status).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(BAD_LINE);
      expect(r.err).not.toMatch(/^\s+at /m);
    }
    // validate lists the same problems, with its own status for "problems found".
    const v = runCli('validate', inGuests, inTimeline);
    expect(v.status).toBe(1);
    expect(v.err.trim().split('\n')).toHaveLength(3);
  });
});

describe('other bad input', () => {
  it('a preset whose guests the personality cannot power on: exit status 2 naming the guest where it is written', () => {
    expect(
      problemsOf(
        () => new Session(loadPreset(join(ROOT, 'presets/default.yaml')), { personality: 'hyperv' }),
      ),
    ).toMatch(
      /default\.yaml:32:5: guests\[2\]: add: build1: hyperv: startup memory and overhead \d+ MB does not fit/,
    );
    const r = runCli('batch', 'default', '--personality', 'hyperv', '-n', '1');
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^\S+default\.yaml:32:5: guests\[2\]: add: build1: hyperv: .* does not fit/);
  });

  it('a dump directory that cannot be made: refused before the first sample', async () => {
    const session = new Session(loadPreset(fine));
    const out = join(DIR, 'not-run.json');
    try {
      const run = runBatch(session, {
        samples: 1,
        delay: 1,
        format: 'json',
        hostName: 'memvisor',
        label: 'batch',
        output: out,
        dumpDir: join(fine, 'dumps'),
      });
      await expect(run).rejects.toThrow(UsageError);
      await expect(run).rejects.toThrow(`batch: --dump-dir ${join(fine, 'dumps')}: cannot create: ENOTDIR`);
      expect(session.host.t).toBe(0);
      expect(existsSync(out)).toBe(false);
    } finally {
      session.close();
    }
  });

  it('a recording to a file that cannot be written: refused before recording', async () => {
    const script = file('ok-steps.yaml', '# fine', 'preset: fine.yaml', 'duration: 10s', 'steps: []');
    await expect(runRecord(script, { output: DIR })).rejects.toThrow(
      `record: -o ${DIR}: cannot write: it is a directory`,
    );
    await expect(runRecord(script, { output: join(DIR, 'no/such/dir/x.cast') })).rejects.toThrow(UsageError);
  });
});
