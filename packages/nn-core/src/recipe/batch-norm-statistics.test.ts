import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../data/rng.js';
import { buildModel } from '../model/build.js';
import * as tf from '../tfjs.js';
import { fit } from '../train/fit.js';
import { arraySource } from '../train/source.js';
import { recalibrateBatchNorm } from './batch-norm-statistics.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const rng = createRng(11);
const count = 96;
const width = 12;
const features = Float32Array.from({ length: count * width }, () => 3 * rng() + 1);
const labels = Int32Array.from({ length: count }, (_, i) => i % 3);

/** Mean and population variance of each column of `values` (rows x cols). */
function columnMoments(values: ArrayLike<number>, rows: number, cols: number) {
  const mean = new Array<number>(cols).fill(0);
  const variance = new Array<number>(cols).fill(0);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++)
      mean[c] = (mean[c] as number) + (values[r * cols + c] as number) / rows;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++)
      variance[c] =
        (variance[c] as number) +
        ((values[r * cols + c] as number) - (mean[c] as number)) ** 2 / rows;
  return { mean, variance };
}

describe('recalibrateBatchNorm', () => {
  it('sets each layer’s moving statistics to those of its input over the training data, after a short run', async () => {
    for (const batchNorm of ['before', 'after'] as const) {
      const model = buildModel(
        {
          inputSize: width,
          classes: 3,
          hidden: [10, 6],
          activation: 'relu',
          batchNorm,
          dropout: 0.2,
          l2: 0,
          initializer: 'heNormal',
        },
        3,
      );
      await fit(model, {
        classes: 3,
        l2: 0,
        optimizer: { kind: 'adam', lr: 0.01 },
        epochs: 2,
        seed: 1,
        train: arraySource(features, labels, 16),
      });
      // After 12 steps at momentum 0.99 the moving averages are still near their initial 0 and 1.
      const bnIndex = model.layers
        .map((l, i) => (l.getClassName() === 'BatchNormalization' ? i : -1))
        .filter((i) => i >= 0);
      const before = model.layers[bnIndex[1] as number]
        ?.getWeights()[2]
        ?.dataSync() as Float32Array;
      recalibrateBatchNorm(model, arraySource(features, labels, 40));
      for (const index of bnIndex) {
        const input = tf.tidy(() => {
          let out: tf.Tensor = tf.tensor2d(features, [count, width]);
          for (let i = 0; i < index; i++)
            out = model.layers[i]?.apply(out, { training: false }) as tf.Tensor;
          return out;
        });
        const cols = input.shape[1] as number;
        const expected = columnMoments(input.dataSync(), count, cols);
        input.dispose();
        const [, , movingMean, movingVariance] = (
          model.layers[index] as tf.layers.Layer
        ).getWeights();
        Array.from(movingMean?.dataSync() ?? []).forEach(
          (v, c) => void expect(v).toBeCloseTo(expected.mean[c] as number, 4),
        );
        Array.from(movingVariance?.dataSync() ?? []).forEach(
          (v, c) => void expect(v).toBeCloseTo(expected.variance[c] as number, 4),
        );
      }
      const after = model.layers[bnIndex[1] as number]?.getWeights()[2]?.dataSync() as Float32Array;
      expect(Array.from(after)).not.toEqual(Array.from(before));
      model.dispose();
    }
  });
});
