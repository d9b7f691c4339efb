import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { clockTime, progressBar, progressLine } from '../../src/cli/progress.ts';

/** A stream that keeps what is written; a terminal of `columns` when `tty`. */
function stream(tty: boolean, columns = 100): Writable & { isTTY: boolean; columns: number; text(): string } {
  const chunks: string[] = [];
  const s = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(s, { isTTY: tty, columns, text: () => chunks.join('') });
}

const cells = (f: number): string =>
  `${'#'.repeat(Math.round(f * 10))}${'.'.repeat(10 - Math.round(f * 10))}`;

describe('progress bar', () => {
  it('says simulated time against the total, the rate and the time left', () => {
    expect(progressLine('batch default', 90, 300, 6, 14, 200, cells)).toBe(
      'batch default [###.......]  30% t=1:30 of 5:00  15.0 sim s/s  0:14 left',
    );
  });

  it('leaves out the rate before any wall time has passed and the time left before it is known', () => {
    expect(progressLine('record', 0, 3600, 0, null, 200, cells)).toBe(
      'record [..........]   0% t=0:00 of 1:00:00',
    );
  });

  it('fits the terminal by leaving out whole parts (the rate, the label, the time), never half a number', () => {
    const at = (width: number): string => progressLine('compare default', 150, 300, 10, 10, width, cells);
    expect(at(80)).toBe('compare default [#####.....]  50% t=2:30 of 5:00  15.0 sim s/s  0:10 left');
    expect(at(70)).toBe('compare default [#####.....]  50% t=2:30 of 5:00  0:10 left');
    expect(at(50)).toBe('[#####.....]  50% t=2:30 of 5:00  0:10 left');
    expect(at(40)).toBe('[#####.....]  50%  0:10 left');
    expect(at(12)).toBe('[#####.....');
  });

  it('writes times as m:ss, from an hour on as h:mm:ss', () => {
    expect([clockTime(0), clockTime(59.6), clockTime(61), clockTime(3600), clockTime(3725)]).toEqual([
      '0:00',
      '1:00',
      '1:01',
      '1:00:00',
      '1:02:05',
    ]);
  });

  it('writes nothing when standard error is not a terminal, and lets output through', () => {
    const err = stream(false);
    const bar = progressBar('batch default', 300, err);
    bar.update(150);
    let wrote = false;
    bar.above(() => {
      wrote = true;
    });
    bar.stop();
    expect(wrote).toBe(true);
    expect(err.text()).toBe('');
  });

  it('draws on a terminal, draws again under output written above it, and clears its line at the end', () => {
    const err = stream(true, 80);
    const bar = progressBar('batch default', 300, err);
    bar.update(150);
    expect(err.text()).toContain('batch default [');
    const before = err.text().length;
    let order = '';
    bar.above(() => {
      order = err.text().slice(before);
    });
    // The line is cleared before the output, and the bar drawn again after it.
    expect(order).toBe('\r\x1b[K');
    const again = err.text().slice(before);
    expect(again.startsWith('\r\x1b[K\x1b7')).toBe(true);
    expect(stripVTControlCharacters(again)).toMatch(/batch default \[.* 50% t=2:30 of 5:00/);
    bar.stop();
    expect(err.text().endsWith('\x1b[2K')).toBe(true);
    for (const drawn of err.text().split('\x1b[1G')) {
      expect(stripVTControlCharacters(drawn).length).toBeLessThan(80);
    }
  });
});
