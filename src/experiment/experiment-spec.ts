/**
 * What an experiment is once its file is read and checked (spec.ts reads it). A file of its own so
 * the kinds, which read it, and the reader, which picks a kind, do not import each other.
 */
import type { KindName } from './kinds/names.ts';

export interface ExperimentSpec {
  /** The file's name without .yaml: what `memvisor experiment NAME` takes. */
  readonly name: string;
  readonly file: string;
  /** The file's first comment line. */
  readonly title: string;
  readonly kind: KindName;
  readonly seed: number;
  /** The figure the experiment measures, in words. */
  readonly figure: string;
  /** Where the published figures come from. */
  readonly source: string;
  /** The base preset, as data in preset syntax (checked). */
  readonly preset: Record<string, unknown>;
  /** The kind's parameters (checked by the kind). */
  readonly params: unknown;
  /** Where the model falls short of what the experiment measures, in words: printed with every report. */
  readonly shortfalls: readonly string[];
}
