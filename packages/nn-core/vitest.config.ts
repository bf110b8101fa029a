import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Generous: CI and developers share two cores, and a loaded machine must not fail a correct test.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
