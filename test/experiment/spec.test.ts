import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/experiment/spec.ts';
import { PresetError } from '../../src/scenario/problems.ts';

const GOOD = `# A small experiment
kind: balloon-vs-swap
seed: 3
figure: throughput
source: somewhere, 5.3
preset:
  host:
    memory: 256MB
  guests:
    - name: db
      memsz: 64MB
      workloads:
        - type: database
          size: 24MB
params:
  steps: [0.8, 0.4]
  warmup: 20
  settle: 10
  measure: 5
  published:
    plateau: { low: 0.9, high: 1.1, text: near 1, source: 002 5.3 }
    earlier: { text: swap first, source: 002 5.3 }
    deepest: { low: 0, high: 0.5, text: low, source: 002 5.3 }
quick:
  params:
    steps: [0.5]
    warmup: 5
`;

function problems(text: string): string[] {
  try {
    parseExperiment(text, 'x.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(PresetError);
    return (e as Error).message.split('\n');
  }
  throw new Error('parsed');
}

describe('an experiment file', () => {
  it('gives its name, title, kind, seed and checked parameters; --quick takes its small version', () => {
    const full = parseExperiment(GOOD, 'presets/experiments/small.yaml');
    expect(full).toMatchObject({
      name: 'small',
      title: 'A small experiment',
      kind: 'balloon-vs-swap',
      seed: 3,
    });
    expect(full.params).toMatchObject({ steps: [0.8, 0.4], warmup: 20 });
    const quick = parseExperiment(GOOD, 'small.yaml', true);
    expect(quick.params).toMatchObject({ steps: [0.5], warmup: 5, settle: 10 });
  });

  it('says every problem at once with its line, column and field, in the preset, the parameters and quick', () => {
    const bad = GOOD.replace('memory: 256MB', 'memory: 256')
      .replace('seed: 3', 'seed: three')
      .replace('warmup: 20', 'warmup: soon')
      .replace('steps: [0.5]', 'steps: [2]')
      .replace('kind: balloon-vs-swap', 'kind: balloon-vs-swap\ncolour: red');
    expect(problems(bad)).toEqual([
      'x.yaml:3:1: colour: unknown key (one of kind, seed, figure, source, preset, params, shortfalls, quick)',
      'x.yaml:4:7: seed: expected a whole number, got "three"',
      'x.yaml:9:13: preset.host.memory: "256" has no unit: write 256MB or 256GB',
      'x.yaml:18:11: params.warmup: expected a number of seconds, such as 30, got "soon"',
      'x.yaml:27:13: quick.params.steps[0]: must be at most 1',
    ]);
  });

  it('refuses an unknown kind, naming the kinds', () => {
    expect(problems(GOOD.replace('kind: balloon-vs-swap', 'kind: coin-toss'))[0]).toMatch(
      /^x\.yaml:2:7: kind: expected one of balloon-vs-swap/,
    );
  });
});
