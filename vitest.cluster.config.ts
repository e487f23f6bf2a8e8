import { defineConfig } from 'vitest/config';

// The cluster test (tests/cluster): three servers, HAProxy and PostgreSQL; run by `npm test` when TEST_DATABASE_URL is set.
export default defineConfig({
  test: {
    include: ['tests/cluster/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
