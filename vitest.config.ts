import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Every core: the test files are CPU-bound and vitest's own process mostly waits, so its default
    // (one core left free) would leave half of a 2-core machine idle.
    maxWorkers: availableParallelism(),
    // Test files share their worker's module cache instead of importing the engine, React and Ink again
    // for each of some seventy files (about a tenth of the run's CPU). Files keep no state between them
    // (spies restored, temp dirs their own). Forks, not threads: the sharing tests set process.umask.
    isolate: false,
    // Far above any test's own time (a few seconds, more on a busy machine): a timeout means a hang.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
