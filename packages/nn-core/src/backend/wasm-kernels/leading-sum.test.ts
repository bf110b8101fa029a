import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../select.js';
import { leadingAxes, sumLeading } from './leading-sum.js';
import { isOverridden } from './override.js';
import { expectSameOnWasmAndCpu, randomValues } from './test-utils/against-cpu.js';

describe('leadingAxes', () => {
  it('accepts exactly the leading dimensions, in any order or sign', () => {
    expect(leadingAxes(0, 2)).toBe(1);
    expect(leadingAxes([1, 0, 2], 4)).toBe(3);
    expect(leadingAxes([-4, -3], 4)).toBe(2);
    expect(leadingAxes(1, 2)).toBeUndefined();
    expect(leadingAxes([0, 2], 3)).toBeUndefined();
    expect(leadingAxes([0, 1], 2)).toBeUndefined(); // every axis: the original kernel
  });
});

describe('sumLeading', () => {
  it('sums columns (hand-checked)', () => {
    const out = new Float32Array(3);
    sumLeading(Float32Array.from([1, 2, 3, 10, 20, 30]), 2, 3, out);
    expect(Array.from(out)).toEqual([11, 22, 33]);
    sumLeading(Float32Array.from([1, 2, 3, 10, 20, 30]), 2, 3, out, 0.5);
    expect(Array.from(out)).toEqual([5.5, 11, 16.5]);
  });
});

const CASES: { shape: number[]; axis: number | number[]; keepDims: boolean }[] = [
  { shape: [128, 1024], axis: 0, keepDims: false },
  { shape: [1, 1, 128, 1024], axis: [0, 1, 2], keepDims: true },
  { shape: [7, 13], axis: 0, keepDims: true },
  { shape: [1, 5], axis: -2, keepDims: false },
  { shape: [3, 1, 9], axis: [1, 0], keepDims: false },
  { shape: [5, 3], axis: 1, keepDims: false }, // innermost: the original kernel
  { shape: [4, 6], axis: [0, 1], keepDims: false },
];

describe('wasm Sum and Mean overrides (leading axes)', () => {
  it('are installed when wasm is selected', async () => {
    await initBackend('wasm');
    expect(isOverridden('Sum', 'wasm')).toBe(true);
    expect(isOverridden('Mean', 'wasm')).toBe(true);
  });

  it.each(CASES)(
    'sum and mean of $shape over $axis (keepDims $keepDims) match cpu',
    async ({ shape, axis, keepDims }) => {
      const n = shape.reduce((a, b) => a * b, 1);
      await expectSameOnWasmAndCpu(() => {
        const x = tf.tensor(randomValues(n, 5), shape);
        return [tf.sum(x, axis, keepDims), tf.mean(x, axis, keepDims)];
      }, 1e-6);
    },
  );

  it('int32 sums keep the original kernel and match cpu exactly', async () => {
    await expectSameOnWasmAndCpu(
      () =>
        tf.sum(
          tf.tensor(
            [
              [1, 2],
              [3, 4],
            ],
            [2, 2],
            'int32',
          ),
          0,
        ),
      0,
    );
  });

  it('gradients through a leading-axis sum (bias gradient) match cpu', async () => {
    await expectSameOnWasmAndCpu(() => {
      const x = tf.tensor(randomValues(33 * 19, 9), [33, 19]);
      const b = tf.tensor(randomValues(19, 10), [19]);
      return tf.grad((bias: tf.Tensor) => tf.sum(tf.square(tf.add(x, bias))))(b);
    }, 1e-5);
  });
});
