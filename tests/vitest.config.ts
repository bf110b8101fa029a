import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests run several wasm backends at once: one thread each, whatever the machine's load
    // (the automatic count is a speed setting; thread tests ask for theirs explicitly).
    env: { LABKIT_WASM_THREADS: '1' },
    include: ['e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The end-to-end tests spawn labkit processes that each use a core; two at once fill the machine.
    maxWorkers: 2,
  },
});
