import * as tf from '../tfjs.js';
import type { BatchSource } from '../train/source.js';

/**
 * Replaces every batch-norm layer's moving mean and variance with the exact mean and (population)
 * variance of its input over `source`, layer by layer from the input side, each layer seeing the
 * recalibrated layers before it. After a short run the moving averages (momentum 0.99) still
 * remember the random initialisation, which makes validation loss and accuracy of a 2-epoch trial
 * say little about the model; recomputed statistics are what a long run converges to.
 * (The "precise BN" of Wu & Johnson 2021, with all of the given data.)
 */
export function recalibrateBatchNorm(model: tf.LayersModel, source: BatchSource): void {
  const layers = model.layers;
  layers.forEach((layer, index) => {
    if (layer.getClassName() !== 'BatchNormalization') return;
    const [gamma, beta] = layer.getWeights() as tf.Tensor[];
    let sums: Float64Array | undefined;
    let squares: Float64Array | undefined;
    let count = 0;
    for (const batch of source.batches(0)) {
      const input = tf.tidy(() => {
        let out: tf.Tensor = tf.tensor2d(batch.x, [batch.size, batch.x.length / batch.size]);
        for (let i = 0; i < index; i++) {
          out = (layers[i] as tf.layers.Layer).apply(out, { training: false }) as tf.Tensor;
        }
        return out;
      });
      const values = input.dataSync();
      const width = input.shape[1] as number;
      input.dispose();
      sums ??= new Float64Array(width);
      squares ??= new Float64Array(width);
      for (let r = 0; r < batch.size; r++) {
        const row = r * width;
        for (let c = 0; c < width; c++) {
          const v = values[row + c] as number;
          sums[c] = (sums[c] as number) + v;
          squares[c] = (squares[c] as number) + v * v;
        }
      }
      count += batch.size;
    }
    if (!sums || !squares || count === 0)
      throw new RangeError('recalibrateBatchNorm: the source has no samples');
    const mean = new Float32Array(sums.length);
    const variance = new Float32Array(sums.length);
    for (let c = 0; c < sums.length; c++) {
      const m = (sums[c] as number) / count;
      mean[c] = m;
      variance[c] = Math.max(0, (squares[c] as number) / count - m * m);
    }
    layer.setWeights([
      gamma as tf.Tensor,
      beta as tf.Tensor,
      tf.tensor1d(mean),
      tf.tensor1d(variance),
    ]);
  });
}
