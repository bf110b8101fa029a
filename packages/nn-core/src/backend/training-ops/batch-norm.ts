import * as tf from '../../tfjs.js';
import { colMoments, colMomentsFor, rowAffine, rowAffineFor } from '../simd/batch-norm.js';
import { currentFloatStore, type FloatStore } from '../simd/float-store.js';

type LayerWeight = tf.layers.Layer['weights'][number];

/**
 * A BatchNormalization layer's training-mode forward pass on [batch, features] input as three
 * passes over the backend's memory, with a closed-form gradient in two: the same maths as
 * tfjs-layers (batch mean and biased variance, y = gamma * (x - mean) / sqrt(var + eps) + beta,
 * moving statistics updated as moving -= (moving - batch) * (1 - momentum)), instead of ~40
 * TF.js kernels (moments, batchNorm, its generic gradient with broadcasts and tiles, the
 * moving-average updates) that cost ~15 ms of a ~100 ms step. The passes are the SIMD kernels of
 * `simd/batch-norm.ts` on wasm, their scalar twins on cpu.
 *
 * Gradient, per feature j over the n rows, with inv = 1/sqrt(var + eps):
 *   dbeta = Σ dy;  dgamma = inv · Σ dy (x - mean);
 *   dx = gamma·inv·dy - gamma·inv³·(Σ dy (x - mean))/n · (x - mean) - gamma·inv·dbeta/n
 *
 * Returns undefined for what it does not cover (another layer, input rank other than 2, a
 * normalised axis other than the last, no centre or scale, a backend whose memory JavaScript
 * cannot see such as tfjs-node); the caller then uses `layer.apply`.
 */
export function batchNormForTraining(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor | undefined {
  if (layer.getClassName() !== 'BatchNormalization' || x.rank !== 2 || x.dtype !== 'float32') {
    return undefined;
  }
  const config = layer.getConfig();
  const axis = config.axis as number;
  if ((axis !== -1 && axis !== 1) || config.center === false || config.scale === false) {
    return undefined;
  }
  const store = currentFloatStore();
  if (!store) return undefined;
  const weight = (suffix: string) => layer.weights.find((w) => w.originalName.endsWith(suffix));
  const gamma = weight('/gamma');
  const beta = weight('/beta');
  const movingMean = weight('/moving_mean');
  const movingVariance = weight('/moving_variance');
  if (!gamma || !beta || !movingMean || !movingVariance) return undefined;
  const epsilon = config.epsilon as number;
  const momentum = config.momentum as number;
  const [rows, features] = x.shape as [number, number];
  const pass = passes(store, rows, features);

  // Batch statistics, kept for the gradient.
  const mean = new Float32Array(features);
  const inv = new Float64Array(features);
  const normalise = tf.customGrad((xIn, gammaIn, betaIn, save) => {
    const xt = xIn as tf.Tensor;
    const y = store.allocate([rows, features]);
    const scratch = store.allocate([VECTORS, features]);
    try {
      pass.vectors(scratch).fill(0);
      pass.colMoments(xt, xt, scratch);
      const v = pass.vectors(scratch);
      for (let j = 0; j < features; j++) mean[j] = (row(v, ACC1, features)[j] as number) / rows;
      v.fill(0, ACC1 * features, (ACC2 + 1) * features);
      v.set(mean, MU * features);
      v.set(mean, M * features);
      pass.colMoments(xt, xt, scratch);
      const w = pass.vectors(scratch);
      const variance = Float64Array.from(row(w, ACC2, features), (s) => s / rows);
      const g = store.view(gammaIn as tf.Tensor);
      const b = store.view(betaIn as tf.Tensor);
      for (let j = 0; j < features; j++) {
        inv[j] = 1 / Math.sqrt((variance[j] as number) + epsilon);
        w[A * features + j] = 0;
        w[B * features + j] = (g[j] as number) * (inv[j] as number);
        w[C * features + j] = b[j] as number;
      }
      pass.rowAffine(xt, xt, scratch, y);
      updateMoving(movingMean, mean, momentum);
      updateMoving(movingVariance, variance, momentum);
    } finally {
      scratch.dispose();
    }
    (save as tf.GradSaveFunc)([xt, gammaIn as tf.Tensor]);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [xs, gammaSaved] = saved as [tf.Tensor, tf.Tensor];
        const dx = store.allocate([rows, features]);
        const dGamma = store.allocate([features]);
        const dBeta = store.allocate([features]);
        const grads = store.allocate([VECTORS, features]);
        try {
          const v = pass.vectors(grads);
          v.fill(0);
          v.set(mean, M * features);
          pass.colMoments(dy as tf.Tensor, xs, grads);
          const w = pass.vectors(grads);
          const g = store.view(gammaSaved);
          const dg = store.view(dGamma);
          const db = store.view(dBeta);
          for (let j = 0; j < features; j++) {
            const sumDy = w[ACC1 * features + j] as number;
            const sumDyCentred = w[ACC2 * features + j] as number;
            const scale = (g[j] as number) * (inv[j] as number);
            const i2 = (inv[j] as number) * (inv[j] as number);
            dg[j] = sumDyCentred * (inv[j] as number);
            db[j] = sumDy;
            w[A * features + j] = scale;
            w[B * features + j] = (-scale * i2 * sumDyCentred) / rows;
            w[C * features + j] = (-scale * sumDy) / rows;
          }
          pass.rowAffine(dy as tf.Tensor, xs, grads, dx);
        } finally {
          grads.dispose();
        }
        return [dx, dGamma, dBeta];
      },
    };
  });
  return normalise(x, gamma.read(), beta.read());
}

