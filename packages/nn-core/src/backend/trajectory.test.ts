import { describe, it } from 'vitest';
import { expectSameTrajectory, lossTrajectory } from './test-utils/trajectory.js';

describe('training on wasm with labkit overrides', () => {
  it('follows the cpu backend loss trajectory step by step (1 thread)', async () => {
    const cpu = await lossTrajectory('cpu');
    const wasm = await lossTrajectory('wasm', 1);
    expectSameTrajectory(wasm, cpu);
  }, 60_000);
});
