import * as tf from '../../tfjs.js';

/**
 * A Dense layer's training-mode forward pass as `matMul` + `add` instead of the layers API's fused
 * matMul. Same maths; the difference is in backpropagation. The fused op has a custom gradient that
 * computes the gradient of every input eagerly, including the first layer's input gradient dy·Wᵀ
 * that nothing uses (for the seed MLP, 805 MFLOP of a ~3.2 GFLOP step). `matMul` and `add` have
 * registered gradients, which TF.js evaluates only for inputs on the path to the variables.
 *
 * Returns undefined for what it does not cover (not a Dense layer, an activation other than
 * linear, input rank other than 2); the caller then uses `layer.apply`.
 */
export function denseForTraining(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor | undefined {
  if (layer.getClassName() !== 'Dense' || x.rank !== 2) return undefined;
  if (layer.getConfig().activation !== 'linear') return undefined;
  const weight = (suffix: string) =>
    layer.weights.find((w) => w.originalName.endsWith(suffix))?.read();
  const kernel = weight('/kernel');
  if (!kernel) return undefined;
  const bias = weight('/bias');
  const product = tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D);
  return bias ? tf.add(product, bias) : product;
}
