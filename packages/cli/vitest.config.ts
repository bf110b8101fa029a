import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests run several wasm backends at once: one thread each, whatever the machine's load
    // (the automatic count is a speed setting; thread tests ask for theirs explicitly).
    env: { LABKIT_WASM_THREADS: '1' },
    // Generous: CI and developers share two cores, and a loaded machine must not fail a correct test.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
