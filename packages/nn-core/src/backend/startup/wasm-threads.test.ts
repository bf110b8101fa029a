import { describe, expect, it } from 'vitest';
import * as tf from '../../tfjs.js';
import { expectSameTrajectory, lossTrajectory } from '../test-utils/trajectory.js';
import { expectSameOnWasmAndCpu, randomValues } from '../wasm-kernels/test-utils/against-cpu.js';
import { initBackend } from './select.js';

// The wasm backend initialises once per process, so this file asks for 2 threads before any other
// wasm use (vitest runs each test file in its own worker).
describe('wasm backend on 2 threads in Node', () => {
  it('starts the threaded build with the requested pool', async () => {
    const info = await initBackend('wasm', { threads: 2 });
    expect(info.threads).toBe(2);
    expect(info.kernelOverrides).toEqual([
      'BatchMatMul',
      '_FusedMatMul',
      'Tile',
      'Identity',
      'Transpose',
    ]);
  });

  it('computes large transposed products like cpu (work split across the pool)', async () => {
    const a = randomValues(96 * 200, 41);
    const b = randomValues(150 * 96, 42);
    await expectSameOnWasmAndCpu(() =>
      tf.matMul(tf.tensor2d(a, [96, 200]), tf.tensor2d(b, [150, 96]), true, true),
    );
  });

  it('follows the cpu loss trajectory', async () => {
    const cpu = await lossTrajectory('cpu');
    const wasm = await lossTrajectory('wasm', 2);
    expect((await initBackend('wasm')).threads).toBe(2);
    expectSameTrajectory(wasm, cpu);
  }, 60_000);
});