/** Rows of the per-feature scratch matrix: shifts, accumulators and affine coefficients. */
const [MU, M, ACC1, ACC2, A, B, C] = [0, 1, 2, 3, 4, 5, 6];
const VECTORS = 7;

const row = (v: Float32Array, index: number, features: number) =>
  v.subarray(index * features, (index + 1) * features);

/**
 * colMoments(u, v) and rowAffine(u, v, out) of `simd/batch-norm.ts` with their per-feature vectors
 * in the rows of a scratch tensor: the SIMD kernels on the wasm heap when the width allows,
 * the scalar versions on typed-array views otherwise.
 */
function passes(store: FloatStore, rows: number, features: number) {
  const heap = features % 4 === 0 ? store.heap : undefined;
  const moments = heap && colMomentsFor(heap.memory);
  const affine = heap && rowAffineFor(heap.memory);
  if (heap && moments && affine) {
    return bindPasses(
      store,
      moments,
      affine,
      heap.offset,
      (s, index) => heap.offset(s) + 4 * index * features,
      rows,
      features,
    );
  }
  return bindPasses(
    store,
    colMoments,
    rowAffine,
    store.view,
    (s, index) => row(store.view(s), index, features),
    rows,
    features,
  );
}

/**
 * The passes over one addressing of the operands: byte offsets for the kernels, typed-array views
 * for their scalar twins (`T`).
 */
function bindPasses<T>(
  store: FloatStore,
  moments: (u: T, v: T, mu: T, m: T, acc1: T, acc2: T, rows: number, features: number) => void,
  affine: (u: T, v: T, a: T, b: T, m: T, c: T, out: T, rows: number, features: number) => void,
  tensor: (t: tf.Tensor) => T,
  scratchRow: (scratch: tf.Tensor, index: number) => T,
  rows: number,
  features: number,
) {
  return {
    vectors: (scratch: tf.Tensor) => store.view(scratch),
    colMoments: (u: tf.Tensor, v: tf.Tensor, s: tf.Tensor) =>
      moments(
        tensor(u),
        tensor(v),
        scratchRow(s, MU),
        scratchRow(s, M),
        scratchRow(s, ACC1),
        scratchRow(s, ACC2),
        rows,
        features,
      ),
    rowAffine: (u: tf.Tensor, v: tf.Tensor, s: tf.Tensor, out: tf.Tensor) =>
      affine(
        tensor(u),
        tensor(v),
        scratchRow(s, A),
        scratchRow(s, B),
        scratchRow(s, M),
        scratchRow(s, C),
        tensor(out),
        rows,
        features,
      ),
  };
}

/** moving -= (moving - batch) * (1 - momentum), as tfjs-layers' BatchNormalization does. */
function updateMoving(variable: LayerWeight, batch: ArrayLike<number>, momentum: number): void {
  const old = variable.read().dataSync();
  const next = new Float32Array(old.length);
  const decay = 1 - momentum;
  for (let j = 0; j < next.length; j++) {
    const o = old[j] as number;
    next[j] = o - (o - (batch[j] as number)) * decay;
  }
  tf.tidy(() => {
    variable.write(tf.tensor1d(next));
  });
}
