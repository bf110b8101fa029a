import { describe, expect, it } from 'vitest';
import * as tf from '../../tfjs.js';
import { initBackend } from '../startup/select.js';
import { isOverridden } from './override.js';
import { expectSameOnWasmAndCpu, randomValues } from './test-utils/against-cpu.js';
import { tileInto } from './tile.js';

const CASES: { shape: number[]; reps: number[] }[] = [
  { shape: [], reps: [] },
  { shape: [1], reps: [5] },
  { shape: [3], reps: [1] },
  { shape: [1, 1], reps: [1, 1] },
  { shape: [1, 7], reps: [9, 1] },
  { shape: [5, 1], reps: [1, 7] },
  { shape: [2, 3], reps: [2, 2] },
  { shape: [2, 3, 4], reps: [3, 1, 2] },
  { shape: [1, 1, 1, 1024], reps: [1, 1, 128, 1] },
  { shape: [0, 3], reps: [2, 1] },
];

describe('tileInto', () => {
  it('repeats blocks in row-major order (hand-checked)', () => {
    const out = new Float32Array(12);
    tileInto(Float32Array.from([1, 2, 3]), [1, 3], [2, 2], out);
    expect(Array.from(out)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
    const col = new Int32Array(6);
    tileInto(Int32Array.from([4, 5]), [2, 1], [1, 3], col);
    expect(Array.from(col)).toEqual([4, 4, 4, 5, 5, 5]);
  });
});

describe('wasm Tile override', () => {
  it('is installed when wasm is selected', async () => {
    await initBackend('wasm');
    expect(isOverridden('Tile', 'wasm')).toBe(true);
  });

  it.each(CASES)('float32 $shape x $reps matches cpu', async ({ shape, reps }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    await expectSameOnWasmAndCpu(() => tf.tile(tf.tensor(randomValues(n, 21), shape), reps), 0);
  });

  it('int32 and bool tiles match cpu exactly', async () => {
    await expectSameOnWasmAndCpu(
      () => tf.tile(tf.tensor([[1, -2, 3]], [1, 3], 'int32'), [3, 2]),
      0,
    );
    await expectSameOnWasmAndCpu(
      () => tf.tile(tf.tensor([true, false], [2, 1], 'bool'), [2, 3]),
      0,
    );
  });

  it('gives the same broadcast gradient as cpu (what batch norm backprop tiles)', async () => {
    await expectSameOnWasmAndCpu(() => {
      const x = tf.tensor(randomValues(5 * 7, 22), [5, 7]);
      return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.sub(v, tf.mean(v, 0)), x)))(x);
    });
  });
});
