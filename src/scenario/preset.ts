/**
 * Presets: a YAML file describing a host, its guests and a timeline of commands, checked as a whole so
 * that every problem is reported at once, each with its file, line, column and field path.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaultHostConfig, type HostConfig } from '../engine/config.ts';
import { guestNames, type PresetGuest, readGuests } from './preset-guests.ts';
import { check, type HostFields, HostSchema, RootSchema } from './preset-schema.ts';
import { type Finding, formatPath, type PathStep, PresetError, type Problem } from './problems.ts';
import { readTimeline, type TimelineEntry } from './timeline.ts';
import { isMapping, PRESET, readMapping, type YamlSource } from './yaml-source.ts';

export type { PresetGuest } from './preset-guests.ts';
export { PresetError, type Problem } from './problems.ts';
export type { TimelineEntry } from './timeline.ts';

export interface Preset {
  file: string;
  /** The file's first comment line: what this preset shows. */
  description: string;
  seed: number;
  personality: string;
  host: HostConfig;
  /** The host settings the file gives explicitly (to warn about those the personality does not use). */
  hostSettings: string[];
  guests: PresetGuest[];
  /** Sorted by time. */
  timeline: TimelineEntry[];
}

export function loadPreset(path: string): Preset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PresetError([
      { file: path, line: 0, col: 0, path: '', message: `cannot read: ${(e as Error).message}` },
    ]);
  }
  return parsePreset(text, path);
}

/** Parses preset text; `file` names it in messages and is where relative trace files are found. */
export function parsePreset(text: string, file: string): Preset {
  const { data, locate } = readMapping(text, file, PRESET, 'host, guests and timeline');
  return presetFromData(data, { file, locate, description: leadingComment(text) });
}

export interface PresetPlace {
  /** The file the preset is in; relative trace files are found beside it. */
  file: string;
  locate: YamlSource['locate'];
  description: string;
  /** Where the preset's map is in the file: [] for a preset file, ['preset'] inside a lesson. */
  prefix?: PathStep[];
}

/** A preset from its map as read from YAML (a preset file, or a preset written inside a lesson). */
export function presetFromData(data: Record<string, unknown>, place: PresetPlace): Preset {
  const { file } = place;
  const prefix = place.prefix ?? [];
  const locate: YamlSource['locate'] = (path, at) => place.locate([...prefix, ...path], at);
  const findings: Finding[] = [];
  const root = check(RootSchema, data, [], findings);
  const hostFields = check(HostSchema, data.host, ['host'], findings);
  const host = hostFields === undefined ? undefined : hostConfig(hostFields);
  const baseDir = dirname(file);
  const guestItems = Array.isArray(data.guests) ? data.guests : [];
  const guests = readGuests(guestItems, host?.memoryPages, baseDir, findings);
  const timeline = readTimeline(
    Array.isArray(data.timeline) ? data.timeline : [],
    {
      guests: guestNames(guestItems).map((g) => g.name),
      hostMemoryPages: host?.memoryPages,
      baseDir,
      lineOf: (path) => locate(path).line,
    },
    findings,
  );
  // root and host are only undefined when findings say why; the test is for the type checker.
  if (findings.length > 0 || root === undefined || host === undefined) {
    throw new PresetError(
      findings
        .map((f) => toProblem({ ...f, path: [...prefix, ...f.path] }, file, place.locate))
        .sort((a, b) => a.line - b.line || a.col - b.col),
    );
  }
  return {
    file,
    description: place.description,
    seed: root.seed ?? 1,
    personality: root.personality ?? 'esx',
    host,
    hostSettings: isMapping(data.host) ? Object.keys(data.host) : [],
    guests: guests.map((g, i) => ({ ...g, ...locate(['guests', i]) })),
    timeline,
  };
}

function hostConfig(h: HostFields): HostConfig {
  const d = defaultHostConfig(h.memory);
  return {
    ...d,
    thresholds: h.thresholds ?? d.thresholds,
    idleTax: h.idleTax ?? d.idleTax,
    samplePeriod: h.samplePeriod ?? d.samplePeriod,
    samplePages: h.samplePages ?? d.samplePages,
    tick: h.tick ?? d.tick,
    ...(h.swapDir === undefined ? {} : { swapDir: h.swapDir }),
    reclaim: {
      ...d.reclaim,
      shareScanTime: h.shareScanTime ?? d.reclaim.shareScanTime,
      ksmPagesToScan: h.ksmPagesToScan ?? d.reclaim.ksmPagesToScan,
      ksmSleepMillisecs: h.ksmSleep === undefined ? d.reclaim.ksmSleepMillisecs : h.ksmSleep * 1000,
      victim: h.eviction ?? d.reclaim.victim,
      zipCacheFraction: h.compressionCache ?? d.reclaim.zipCacheFraction,
    },
    ...(h.without === undefined ? {} : { without: h.without }),
    policy: {
      mom: h.mom ?? d.policy.mom,
      hypervBuffer: h.hypervBuffer ?? d.policy.hypervBuffer,
      nodeLimitPages: h.nodeLimit ?? d.policy.nodeLimitPages,
    },
  };
}

/** The first comment line before any content, without its `#`: what a preset or script shows. */
export function leadingComment(text: string): string {
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed === '---') continue;
    return trimmed.startsWith('#') ? trimmed.replace(/^#+/, '').trim() : '';
  }
  return '';
}

export function toProblem(f: Finding, file: string, locate: YamlSource['locate']): Problem {
  return { file, ...locate(f.path, f.at), path: formatPath(f.path), message: f.message };
}
