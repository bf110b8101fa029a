import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../tfjs.js';
import { initBackend } from '../select.js';
import { OWN_GEMM_MIN_SIDE, ownGemmBatchMatMul } from './matmul-gemm.js';
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

/** The products of the seed MLP's training step at batch 128: [a, b, transposeA, transposeB]. */
const STEP_PRODUCTS: [number[], number[], boolean, boolean][] = [
  [3072, 1024],
  [1024, 512],
  [512, 10],
].flatMap(([inputs, units]) => {
  const i = inputs as number;
  const u = units as number;
  return [
    [[128, i], [i, u], false, false],
    [[128, u], [i, u], false, true],
    [[128, i], [128, u], true, false],
  ] as [number[], number[], boolean, boolean][];
});

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
    'a=%j b=%j tA=%s tB=%s: taken when both sides >= 128, bit for bit what XNNPACK gives',
    (aShape, bShape, transposeA, transposeB) => {
      const a = tensor(aShape, 1);
      const b = tensor(bShape, 2);
      const own = ownProduct(a, b, transposeA, transposeB);
      const m = transposeA ? aShape[1] : aShape[0];
      const n = transposeB ? bShape[0] : bShape[1];
      expect(own !== undefined).toBe(Math.min(m as number, n as number) >= OWN_GEMM_MIN_SIDE);
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
