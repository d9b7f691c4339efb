import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './usage-error.ts';

/** The presets folder that ships with memvisor. */
export const PRESET_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../presets');

/** A preset argument is a path, or the name of a shipped preset (`default`, `esx-balloon-vs-swap`). */
export function presetPath(arg: string): string {
  if (existsSync(arg)) return arg;
  const shipped = join(PRESET_DIR, arg.endsWith('.yaml') ? arg : `${arg}.yaml`);
  if (existsSync(shipped)) return shipped;
  const names = listPresets().map((p) => p.name);
  throw new UsageError(
    `preset "${arg}": no such file, and no shipped preset by that name (${names.join(', ')})`,
  );
}

/** Each shipped preset with the first line of its opening comment. */
export function listPresets(): { name: string; description: string }[] {
  return readdirSync(PRESET_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const first = readFileSync(join(PRESET_DIR, f), 'utf8').split('\n')[0] ?? '';
      return { name: basename(f, '.yaml'), description: first.replace(/^#\s*/, '') };
    });
}
