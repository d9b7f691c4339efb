/**
 * Sizes, durations, fractions and shares as people write them ("512MB", "1m30s", "60%", "high"), into the
 * engine's units: pages, seconds, 0..1 fractions and share counts. Units are always required, so a bare
 * "1024" is never silently read as pages, bytes or MB.
 */
import { SHARE_LEVELS } from '../engine/config.ts';
import { PAGE_SIZE, PAGES_PER_MB, pagesToMB, round2 } from '../engine/units.ts';
import { closest } from './suggest.ts';

export class QuantityError extends Error {
  override name = 'QuantityError';
}

export type ShareLevel = keyof typeof SHARE_LEVELS;
export const SHARE_LEVEL_NAMES = Object.keys(SHARE_LEVELS) as ShareLevel[];

const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)`;
const BARE_NUMBER = new RegExp(`^${NUMBER}$`);
const NUMBER_AND_UNIT = new RegExp(`^(${NUMBER})\\s*([a-z]*)$`, 'i');

const KIB = 1024n;
/** Binary multiples whatever the spelling: memory is sized in powers of two, so 1MB means 1 MiB. */
const SIZE_UNITS: Record<string, bigint> = {
  k: KIB,
  kb: KIB,
  kib: KIB,
  m: KIB ** 2n,
  mb: KIB ** 2n,
  mib: KIB ** 2n,
  g: KIB ** 3n,
  gb: KIB ** 3n,
  gib: KIB ** 3n,
};

/** Splits "1.5 GB" into "1.5" and "GB" (null when it is not one number and unit); refuses empty and negative. */
function splitQuantity(
  trimmed: string,
  kind: string,
  example: string,
): { number: string; unit: string } | null {
  if (trimmed === '') throw new QuantityError(`empty ${kind}: write one such as ${example}`);
  const match = NUMBER_AND_UNIT.exec(trimmed);
  if (!match) return null;
  if (match[1].startsWith('-')) {
    throw new QuantityError(`"${trimmed}" is negative: a ${kind} must be 0 or more`);
  }
  return { number: match[1].replace(/^\+/, ''), unit: match[2] };
}

/** "1024" -> "write 1024MB or 1GB"; "12" -> "write 12MB or 12GB". */
function sizeUnitAdvice(number: string): string {
  const n = Number(number);
  const gb = n >= 1024 && n % 1024 === 0 ? n / 1024 : n;
  return `write ${number}MB or ${gb}GB`;
}

/** A size in pages, rounded up to a whole page. Decimal arithmetic is exact, so 0.1GB is 26215 pages. */
export function parseSize(text: string): number {
  const trimmed = text.trim();
  const split = splitQuantity(trimmed, 'size', '512MB');
  if (!split) throw new QuantityError(`"${trimmed}" is not a size: write one such as 512MB`);
  const { number, unit } = split;
  if (unit === '') throw new QuantityError(`"${number}" has no unit: ${sizeUnitAdvice(number)}`);
  const unitBytes = SIZE_UNITS[unit.toLowerCase()];
  if (unitBytes === undefined) {
    throw new QuantityError(`"${trimmed}" has an unknown unit "${unit}": use KB, MB or GB`);
  }
  const [whole, fraction = ''] = number.split('.');
  const scaled = BigInt(`${whole}${fraction}` || '0');
  const divisor = 10n ** BigInt(fraction.length) * BigInt(PAGE_SIZE);
  const pages = (scaled * unitBytes + divisor - 1n) / divisor;
  if (pages > BigInt(Number.MAX_SAFE_INTEGER)) throw new QuantityError(`"${trimmed}" is too large`);
  return Number(pages);
}

/** A limit: a size, or "none" for no limit (null, esxtop's AMAX -1). */
export function parseLimit(text: string): number | null {
  return text.trim().toLowerCase() === 'none' ? null : parseSize(text);
}

/** Pages for messages: 1GB, 1536MB, 164.84MB, 12KB (exact unless it is a fraction of a MB above 1MB). */
export function formatSize(pages: number): string {
  if (pages !== 0 && pages % (PAGES_PER_MB * 1024) === 0) return `${pages / (PAGES_PER_MB * 1024)}GB`;
  if (pages > 0 && pages < PAGES_PER_MB) return `${(pages * PAGE_SIZE) / 1024}KB`;
  return `${round2(pagesToMB(pages))}MB`;
}

const SECONDS_PER_UNIT: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
/** Whole milliseconds, which also rounds away float noise such as 0.1h = 360.00000000000006s. */
const roundToMs = (seconds: number): number => Math.round(seconds * 1000) / 1000;

/** A duration in seconds: 500ms, 30s, 1.5m, 2h, or parts run together from hours down, as in 1m30s. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const split = splitQuantity(trimmed, 'duration', '30s or 1m30s');
  if (!split) return parseCompoundDuration(trimmed);
  const { number, unit } = split;
  if (unit === '') throw new QuantityError(`"${number}" has no unit: write ${number}s or ${number}m`);
  const factor = SECONDS_PER_UNIT[unit.toLowerCase()];
  if (factor === undefined) {
    throw new QuantityError(`"${trimmed}" has an unknown unit "${unit}": use ms, s, m or h`);
  }
  return roundToMs(Number(number) * factor);
}

function parseCompoundDuration(trimmed: string): number {
  // One part per match, sticky so that nothing may sit between parts.
  const part = /\s*(\d+(?:\.\d*)?|\.\d+)\s*(ms|h|m|s)\s*/iy;
  const order = Object.keys(SECONDS_PER_UNIT);
  let seconds = 0;
  let previous = -1;
  while (part.lastIndex < trimmed.length) {
    const match = part.exec(trimmed);
    if (!match) throw new QuantityError(`"${trimmed}" is not a duration: write one such as 30s, 1m or 1m30s`);
    const index = order.indexOf(match[2].toLowerCase());
    if (index <= previous) {
      throw new QuantityError(
        `"${trimmed}" is not a duration: write the parts from hours down, as in 1h2m3s`,
      );
    }
    previous = index;
    seconds += Number(match[1]) * SECONDS_PER_UNIT[order[index]];
  }
  return roundToMs(seconds);
}

/** A fraction 0..1, written as a percent ("60%") or a plain number ("0.6"). */
export function parseFraction(value: string | number): number {
  const trimmed = String(value).trim();
  if (trimmed === '') throw new QuantityError('empty fraction: write one such as 60% or 0.6');
  const percent = trimmed.endsWith('%');
  const number = percent ? trimmed.slice(0, -1).trim() : trimmed;
  if (!BARE_NUMBER.test(number)) {
    throw new QuantityError(`"${trimmed}" is not a fraction: write one such as 60% or 0.6`);
  }
  const n = Number(number);
  if (n < 0) throw new QuantityError(`"${trimmed}" is negative: a fraction is between 0 and 1`);
  if (percent) {
    if (n > 100) throw new QuantityError(`"${trimmed}" is more than 100%`);
    return n / 100;
  }
  if (n > 1) {
    const advice =
      Number.isInteger(n) && n <= 100 ? `write ${number}% or ${n / 100}` : 'write one such as 60% or 0.6';
    throw new QuantityError(`"${trimmed}" is more than 1: ${advice}`);
  }
  return n;
}

/** A whole number above 0 (vCPUs, ticks, sample pages). */
export function parseCount(value: string | number): number {
  const trimmed = String(value).trim();
  const n = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || n === 0) {
    throw new QuantityError(`"${trimmed}" is not a whole number above 0`);
  }
  return n;
}

/** Shares as written: an ESX level, resolved later against the guest's memsz, or a share count. */
export function parseShareSpec(value: string | number): ShareLevel | number {
  const trimmed = String(value).trim();
  const level = SHARE_LEVEL_NAMES.find((name) => name === trimmed.toLowerCase());
  if (level !== undefined) return level;
  if (/^\d+$/.test(trimmed) && Number(trimmed) > 0) return Number(trimmed);
  const near = closest(trimmed, SHARE_LEVEL_NAMES);
  const suggestion = near === undefined ? '' : ` (did you mean "${near}"?)`;
  throw new QuantityError(
    `"${trimmed}" is not low, normal, high or a whole number of shares above 0${suggestion}`,
  );
}

/** ESX levels are shares per MB of configured memory; at least 1 so that a tiny guest still competes. */
export function resolveShareLevel(level: ShareLevel, memszPages: number): number {
  return Math.max(1, Math.round((SHARE_LEVELS[level] * memszPages) / PAGES_PER_MB));
}

/** Shares as a count: a level (low, normal, high) scaled by memsz, or a count given outright. */
export function parseShares(value: string | number, memszPages: number): number {
  const spec = parseShareSpec(value);
  return typeof spec === 'number' ? spec : resolveShareLevel(spec, memszPages);
}
