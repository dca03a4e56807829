import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Store suites create their own databases; running files in parallel is safe but the
    // machine has two cores, so keep the pool small.
    maxWorkers: 2,
  },
});
