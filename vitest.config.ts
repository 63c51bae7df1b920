import { defineConfig } from 'vitest/config';

// Unit, simulation and integration tests. Browser stories live in e2e/ and run under Playwright.
export default defineConfig({
  test: {
    include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'web/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real process trees; two cores do not like many at once.
    maxWorkers: 2,
  },
});
