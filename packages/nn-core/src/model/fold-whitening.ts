import type { Whitening } from '../data/whitening.js';
import * as tf from '../tfjs.js';

function denseLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((layer) => layer.getClassName() === 'Dense');
}

/**
 * Folds a fitted whitening into the model's first dense layer, in place, so that the model takes
 * channel-normalised images and whitens them itself: kernel K becomes W K and the offset -mean W K
 * joins the layer's bias, or, for a bias-free linear bottleneck, the next dense layer's bias
 * (through its kernel). Saved models, `labkit eval`, `predict` and a browser then apply the
 * whitening exactly as training did, with no separate file and no extra cost per image.
 */
export function foldWhitening(model: tf.LayersModel, whitening: Whitening): void {
  const [first, second] = denseLayers(model);
  if (!first) throw new Error('foldWhitening: the model has no dense layer');
  const n = whitening.mean.length;
  tf.tidy(() => {
    const [kernel, bias] = first.getWeights() as [tf.Tensor2D, tf.Tensor1D | undefined];
    if (kernel.shape[0] !== n) {
      throw new Error(
        `foldWhitening: first layer takes ${kernel.shape[0]} inputs, the whitening ${n}`,
      );
    }
    const folded = tf.matMul(tf.tensor2d(whitening.matrix, [n, n]), kernel);
    const offset = tf.neg(tf.matMul(tf.tensor2d(whitening.mean, [1, n]), folded)).reshape([-1]);
    if (bias) {
      first.setWeights([folded, tf.add(bias, offset)]);
      return;
    }
    first.setWeights([folded]);
    if (!second)
      throw new Error('foldWhitening: a bias-free first layer needs a dense layer after it');
    const [nextKernel, nextBias] = second.getWeights() as [tf.Tensor2D, tf.Tensor1D | undefined];
    if (!nextBias) throw new Error('foldWhitening: no bias to carry the whitening offset');
    const carried = tf.matMul(offset.reshape([1, -1]), nextKernel).reshape([-1]);
    second.setWeights([nextKernel, tf.add(nextBias, carried)]);
  });
}
