import { defineConfig } from 'vitest/config';

/**
 * Checks that .ci/run runs after `npm test`, too slow or too demanding for it: the full demo recording
 * compared with docs/demo.cast (over a minute), recordings played by asciinema (installed by .ci/run),
 * and the bulk random-mix proof of the reclamation paths. `npm run test:ci` runs them.
 */
export default defineConfig({
  test: {
    include: ['test/ci/**/*.ci.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
  },
});
