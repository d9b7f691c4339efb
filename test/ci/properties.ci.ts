/**
 * The bulk proof, one of the slower checks .ci/run adds (npm run test:ci): fast-check runs 26 random mixes
 * of guests, programs (random W/R traces among them), commands and host pressure under ESX with every
 * mechanism on (tmem in half the runs), as test/reclaim/properties.test.ts does a few of; every program
 * read is checked against what it wrote, conservation after every tick and command. Across the runs at
 * least 10^6 reads are verified and every page path is taken. RECLAIM_SEED (default below) seeds it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { addPaths, emptyPaths, planArb, REQUIRED_PATHS, runPlan } from '../reclaim/helpers.ts';

const SEED = Number(process.env.RECLAIM_SEED ?? 20261123);
const dir = mkdtempSync(join(tmpdir(), 'memvisor-props-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('random mixes under ESX with every mechanism (tmem in half the runs): >= 10^6 verified reads, every path taken', () => {
  const paths = emptyPaths();
  let reads = 0;
  let runs = 0;
  let ticks = 0;
  let peeked = 0;
  fc.assert(
    fc.property(planArb({ victims: ['random'] }), (plan) => {
      const r = runPlan(plan, { dir });
      addPaths(paths, r.paths);
      reads += r.reads;
      ticks += r.ticks;
      peeked += r.peeked;
      runs++;
    }),
    { numRuns: 26, seed: SEED, endOnFailure: true },
  );
  console.log(
    `bulk: ${runs} runs, ${ticks} ticks, ${reads} verified reads, ${paths.fileChecks} page-cache checks, ` +
      `${peeked} pages peeked; paths ${JSON.stringify(paths)}`,
  );
  expect(reads).toBeGreaterThanOrEqual(1_000_000);
  for (const k of REQUIRED_PATHS) expect(paths[k], `path ${k} taken`).toBeGreaterThan(0);
});
