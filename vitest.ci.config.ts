import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Checks that .ci/run runs after `npm test`, too slow or too demanding for it: the full demo recording
 * compared with docs/demo.cast, recordings played by asciinema (installed by .ci/run), the bulk
 * random-mix proof of the reclamation paths, every lesson's model solution and idle trainee, and every
 * experiment's quick version through the real command. `npm run test:ci` runs them.
 */
export default defineConfig({
  test: {
    include: ['test/ci/**/*.ci.ts'],
    // Every core, as in vitest.config.ts: the lesson checks are split in two files to run side by side.
    maxWorkers: availableParallelism(),
    testTimeout: 900_000,
    hookTimeout: 900_000,
  },
});
