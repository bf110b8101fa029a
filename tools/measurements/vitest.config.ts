import { defineConfig } from 'vitest/config';

// Generous timeouts: CI and developers share two cores.
export default defineConfig({ test: { testTimeout: 60_000 } });
