import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts', 'test/support/openapi-report.ts'],
    // Fails a test whose requests or responses break Discord's OpenAPI description.
    setupFiles: ['test/support/openapi-setup.ts'],
    // End-to-end files each start real bot processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
