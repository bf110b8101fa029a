import { defineConfig } from 'vitest/config';

// Generous timeouts: CI and developers share two cores, and a loaded machine must not fail a correct test.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
