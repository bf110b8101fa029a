import { describe, expect, it } from 'vitest';
import * as tf from '../../tfjs.js';
import { initBackend } from '../startup/select.js';
import { isOverridden } from './override.js';
import { expectSameOnWasmAndCpu, randomValues } from './test-utils/against-cpu.js';
import { swapsLastTwo } from './transpose.js';

describe('swapsLastTwo', () => {
  it('accepts only permutations that swap the last two axes', () => {
    expect(swapsLastTwo([1, 0])).toBe(true);
    expect(swapsLastTwo([0, 1, 3, 2])).toBe(true);
    expect(swapsLastTwo([0, 1])).toBe(false);
    expect(swapsLastTwo([1, 0, 2])).toBe(false);
    expect(swapsLastTwo([2, 1, 0])).toBe(false);
    expect(swapsLastTwo([1, 0, 3, 2])).toBe(false);
    expect(swapsLastTwo([0])).toBe(false);
  });
});

describe('wasm Transpose override', () => {
  it('is installed when wasm is selected', async () => {
    await initBackend('wasm');
    expect(isOverridden('Transpose', 'wasm')).toBe(true);
  });

  it.each([
    [1, 1],
    [1, 9],
    [9, 1],
    [4, 4],
    [7, 13],
    [128, 1024],
    [130, 515],
  ])('float32 %i x %i matches cpu exactly', async (rows, cols) => {
    await expectSameOnWasmAndCpu(
      () => tf.transpose(tf.tensor(randomValues(rows * cols, rows + cols), [rows, cols])),
      0,
    );
  });

  it('transposes every matrix of a batch, and int32 too', async () => {
    await expectSameOnWasmAndCpu(
      () => tf.transpose(tf.tensor(randomValues(3 * 5 * 6, 3), [3, 5, 6]), [0, 2, 1]),
      0,
    );
    await expectSameOnWasmAndCpu(
      () =>
        tf.transpose(
          tf.tensor(
            Array.from({ length: 35 }, (_, i) => i * 7 - 100),
            [5, 7],
            'int32',
          ),
        ),
      0,
    );
  });

  it('leaves other permutations, bool and empty tensors to the original kernel, correctly', async () => {
    await expectSameOnWasmAndCpu(
      () => tf.transpose(tf.tensor(randomValues(2 * 3 * 4, 5), [2, 3, 4]), [2, 0, 1]),
      0,
    );
    await expectSameOnWasmAndCpu(
      () => tf.transpose(tf.tensor([[true, false, true]], [1, 3], 'bool')),
      0,
    );
    await expectSameOnWasmAndCpu(() => tf.transpose(tf.zeros([0, 4])), 0);
  });
});
