import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // two journeys at a time on two cores: each has its own server and browser, and waits on them more than it computes
    maxWorkers: 2,
  },
});
