/**
 * What an experiment is, as its file says it (presets/experiments/*.yaml): the kind of experiment
 * (which decides its configurations and how their results are read), a seed, a base preset, the
 * kind's parameters (the sweep, the timing, the published figures with their sources), and the same
 * in small for `--quick`. The file is checked as a preset is: every problem at once, with its line
 * and column.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { leadingComment, presetFromData, toProblem } from '../scenario/preset.ts';
import { check, expected, strictMap, text } from '../scenario/preset-schema.ts';
import { type Finding, PresetError, type Problem } from '../scenario/problems.ts';
import { isMapping, readMapping } from '../scenario/yaml-source.ts';
import type { ExperimentSpec } from './experiment-spec.ts';
import { KIND_NAMES, type KindName, kindOf } from './kinds/index.ts';

const map = (what: string) => z.record(z.string(), z.unknown(), { error: expected(what) });

const FileSchema = strictMap({
  kind: z.enum(KIND_NAMES, { error: expected(`one of ${KIND_NAMES.join(', ')}`) }),
  seed: z.int({ error: expected('a whole number') }),
  figure: text('what is measured, in words'),
  source: text('where the published figures come from'),
  preset: map('a preset (a map with host and guests)'),
  params: map('a map of parameters'),
  shortfalls: z.array(text('a sentence'), { error: expected('a list of sentences') }).optional(),
  quick: strictMap({
    preset: map('a preset').optional(),
    params: map('a map of parameters').optional(),
  }).optional(),
});

const EXPERIMENT = { name: 'experiment', needs: 'kind, seed, figure, source, preset and params' };

/** Whether data read from a file is an experiment: its top level has `kind` (no preset, script or lesson has). */
export function isExperimentData(data: unknown): boolean {
  return isMapping(data) && 'kind' in data;
}

/** Reads and checks an experiment file; `quick` takes its small version. Throws PresetError with every problem. */
export function loadExperiment(file: string, quick = false): ExperimentSpec {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PresetError([
      { file, line: 0, col: 0, path: '', message: `cannot read: ${(e as Error).message}` },
    ]);
  }
  return parseExperiment(source, file, quick);
}

/**
 * Checks an experiment's text. Both versions are checked whichever is asked for, so a broken
 * `--quick` is found by a full run too; a quick key replaces the full one and its problems are
 * reported where it is written.
 */
export function parseExperiment(source: string, file: string, quick = false): ExperimentSpec {
  const { data, locate } = readMapping(source, file, EXPERIMENT, 'kind, seed, preset and params');
  const findings: Finding[] = [];
  const problems: Problem[] = [];
  const root = check(FileSchema, data, [], findings);
  // The parts are checked whatever else is wrong, so one pass reports everything.
  const kindName = (KIND_NAMES as readonly string[]).includes(String(data.kind))
    ? (data.kind as KindName)
    : null;
  const asMap = (v: unknown): Record<string, unknown> | null =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  const preset = asMap(data.preset);
  const params = asMap(data.params);
  const quickPart = asMap(data.quick);
  const quickPreset = asMap(quickPart?.preset);
  const quickParams = asMap(quickPart?.params);
  {
    const checkPreset = (preset: Record<string, unknown>, prefix: string[]): void => {
      try {
        presetFromData(preset, { file, locate, description: '', prefix });
      } catch (e) {
        if (!(e instanceof PresetError)) throw e;
        problems.push(...e.problems);
      }
    };
    const checkParams = (given: Record<string, unknown>, quickKeys: Record<string, unknown>): void => {
      if (!kindName) return;
      const result = kindOf(kindName).params.safeParse(given);
      if (result.success) return;
      for (const issue of result.error.issues) {
        const path = issue.path.map((s) => (typeof s === 'number' ? s : String(s)));
        const prefix = String(path[0]) in quickKeys ? ['quick', 'params'] : ['params'];
        findings.push({ path: [...prefix, ...path], message: issue.message });
      }
    };
    if (preset) checkPreset(preset, ['preset']);
    if (params) checkParams(params, {});
    if (quickPreset) checkPreset(quickPreset, ['quick', 'preset']);
    if (params && quickParams) checkParams({ ...params, ...quickParams }, quickParams);
  }
  problems.push(...findings.map((f) => toProblem(f, file, locate)));
  if (problems.length > 0 || !root) {
    throw new PresetError(dedupe(problems).sort((a, b) => a.line - b.line || a.col - b.col));
  }
  const small = quick ? root.quick : undefined;
  return {
    name: basename(file).replace(/\.ya?ml$/, ''),
    file,
    title: leadingComment(source),
    kind: root.kind,
    seed: root.seed,
    figure: root.figure,
    source: root.source,
    preset: small?.preset ?? root.preset,
    params: kindOf(root.kind).params.parse({ ...root.params, ...small?.params }),
    shortfalls: root.shortfalls ?? [],
  };
}

/** The same problem found through both versions is said once. */
function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.col}:${p.path}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
