import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../tfjs.js';
import { initBackend } from '../startup/select.js';
import { ownGemmBatchMatMul } from './matmul-gemm.js';
import { expectSameOnWasmAndCpu, randomValues } from './test-utils/against-cpu.js';

const tensor = (shape: number[], seed: number, dtype: 'float32' | 'int32' = 'float32') =>
  tf.tensor(
    randomValues(
      shape.reduce((x, y) => x * y, 1),
      seed,
    ),
    shape,
    dtype,
  );

/**
 * The products of the seed MLP's training step at batch 128 — [a, b, transposeA, transposeB] —
 * and whether the own kernel takes them (the measured clear wins: forward and dW of the two wide
 * layers, the last layer's dX).
 */
const STEP_PRODUCTS: [number[], number[], boolean, boolean, boolean][] = [
  [[128, 3072], [3072, 1024], false, false, true],
  [[128, 1024], [3072, 1024], false, true, false],
  [[128, 3072], [128, 1024], true, false, true],
  [[128, 1024], [1024, 512], false, false, true],
  [[128, 512], [1024, 512], false, true, false],
  [[128, 1024], [128, 512], true, false, true],
  [[128, 512], [512, 10], false, false, false],
  [[128, 10], [512, 10], false, true, true],
  [[128, 512], [128, 10], true, false, false],
];

/** Runs the fast path directly; the result as a tensor, or undefined when it declines. */
function ownProduct(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean) {
  const info = ownGemmBatchMatMul({
    inputs: { a, b },
    backend: tf.backend(),
    attrs: { transposeA, transposeB },
  });
  return info && tf.engine().makeTensorFromTensorInfo(info);
}

describe('BatchMatMul by labkit GEMM kernel on 1 wasm thread', () => {
  beforeAll(async () => {
    expect((await initBackend('wasm', { threads: 1 })).threads).toBe(1);
  });

  it.each(STEP_PRODUCTS)(
    'a=%j b=%j tA=%s tB=%s: taken %s, and then bit for bit what XNNPACK gives',
    (aShape, bShape, transposeA, transposeB, taken) => {
      const a = tensor(aShape, 1);
      const b = tensor(bShape, 2);
      const own = ownProduct(a, b, transposeA, transposeB);
      expect(own !== undefined).toBe(taken);
      if (own) {
        // _FusedMatMul never takes the fast path: it runs XNNPACK (what 2+ threads run).
        const xnnpack = tf.fused.matMul({ a, b, transposeA, transposeB });
        expect(own.shape).toEqual(xnnpack.shape);
        const ownBits = new Uint32Array(own.dataSync().slice().buffer);
        const xnnBits = new Uint32Array(xnnpack.dataSync().slice().buffer);
        let differing = 0;
        for (let i = 0; i < ownBits.length; i++) if (ownBits[i] !== xnnBits[i]) differing++;
        expect(differing).toBe(0);
        tf.dispose([own, xnnpack]);
      }
      tf.dispose([a, b]);
    },
  );

  it('through tf.matMul matches cpu with odd sizes, every transpose and a batch of one', async () => {
    for (const [transposeA, transposeB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const [m, k, n] = [129, 37, 131];
      await expectSameOnWasmAndCpu(() =>
        tf.matMul(
          tensor(transposeA ? [k, m] : [m, k], 3),
          tensor(transposeB ? [n, k] : [k, n], 4),
          transposeA,
          transposeB,
        ),
      );
    }
    await expectSameOnWasmAndCpu(() => tf.matMul(tensor([1, 130, 20], 5), tensor([1, 20, 140], 6)));
  });

  it('declines int32, batches of several matrices and small products (XNNPACK runs them)', () => {
    const cases: [tf.Tensor, tf.Tensor][] = [
      [tensor([128, 64], 7, 'int32'), tensor([64, 128], 8, 'int32')],
      [tensor([2, 128, 64], 9), tensor([2, 64, 128], 10)],
      [tensor([127, 64], 11), tensor([64, 512], 12)],
      [tensor([128, 64], 13), tensor([64, 127], 14)],
    ];
    for (const [a, b] of cases) {
      expect(ownProduct(a, b, false, false)).toBeUndefined();
      tf.dispose([a, b]);
    }
  });
});
