import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The end-to-end tests spawn labkit processes that each use a core; two at once fill the machine.
    maxWorkers: 2,
  },
});
