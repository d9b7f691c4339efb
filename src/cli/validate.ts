import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { loadPreset, PresetError } from '../scenario/preset.ts';
import { isScriptData, loadScript } from '../scenario/script.ts';
import { readYaml } from '../scenario/yaml-source.ts';
import { themeNames } from '../ui/theme.ts';

/**
 * Checks each file, a preset or a script (a file whose top level has `preset` or `steps`); a script's
 * preset is checked with it. Prints every problem, or `FILE: ok`. Returns whether all were valid.
 */
export function validateFiles(files: readonly string[]): boolean {
  let allOk = true;
  for (const f of files) {
    try {
      if (isScript(f)) loadScript(f, { themes: themeNames() });
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

/**
 * Whether `file` is a script: its top level has `preset` or `steps`; or, when it is not YAML at all (so
 * its keys cannot tell), it is in a `scripts` folder. Reading errors are left to the loaders to report.
 */
function isScript(file: string): boolean {
  try {
    const read = readYaml(readFileSync(file, 'utf8'));
    return read.ok ? isScriptData(read.source.data) : basename(dirname(resolve(file))) === 'scripts';
  } catch {
    return false;
  }
}
