import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Store suites create their own databases; running files in parallel is safe but the
    // machine has two cores, so keep the pool small.
    maxWorkers: 2,
    // The web application is built once per run for the browser and bundle-size tests.
    globalSetup: ['test/e2e/global-setup.ts'],
  },
});
