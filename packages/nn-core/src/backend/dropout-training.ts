import * as tf from '@tensorflow/tfjs';
import { createRng } from '../data/rng.js';
import { currentFloatStore } from './float-store.js';

/**
 * Inverted dropout in training, `x * mask / (1 - rate)` with a seeded Bernoulli(1 - rate) mask per
 * element, as one JavaScript pass over the backend's memory and a one-pass gradient
 * (`dy * mask / (1 - rate)`). `tf.dropout` draws its uniform numbers with seedrandom's alea in
 * JavaScript and then runs add, floor, div and mul kernels, plus a mul in the gradient; on the
 * seed MLP that was ~6 ms of a ~100 ms step. Same distribution, different random stream: a seed
 * still reproduces a run exactly.
 *
 * Returns undefined when the backend's memory is not reachable from JavaScript (tfjs-node) or the
 * input is not float32; the caller then uses `tf.dropout`.
 */
export function dropoutForTraining(
  x: tf.Tensor,
  rate: number,
  seed: number,
): tf.Tensor | undefined {
  const store = currentFloatStore();
  if (!store || x.dtype !== 'float32') return undefined;
  if (rate <= 0) return x;
  const scale = 1 / (1 - rate);
  const size = x.size;
  const kept = new Uint8Array(size);
  const rng = createRng(seed);
  for (let i = 0; i < size; i++) kept[i] = rng() >= rate ? 1 : 0;
  const masked = (input: tf.Tensor) => {
    const out = store.allocate(input.shape);
    const from = store.view(input);
    const to = store.view(out);
    for (let i = 0; i < size; i++) to[i] = kept[i] ? (from[i] as number) * scale : 0;
    return out;
  };
  const dropout = tf.customGrad((input) => ({
    value: masked(input as tf.Tensor),
    gradFunc: (dy) => masked(dy as tf.Tensor),
  }));
  return dropout(x);
}
