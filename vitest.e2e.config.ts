import { defineConfig } from 'vitest/config';

/**
 * Browser journeys (playwright-core + Debian chromium): long timeouts, one fork, one file at a time.
 * The global setup is the API tests' one: a Postgres (TEST_DATABASE_URL or an embedded one) on
 * which each journey file creates its own fresh database for the real server.
 */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    exclude: ['node_modules/**'],
    environment: 'node',
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/contract-violations.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
