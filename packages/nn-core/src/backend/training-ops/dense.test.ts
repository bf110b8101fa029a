import { describe, expect, it } from 'vitest';
import * as tf from '../../tfjs.js';
import { initBackend } from '../startup/select.js';
import { expectSameOnWasmAndCpu, randomValues } from '../wasm-kernels/test-utils/against-cpu.js';
import { denseForTraining } from './dense.js';

function denseLayer(
  units: number,
  inputs: number,
  options: { useBias?: boolean; activation?: 'linear' | 'relu' } = {},
) {
  const layer = tf.layers.dense({
    units,
    kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
    biasInitializer: 'ones',
    ...options,
  });
  layer.apply(tf.zeros([1, inputs]));
  return layer;
}

/** Product kernels (BatchMatMul, _FusedMatMul) that one gradient computation runs. */
async function productKernelsInGradient(
  forward: (x: tf.Tensor, layer: tf.layers.Layer) => tf.Tensor,
): Promise<number> {
  const layer = denseLayer(6, 9);
  const x = tf.tensor2d(randomValues(4 * 9, 61), [4, 9]);
  const variables = layer.weights.map((w) => w.read() as tf.Variable);
  const info = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.square(forward(x, layer))) as tf.Scalar,
      variables,
    );
    tf.dispose([value, ...Object.values(grads)]);
  });
  tf.dispose([x]);
  layer.dispose();
  return info.kernels.filter((k) => k.name === 'BatchMatMul' || k.name === '_FusedMatMul').length;
}

describe('denseForTraining', () => {
  it('gives the same outputs and weight gradients as layer.apply (cpu and wasm)', async () => {
    for (const useBias of [true, false]) {
      /** [output, ...weight gradients] computed through `forward`. */
      const run = (forward: (layer: tf.layers.Layer, x: tf.Tensor) => tf.Tensor) => {
        const layer = denseLayer(5, 7, { useBias });
        const x = tf.tensor2d(randomValues(3 * 7, 62), [3, 7]);
        const variables = layer.weights.map((w) => w.read() as tf.Variable);
        const { grads } = tf.variableGrads(
          () => tf.sum(tf.sin(forward(layer, x))) as tf.Scalar,
          variables,
        );
        const out = [forward(layer, x), ...variables.map((v) => grads[v.name] as tf.Tensor)];
        layer.dispose();
        return out;
      };
      const ours = (layer: tf.layers.Layer, x: tf.Tensor) =>
        denseForTraining(layer, x) as tf.Tensor;
      const theirs = (layer: tf.layers.Layer, x: tf.Tensor) => layer.apply(x) as tf.Tensor;
      for (const backend of ['cpu', 'wasm'] as const) {
        await initBackend(backend);
        const read = (ts: tf.Tensor[]) =>
          Promise.all(ts.map(async (t) => Array.from(await t.data())));
        const a = await read(tf.tidy(() => run(ours)));
        const b = await read(tf.tidy(() => run(theirs)));
        expect(a.length).toBe(useBias ? 3 : 2);
        a.forEach((values, i) => {
          values.forEach((v, j) => {
            expect(v).toBeCloseTo(b[i]?.[j] as number, 5);
          });
        });
      }
      await expectSameOnWasmAndCpu(() => run(ours));
    }
  });

  it('skips the unused input gradient: one product fewer per backward pass than layer.apply', async () => {
    await initBackend('wasm');
    const fused = await productKernelsInGradient((x, layer) => layer.apply(x) as tf.Tensor);
    const ours = await productKernelsInGradient(
      (x, layer) => denseForTraining(layer, x) as tf.Tensor,
    );
    expect(fused).toBe(3); // forward, dW and the discarded dx
    expect(ours).toBe(2); // forward and dW
  });

  it('leaves layers it does not cover to layer.apply', async () => {
    await initBackend('cpu');
    const x = tf.zeros([2, 4]);
    expect(denseForTraining(denseLayer(3, 4, { activation: 'relu' }), x)).toBeUndefined();
    expect(denseForTraining(tf.layers.batchNormalization(), x)).toBeUndefined();
    expect(denseForTraining(denseLayer(3, 4), tf.zeros([2, 1, 4]))).toBeUndefined();
  });
});
