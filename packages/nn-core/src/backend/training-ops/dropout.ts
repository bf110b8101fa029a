import { deriveSeed } from '../../data/rng.js';
import * as tf from '../../tfjs.js';
import { dropoutMask, dropThreshold, simdDropoutFor } from '../simd/dropout.js';
import { currentFloatStore } from '../simd/float-store.js';

/**
 * Inverted dropout in training, `x * mask / (1 - rate)` with a seeded Bernoulli(1 - rate) mask,
 * as one pass over the backend's memory (`simd/dropout.ts`), and a gradient that regenerates the
 * same mask from the same seeds (`dy * mask / (1 - rate)`). `tf.dropout` draws its uniform
 * numbers one by one with seedrandom in JavaScript and then runs add, floor, div and mul kernels,
 * plus a mul in the gradient. Same distribution, a different random stream: a seed still
 * reproduces a run exactly, on cpu and wasm alike.
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
  const threshold = dropThreshold(rate);
  // xorshift32 must not start at 0.
  const seeds = [0, 1, 2, 3].map((lane) => deriveSeed(seed, lane) || 1) as [
    number,
    number,
    number,
    number,
  ];
  const heap = x.size % 4 === 0 ? store.heap : undefined;
  const kernel = heap && simdDropoutFor(heap.memory);
  const masked = (input: tf.Tensor) => {
    const out = store.allocate(input.shape);
    if (heap && kernel) {
      kernel(heap.offset(input), heap.offset(out), input.size, ...seeds, threshold | 0, scale);
    } else {
      dropoutMask(store.view(input), store.view(out), seeds, threshold, scale);
    }
    return out;
  };
  const dropout = tf.customGrad((input) => ({
    value: masked(input as tf.Tensor),
    gradFunc: (dy) => masked(dy as tf.Tensor),
  }));
  return dropout(x);
}
