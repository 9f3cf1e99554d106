// The cluster test only (npm run test:cluster): a real Temporal server on PostgreSQL, two workers, two APIs.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    reporters: ['default'],
    setupFiles: ['test/support/setup.ts'],
  },
});
