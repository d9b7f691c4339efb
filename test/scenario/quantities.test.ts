import { describe, expect, it } from 'vitest';
import {
  formatSize,
  parseCount,
  parseDuration,
  parseFraction,
  parseLimit,
  parseShareSpec,
  parseShares,
  parseSize,
  QuantityError,
  resolveShareLevel,
} from '../../src/scenario/quantities.ts';

/** The QuantityError message `fn` throws, failing the test if it throws nothing or something else. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QuantityError);
    return (e as Error).message;
  }
  throw new Error('expected a QuantityError');
}

describe('parseSize', () => {
  it.each([
    ['1KB', 1],
    ['4KB', 1],
    ['5KB', 2],
    ['8KiB', 2],
    ['12K', 3],
    ['1MB', 256],
    ['1MiB', 256],
    ['1M', 256],
    ['1GB', 262144],
    ['1GiB', 262144],
    ['1G', 262144],
    ['2gb', 524288],
    ['512 mb', 131072],
    ['  1536MB  ', 393216],
    ['1.5GB', 393216],
    ['0.5m', 128],
    ['.5M', 128],
    ['+2MB', 512],
    ['0MB', 0],
  ])('%s is %i pages', (text, pages) => {
    expect(parseSize(text)).toBe(pages);
  });

  it('rounds up to a whole page with exact decimal arithmetic', () => {
    // 0.1GB = 26214.4 pages; float maths would also risk 0.3MB * 256 landing a hair above an integer.
    expect(parseSize('0.1GB')).toBe(26215);
    expect(parseSize('1.1MB')).toBe(282);
    expect(parseSize('0.25MB')).toBe(64);
  });

  it.each([
    ['1024', '"1024" has no unit: write 1024MB or 1GB'],
    ['2048', '"2048" has no unit: write 2048MB or 2GB'],
    ['12', '"12" has no unit: write 12MB or 12GB'],
    ['1.5', '"1.5" has no unit: write 1.5MB or 1.5GB'],
    ['-5MB', '"-5MB" is negative: a size must be 0 or more'],
    ['-1024', '"-1024" is negative: a size must be 0 or more'],
    ['NaN', '"NaN" is not a size: write one such as 512MB'],
    ['abc', '"abc" is not a size: write one such as 512MB'],
    ['1.2.3MB', '"1.2.3MB" is not a size: write one such as 512MB'],
    ['', 'empty size: write one such as 512MB'],
    ['   ', 'empty size: write one such as 512MB'],
    ['5TB', '"5TB" has an unknown unit "TB": use KB, MB or GB'],
    ['5B', '"5B" has an unknown unit "B": use KB, MB or GB'],
    ['99999999999999GB', '"99999999999999GB" is too large'],
  ])('refuses %j', (text, message) => {
    expect(errorOf(() => parseSize(text))).toBe(message);
  });
});

describe('parseLimit', () => {
  it('reads none as no limit, in any case, and anything else as a size', () => {
    expect(parseLimit('none')).toBeNull();
    expect(parseLimit('NONE')).toBeNull();
    expect(parseLimit('1GB')).toBe(262144);
    expect(errorOf(() => parseLimit('nope'))).toBe('"nope" is not a size: write one such as 512MB');
  });
});

describe('formatSize', () => {
  it.each([
    [262144, '1GB'],
    [393216, '1536MB'],
    [256, '1MB'],
    [0, '0MB'],
    [3, '12KB'],
    [42200, '164.84MB'],
  ])('%i pages is %s', (pages, text) => {
    expect(formatSize(pages)).toBe(text);
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 0.5],
    ['30s', 30],
    ['1m', 60],
    ['1.5m', 90],
    ['2h', 7200],
    ['0.1h', 360],
    ['1m30s', 90],
    ['1h2m3s', 3723],
    ['1m 30s', 90],
    ['1s500ms', 1.5],
    ['0s', 0],
    ['30S', 30],
  ])('%s is %f seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each([
    ['30', '"30" has no unit: write 30s or 30m'],
    ['-5s', '"-5s" is negative: a duration must be 0 or more'],
    ['', 'empty duration: write one such as 30s or 1m30s'],
    ['5d', '"5d" has an unknown unit "d": use ms, s, m or h'],
    ['30s1m', '"30s1m" is not a duration: write the parts from hours down, as in 1h2m3s'],
    ['1m1m', '"1m1m" is not a duration: write the parts from hours down, as in 1h2m3s'],
    ['1m30', '"1m30" is not a duration: write one such as 30s, 1m or 1m30s'],
    ['soon', '"soon" is not a duration: write one such as 30s, 1m or 1m30s'],
  ])('refuses %j', (text, message) => {
    expect(errorOf(() => parseDuration(text))).toBe(message);
  });
});

describe('parseFraction', () => {
  it.each([
    ['60%', 0.6],
    ['0.6', 0.6],
    [0.6, 0.6],
    ['100%', 1],
    ['0%', 0],
    [1, 1],
    [0, 0],
    [' 30 % ', 0.3],
  ])('%j is %f', (value, fraction) => {
    expect(parseFraction(value)).toBe(fraction);
  });

  it.each([
    ['60', '"60" is more than 1: write 60% or 0.6'],
    [1.5, '"1.5" is more than 1: write one such as 60% or 0.6'],
    ['150', '"150" is more than 1: write one such as 60% or 0.6'],
    ['150%', '"150%" is more than 100%'],
    ['-5%', '"-5%" is negative: a fraction is between 0 and 1'],
    [-0.1, '"-0.1" is negative: a fraction is between 0 and 1'],
    ['', 'empty fraction: write one such as 60% or 0.6'],
    ['half', '"half" is not a fraction: write one such as 60% or 0.6'],
    [Number.NaN, '"NaN" is not a fraction: write one such as 60% or 0.6'],
  ])('refuses %j', (value, message) => {
    expect(errorOf(() => parseFraction(value))).toBe(message);
  });
});

describe('parseCount', () => {
  it('accepts whole numbers above 0, as text or numbers', () => {
    expect(parseCount('4')).toBe(4);
    expect(parseCount(2)).toBe(2);
  });

  it.each(['0', '-1', '1.5', 'two', ''])('refuses %j', (text) => {
    expect(errorOf(() => parseCount(text))).toBe(`"${text}" is not a whole number above 0`);
  });
});

describe('shares', () => {
  const oneGB = 262144;

  it('resolves ESX levels as 5, 10 and 20 shares per MB of memsz', () => {
    expect(parseShares('low', oneGB)).toBe(5120);
    expect(parseShares('normal', oneGB)).toBe(10240);
    expect(parseShares('HIGH', oneGB)).toBe(20480);
    expect(resolveShareLevel('high', 512 * 256)).toBe(10240);
    expect(resolveShareLevel('low', 1)).toBe(1);
  });

  it('takes a count as given, whatever memsz is', () => {
    expect(parseShares('2000', oneGB)).toBe(2000);
    expect(parseShares(300, 1)).toBe(300);
    expect(parseShareSpec('normal')).toBe('normal');
    expect(parseShareSpec('7')).toBe(7);
  });

  it.each([
    ['hihg', '"hihg" is not low, normal, high or a whole number of shares above 0 (did you mean "high"?)'],
    ['lots', '"lots" is not low, normal, high or a whole number of shares above 0'],
    ['0', '"0" is not low, normal, high or a whole number of shares above 0'],
    [-5, '"-5" is not low, normal, high or a whole number of shares above 0'],
    ['1.5', '"1.5" is not low, normal, high or a whole number of shares above 0'],
  ])('refuses %j', (value, message) => {
    expect(errorOf(() => parseShares(value, oneGB))).toBe(message);
  });
});
