import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'tests/cluster/**', 'node_modules/**'],
    globalSetup: ['tests/setup/global-setup.ts'],
    // a test waits for conditions, never for time; 60 s is where a slow 2-core CI machine is not the reason it failed
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    // two cores: two files at a time, each with its own database
    maxWorkers: 2,
  },
});
