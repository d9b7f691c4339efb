import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { isExperimentData, loadExperiment } from '../experiment/spec.ts';
import { isLessonData, loadLesson } from '../scenario/lesson.ts';
import { loadPreset, PresetError } from '../scenario/preset.ts';
import { isScriptData, loadScript } from '../scenario/script.ts';
import { readYaml } from '../scenario/yaml-source.ts';
import { themeNames } from '../ui/theme.ts';

/**
 * Checks each file, a preset, a script (a file whose top level has `preset` or `steps`), a lesson (one
 * whose top level has `lesson`) or an experiment (one whose top level has `kind`); a script's, a lesson's
 * or an experiment's preset is checked with it. Prints every problem,
 * or `FILE: ok`. Returns whether all were valid.
 */
export function validateFiles(files: readonly string[]): boolean {
  let allOk = true;
  for (const f of files) {
    try {
      const kind = kindOf(f);
      if (kind === 'lesson') loadLesson(f);
      else if (kind === 'experiment') loadExperiment(f);
      else if (kind === 'script') loadScript(f, { themes: themeNames() });
      else loadPreset(f);
      console.log(`${f}: ok`);
    } catch (err) {
      if (!(err instanceof PresetError)) throw err;
      console.error(err.message);
      allOk = false;
    }
  }
  return allOk;
}

type FileKind = 'lesson' | 'experiment' | 'script' | 'preset';
const BY_FOLDER: Readonly<Record<string, FileKind>> = {
  lessons: 'lesson',
  experiments: 'experiment',
  scripts: 'script',
};

/**
 * What `file` is: a lesson when its top level has `lesson`, an experiment when it has `kind` (it has a
 * `preset` too, so this is asked first), a script when it has `preset` or `steps`; or, when it is not
 * YAML at all (so its keys cannot tell), what its folder holds (`lessons`, `experiments`, `scripts`).
 * Reading errors are left to the loaders to report.
 */
function kindOf(file: string): FileKind {
  try {
    const read = readYaml(readFileSync(file, 'utf8'));
    if (read.ok) {
      if (isLessonData(read.source.data)) return 'lesson';
      if (isExperimentData(read.source.data)) return 'experiment';
      return isScriptData(read.source.data) ? 'script' : 'preset';
    }
    return BY_FOLDER[basename(dirname(resolve(file)))] ?? 'preset';
  } catch {
    return 'preset';
  }
}
