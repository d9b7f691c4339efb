/**
 * docs/demo.cast against scripts/demo.yaml, the fast way: a valid asciicast v2 file of the script's size
 * and title, each caption at the recorded time the script gives it, and the end where the script ends.
 * So an edited script with a stale recording fails here. Whether every frame is what the dashboard draws
 * today takes a full recording (over a minute): .ci/run does that (test/ci/demo.ci.ts), and
 * `npm run demo` records the file again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCast } from '../../src/output/asciicast-read.ts';
import { loadScript } from '../../src/scenario/script.ts';
import { ROOT } from '../cli.ts';

const script = loadScript(join(ROOT, 'scripts/demo.yaml'));
const cast = readCast(readFileSync(join(ROOT, 'docs/demo.cast'), 'utf8'));

/** Each caption's recorded time (simulated time / speed, plus what holds and keystrokes held before it), and the end's. */
function timeline(): { captions: [number, string][]; end: number } {
  const captions: [number, string][] = [];
  let held = 0;
  for (const step of script.steps) {
    const a = step.action;
    if (a.kind === 'caption') captions.push([held + step.at / script.speed, a.text]);
    if (a.kind === 'hold') held += a.seconds;
    if (a.kind === 'keys') held += a.keys.length * script.typing;
  }
  return { captions, end: held + script.duration / script.speed };
}

const round = (t: number): number => Math.round(t * 1e6) / 1e6;

describe('docs/demo.cast is scripts/demo.yaml recorded', () => {
  it('has the size and title the script gives', () => {
    expect(cast.header).toMatchObject({ width: script.cols, height: script.rows, title: script.title });
  });

  it('shows each caption at its time and ends where the script ends', () => {
    const { captions, end } = timeline();
    expect(captions.length).toBeGreaterThan(5);
    for (const [t, text] of captions) {
      const event = cast.events.find(([time]) => time === round(t));
      expect(event?.[2], `caption at ${round(t)}s: ${text}`).toContain(text);
    }
    expect(cast.events.at(-1)?.[0]).toBe(round(end));
  });
});
