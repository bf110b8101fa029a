import { describe, expect, it } from 'vitest';
import * as tf from '../../tfjs.js';
import { initBackend } from '../startup/select.js';
import { randomValues } from '../wasm-kernels/test-utils/against-cpu.js';
import { batchNormForTraining } from './batch-norm.js';

/** A built batch-norm layer with non-trivial gamma, beta and moving statistics. */
function batchNormLayer(features: number, momentum: number) {
  const layer = tf.layers.batchNormalization({ momentum, epsilon: 1e-3 });
  layer.apply(tf.zeros([1, features]));
  layer.setWeights([
    tf.tensor1d(randomValues(features, 71).map((v) => 1 + 0.5 * v)),
    tf.tensor1d(randomValues(features, 72)),
    tf.tensor1d(randomValues(features, 73)),
    tf.tensor1d(randomValues(features, 74).map((v) => 1 + Math.abs(v))),
  ]);
  return layer;
}

/** Output, gradients of x, gamma and beta for a non-linear loss, and the moving statistics after. */
function run(
  forward: (layer: tf.layers.Layer, x: tf.Tensor) => tf.Tensor,
  rows: number,
  features: number,
) {
  const layer = batchNormLayer(features, 0.9);
  const x = tf.tensor2d(
    randomValues(rows * features, 75).map((v) => 3 * v + 2),
    [rows, features],
  );
  const [gamma, beta] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = (xIn: tf.Tensor) => {
    const { value, grads } = tf.variableGrads(
      () =>
        tf.sum(
          tf.mul(
            tf.sin(forward(layer, xIn)),
            tf
              .range(0, rows * features)
              .reshape([rows, features])
              .div(rows * features),
          ),
        ) as tf.Scalar,
      [gamma as tf.Variable, beta as tf.Variable],
    );
    return { value, grads };
  };
  const dx = tf.grad((xIn: tf.Tensor) => tf.sum(tf.square(forward(layer, xIn))))(x);
  const { grads } = loss(x);
  const out = {
    y: Array.from(forward(layer, x).dataSync()),
    dx: Array.from(dx.dataSync()),
    dGamma: Array.from((grads[(gamma as tf.Variable).name] as tf.Tensor).dataSync()),
    dBeta: Array.from((grads[(beta as tf.Variable).name] as tf.Tensor).dataSync()),
    moving: layer
      .getWeights()
      .slice(2)
      .map((w) => Array.from(w.dataSync())),
  };
  layer.dispose();
  return out;
}

function expectClose(got: number[], want: number[], tolerance: number) {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const w = want[i] as number;
    worst = Math.max(worst, Math.abs((got[i] as number) - w) / (1 + Math.abs(w)));
  }
  expect(worst).toBeLessThan(tolerance);
}

describe('batchNormForTraining', () => {
  // Widths divisible by 4 run the SIMD kernels on wasm; the others their scalar twins.
  it.each([
    [16, 5],
    [128, 33],
    [32, 64],
    [128, 1024],
  ])(
    'matches tfjs-layers in training mode on %i x %i: output, gradients, moving statistics',
    async (rows, features) => {
      for (const backend of ['cpu', 'wasm'] as const) {
        await initBackend(backend);
        const ours = run((layer, x) => batchNormForTraining(layer, x) as tf.Tensor, rows, features);
        const theirs = run(
          (layer, x) => layer.apply(x, { training: true }) as tf.Tensor,
          rows,
          features,
        );
        expectClose(ours.y, theirs.y, 1e-5);
        expectClose(ours.dx, theirs.dx, 1e-4);
        expectClose(ours.dGamma, theirs.dGamma, 1e-4);
        expectClose(ours.dBeta, theirs.dBeta, 1e-4);
        // Each run applied 3 forward passes, so the moving statistics moved 3 times.
        expectClose(ours.moving[0] as number[], theirs.moving[0] as number[], 1e-5);
        expectClose(ours.moving[1] as number[], theirs.moving[1] as number[], 1e-5);
      }
    },
  );

  it('leaves what it does not cover to layer.apply', async () => {
    await initBackend('cpu');
    const dense = tf.layers.dense({ units: 3 });
    dense.apply(tf.zeros([1, 4]));
    expect(batchNormForTraining(dense, tf.zeros([2, 4]))).toBeUndefined();
    const bn = batchNormLayer(4, 0.9);
    expect(batchNormForTraining(bn, tf.zeros([2, 2, 4]))).toBeUndefined();
  });

  it('does not leak tensors', async () => {
    await initBackend('wasm');
    const layer = batchNormLayer(8, 0.99);
    const x = tf.tensor2d(randomValues(4 * 8, 76), [4, 8]);
    const step = () =>
      tf
        .tidy(() =>
          tf.grad((xIn: tf.Tensor) => tf.sum(batchNormForTraining(layer, xIn) as tf.Tensor))(x),
        )
        .dispose();
    step();
    const before = tf.memory().numTensors;
    step();
    step();
    expect(tf.memory().numTensors).toBe(before);
  });
});
