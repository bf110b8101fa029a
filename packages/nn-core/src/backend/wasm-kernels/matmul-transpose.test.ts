import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../tfjs.js';
import { initBackend } from '../startup/select.js';
import { formCosts, MATMUL_KERNELS, PACK_COST } from './matmul-transpose.js';
import { isOverridden } from './override.js';
import { expectSameOnWasmAndCpu, randomValues } from './test-utils/against-cpu.js';

const tensor = (shape: number[], seed: number) =>
  tf.tensor(
    randomValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );

/** [m, k, n] of a·b, stored transposed as the flags say; odd sizes, ones, and a batch dim. */
const CASES: { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [];
for (const [m, k, n] of [
  [1, 1, 1],
  [1, 7, 1],
  [1, 9, 13],
  [13, 1, 5],
  [3, 5, 7],
  [17, 33, 9],
  [64, 300, 100],
  // Small batch, large second operand: even the unflagged product takes the transposed form.
  [8, 200, 300],
]) {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      CASES.push({
        a: transposeA ? [k as number, m as number] : [m as number, k as number],
        b: transposeB ? [n as number, k as number] : [k as number, n as number],
        transposeA,
        transposeB,
      });
    }
  }
}

describe('formCosts', () => {
  it('weighs transposed elements plus PACK_COST x the packed ones (dense-layer shapes, by hand)', () => {
    // dx = dy·Wᵀ, dy 128x1024, W 3072x1024: transposing W (3,145,728) and packing it, against
    // transposing dy (131,072) and the 128x3072 result (393,216) and packing dy.
    expect(formCosts([128, 1024], [3072, 1024], false, true)).toEqual({
      operands: 3_145_728 * (1 + PACK_COST),
      result: 524_288 + PACK_COST * 131_072,
    });
    // dW = xᵀ·dy, x 128x3072: transposing x and packing dy beats dy + the result + packing x.
    expect(formCosts([128, 3072], [128, 1024], true, false)).toEqual({
      operands: 393_216 + PACK_COST * 131_072,
      result: 131_072 + 3_145_728 + PACK_COST * 393_216,
    });
    // y = x·W with no flags: packing the 3M weights costs more than (Wᵀ·xᵀ)ᵀ's transposes.
    expect(formCosts([128, 3072], [3072, 1024], false, false)).toEqual({
      operands: PACK_COST * 3_145_728,
      result: 393_216 + 3_145_728 + 131_072 + PACK_COST * 393_216,
    });
    // The last layer's small weights are packed as they are.
    const last = formCosts([128, 512], [512, 10], false, false);
    expect(last.operands).toBeLessThan(last.result);
    // Both flags: Aᵀ·Bᵀ = (B·A)ᵀ moves only the 2x(3x4) batched result.
    expect(formCosts([2, 5, 3], [2, 4, 5], true, true)).toEqual({
      operands: 70 + PACK_COST * 40,
      result: 24 + PACK_COST * 30,
    });
  });
});

describe('wasm matMul with explicit transposes', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('is installed for every matMul kernel when wasm is selected', () => {
    for (const name of MATMUL_KERNELS) expect(isOverridden(name, 'wasm'), name).toBe(true);
  });

  it.each(CASES)(
    'matMul a=$a b=$b tA=$transposeA tB=$transposeB matches cpu',
    async ({ a, b, transposeA, transposeB }) => {
      await expectSameOnWasmAndCpu(() =>
        tf.matMul(tensor(a, 1), tensor(b, 2), transposeA, transposeB),
      );
    },
  );

  it('matches cpu with batch dims and transposes (rank 3, both flags)', async () => {
    await expectSameOnWasmAndCpu(() =>
      tf.matMul(tensor([3, 5, 2], 3), tensor([3, 7, 5], 4), true, true),
    );
    await expectSameOnWasmAndCpu(() =>
      tf.matMul(tensor([2, 4, 6], 5), tensor([2, 3, 6], 6), false, true),
    );
    await expectSameOnWasmAndCpu(() => tf.matMul(tensor([2, 3, 40], 5), tensor([2, 40, 50], 6)));
  });

  it('matches cpu for the fused product with bias and relu, transposed', async () => {
    await expectSameOnWasmAndCpu(() =>
      tf.fused.matMul({
        a: tensor([9, 5], 7),
        b: tensor([11, 9], 8),
        transposeA: true,
        transposeB: true,
        bias: tensor([11], 9),
        activation: 'relu',
      }),
    );
  });

  it('gives the same dense-layer gradients as cpu (the transposed products of backprop)', async () => {
    await expectSameOnWasmAndCpu(() => {
      const x = tensor([6, 10], 10);
      const w = tensor([10, 3], 11);
      const bias = tensor([3], 12);
      const loss = (xv: tf.Tensor, wv: tf.Tensor, bv: tf.Tensor) =>
        tf.sum(
          tf.square(tf.fused.matMul({ a: xv as tf.Tensor2D, b: wv as tf.Tensor2D, bias: bv })),
        );
      return tf.grads(loss)([x, w, bias]);
    });
  });

  it('transposes through the Transpose kernel registered at call time (the SIMD override)', () => {
    const registered = tf.getKernel('Transpose', 'wasm') as tf.KernelConfig;
    let calls = 0;
    tf.unregisterKernel('Transpose', 'wasm');
    tf.registerKernel({
      ...registered,
      kernelFunc: (args) => {
        calls++;
        return registered.kernelFunc(args);
      },
    });
    try {
      tf.matMul(tensor([6, 4], 15), tensor([6, 5], 16), true, false).dispose();
    } finally {
      tf.unregisterKernel('Transpose', 'wasm');
      tf.registerKernel(registered);
    }
    expect(calls).toBeGreaterThan(0);
  });

  it('gives the same product when the second operand is reused (plain, backend-packed path)', () => {
    const a = tensor([8, 200], 17);
    const b = tensor([200, 300], 18);
    const first = tf.matMul(a, b);
    const second = tf.matMul(a, b);
    expect(Array.from(second.dataSync())).toEqual(Array.from(first.dataSync()));
    tf.dispose([a, b, first, second]);
  });

  it('frees its temporary transposes', async () => {
    await initBackend('wasm');
    const a = tensor([20, 10], 13);
    const b = tensor([30, 20], 14);
    tf.matMul(a, b, true, true).dispose();
    const before = tf.engine().backend.numDataIds();
    tf.matMul(a, b, true, true).dispose();
    expect(tf.engine().backend.numDataIds()).toBe(before);
    tf.dispose([a, b]);
  });
});
