/** Building a configuration's preset text from an experiment's base preset (data in preset syntax). */
import { stringify } from 'yaml';
import { parseSize } from '../../scenario/quantities.ts';

export type PresetData = Record<string, unknown>;
export type GuestData = Record<string, unknown>;

export const guestsOf = (preset: PresetData): GuestData[] => (preset.guests as GuestData[] | undefined) ?? [];

/** A guest's memory in pages, from its `memsz` as written. */
export const memszOf = (g: GuestData): number => parseSize(String(g.memsz));

/** A size in KB, exact to the page, as a command or a preset takes it. */
export const kb = (pages: number): string => `${Math.round(pages) * 4}KB`;

/** The preset as YAML text, with a comment line naming the configuration. */
export const presetText = (title: string, preset: PresetData): string =>
  `# ${title}\n${stringify(preset, { lineWidth: 0 })}`;
