import { FusedAdamOptimizer } from '../backend/training-ops/fused-adam.js';
import * as tf from '../tfjs.js';

import { DEFAULT_SGD_MOMENTUM, type OptimizerSpec } from './optimizer-spec.js';

export { OPTIMIZERS, type OptimizerName, type OptimizerSpec } from './optimizer-spec.js';

export function createOptimizer(spec: OptimizerSpec): tf.Optimizer {
  if (spec.kind === 'adam') {
    // tf.train.adam's update fused into one pass per variable on wasm and cpu (backend/training-ops/fused-adam.ts).
    return new FusedAdamOptimizer(
      spec.lr,
      spec.beta1 ?? 0.9,
      spec.beta2 ?? 0.999,
      spec.epsilon ?? 1e-7,
    );
  }
  const momentum = spec.momentum ?? DEFAULT_SGD_MOMENTUM;
  return momentum > 0
    ? tf.train.momentum(spec.lr, momentum, spec.nesterov ?? false)
    : tf.train.sgd(spec.lr);
}

/**
 * Changes the rate an optimizer applies from its next step on. TF.js optimizers have no public
 * setter except SGD's: Adam reads its `learningRate` field on every step, SGD and momentum a
 * scalar that `setLearningRate` rebuilds.
 */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const sgd = optimizer as unknown as {
    setLearningRate?: (lr: number) => void;
    learningRate: number;
  };
  if (sgd.learningRate === lr) return;
  if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(lr);
  else sgd.learningRate = lr;
}

export interface SavedTensor {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

/** Copies a list of named tensors to plain arrays (for checkpoints). */
export async function readTensors(
  named: { name: string; tensor: tf.Tensor }[],
): Promise<SavedTensor[]> {
  const out: SavedTensor[] = [];
  for (const { name, tensor } of named) {
    const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
    const values = (await tensor.data()) as Float32Array | Int32Array;
    out.push({ name, shape: tensor.shape.slice(), dtype, values: values.slice() });
  }
  return out;
}

/** The optimizer's state (iteration count, moments or momenta), as plain arrays. */
export async function getOptimizerState(optimizer: tf.Optimizer): Promise<SavedTensor[]> {
  const weights = await optimizer.getWeights();
  const state = await readTensors(weights);
  // The iteration count is a fresh scalar each call; the rest are the optimizer's own variables.
  weights[0]?.tensor.dispose();
  return state;
}

/** Restores state saved by {@link getOptimizerState} into a fresh optimizer of the same kind. */
export async function setOptimizerState(
  optimizer: tf.Optimizer,
  state: SavedTensor[],
): Promise<void> {
  const named = state.map((s) => ({ name: s.name, tensor: tf.tensor(s.values, s.shape, s.dtype) }));
  await optimizer.setWeights(named);
  // setWeights copies each tensor into a new variable, so the inputs can go.
  for (const n of named) n.tensor.dispose();
}
