import { loadPreset, PresetError } from '../scenario/preset.ts';

/** Checks each file; prints every problem, or `FILE: ok`. Returns whether all were valid. */
export function validateFiles(files: readonly string[]): boolean {
  let allOk = true;
  for (const f of files) {
    try {
      loadPreset(f);
      console.log(`${f}: ok`);
    } catch (err) {
      if (!(err instanceof PresetError)) throw err;
      console.error(err.message);
      allOk = false;
    }
  }
  return allOk;
}
