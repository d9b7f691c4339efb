import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Every core: the test files are CPU-bound and vitest's own process mostly waits, so its default
    // (one core left free) would leave half of a 2-core machine idle.
    maxWorkers: availableParallelism(),
    // Far above any test's own time (a few seconds, more on a busy machine): a timeout means a hang.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
