import { denseKernels, forwardLogits, trainableVariables } from '../model/build.js';
import * as tf from '../tfjs.js';

export interface StepOptions {
  /** L2 penalty coefficient (the spec's `l2`); 0 skips the penalty. */
  l2: number;
  /** Seed of this step's dropout masks. */
  dropoutSeed: number;
  /** Number of classes, for one-hot labels. */
  classes: number;
}

/** What one step returns, as tensors (read them when needed: reading forces a sync). */
export interface StepResult {
  /** Mean cross-entropy of the batch (without the L2 penalty). */
  loss: tf.Scalar;
  /** Number of correctly classified samples in the batch. */
  correct: tf.Scalar;
}

/**
 * One optimizer step: forward in training mode, softmax cross-entropy (+ L2), gradients, update.
 * Kept small and self-contained so that it can be profiled on its own. The caller owns (and must
 * dispose) the returned scalars.
 */
export function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  x: tf.Tensor2D,
  y: tf.Tensor1D,
  options: StepOptions,
): StepResult {
  return tf.tidy(() => {
    const variables = trainableVariables(model);
    const kernels = options.l2 > 0 ? denseKernels(model) : [];
    const labels = tf.oneHot(y, options.classes);
    let dataLoss: tf.Scalar | undefined;
    let correct: tf.Scalar | undefined;
    const { grads } = tf.variableGrads(() => {
      const logits = forwardLogits(model, x, { training: true, dropoutSeed: options.dropoutSeed });
      const loss = tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
      dataLoss = tf.keep(loss);
      correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32')) as tf.Scalar);
      if (kernels.length === 0) return loss;
      const penalty = tf.addN(kernels.map((k) => tf.sum(tf.square(k))));
      return tf.add(loss, tf.mul(penalty, options.l2)) as tf.Scalar;
    }, variables);
    optimizer.applyGradients(grads);
    if (!dataLoss || !correct) throw new Error('training step produced no loss');
    return { loss: dataLoss, correct };
  });
}
