import { describe, expect, it } from 'vitest';
import * as tf from '../../tfjs.js';
import { setLearningRate } from '../../train/optimizer.js';
import { simdAdamFor, simdAdamUpdate } from '../simd/adam.js';
import { initBackend } from '../startup/select.js';
import { randomValues } from '../wasm-kernels/test-utils/against-cpu.js';
import { adamUpdate, FusedAdamOptimizer } from './fused-adam.js';

// Odd shapes on purpose, plus a scalar-like [1] and a rank-3 variable.
const SHAPES = [[1], [7], [3, 5], [33, 19], [2, 3, 4]];
const STEPS = 6;
let runs = 0;

interface RunResult {
  weights: number[][];
  /** The optimizer's saved state: iteration count, then every m, then every v. */
  state: number[][];
}

/**
 * Applies STEPS Adam updates with seeded random gradients (magnitudes spread over 1e-3..1,
 * the rate changed from step 3 on) and reads weights and state back.
 */
async function run(
  backend: 'cpu' | 'wasm',
  make: (lr: number) => tf.Optimizer,
): Promise<RunResult> {
  await initBackend(backend, { threads: 1 });
  const tag = runs++;
  const variables = SHAPES.map((shape, k) =>
    tf.variable(
      tf.tensor(
        randomValues(
          shape.reduce((a, b) => a * b, 1),
          100 + k,
        ),
        shape,
      ),
      true,
      `fused-adam-test-${tag}-${k}`,
    ),
  );
  const optimizer = make(0.01);
  for (let step = 0; step < STEPS; step++) {
    if (step === 3) setLearningRate(optimizer, 0.003);
    const grads = variables.map((variable, k) => {
      const scale = 10 ** -((k + step) % 4);
      const g = randomValues(variable.size, 1000 * step + k).map((x) => x * scale);
      return { name: variable.name, tensor: tf.tensor(g, variable.shape) };
    });
    optimizer.applyGradients(grads);
    tf.dispose(grads.map((g) => g.tensor));
  }
  const weights = await Promise.all(variables.map(async (v) => Array.from(await v.data())));
  const saved = await optimizer.getWeights();
  const state = await Promise.all(saved.map(async (w) => Array.from(await w.tensor.data())));
  saved[0]?.tensor.dispose();
  optimizer.dispose();
  tf.dispose(variables);
  return { weights, state };
}

const stock = (lr: number) => tf.train.adam(lr, 0.9, 0.999, 1e-7);
const fused = (lr: number) => new FusedAdamOptimizer(lr, 0.9, 0.999, 1e-7);

/** Max |got - want| relative to the largest |want| of each array. */
function expectClose(got: number[][], want: number[][], rel: number, what: string): void {
  expect(got.length).toBe(want.length);
  want.forEach((w, k) => {
    const g = got[k] as number[];
    expect(g.length, `${what} ${k} length`).toBe(w.length);
    const scale = w.reduce((m, x) => Math.max(m, Math.abs(x)), 1e-30);
    const worst = w.reduce((m, x, i) => Math.max(m, Math.abs((g[i] ?? Number.NaN) - x)), 0);
    expect(worst / scale, `${what} ${k}`).toBeLessThanOrEqual(rel);
  });
}

describe('adamUpdate', () => {
  it('matches a hand calculation of the first Adam step', () => {
    // Step 1: m = 0.1 g, v = 0.001 g^2, m^ = g, v^ = g^2, w -= lr * g / (|g| + eps).
    const w = Float32Array.from([1, -2]);
    const g = Float32Array.from([0.5, -4]);
    const m = new Float32Array(2);
    const v = new Float32Array(2);
    const step = { lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 0 };
    adamUpdate(w, g, m, v, w, { ...step, correction1: 0.1, correction2: 0.001 });
    expect(Array.from(m)).toEqual([Math.fround(0.05), Math.fround(-0.4)]);
    expect(v[0]).toBeCloseTo(0.00025, 8);
    expect(v[1]).toBeCloseTo(0.016, 7);
    expect(w[0]).toBeCloseTo(0.9, 6);
    expect(w[1]).toBeCloseTo(-1.9, 6);
  });
});

describe('FusedAdamOptimizer', () => {
  it('on cpu follows tf.train.adam (weights, moments, iterations)', async () => {
    const want = await run('cpu', stock);
    const got = await run('cpu', fused);
    expectClose(got.weights, want.weights, 1e-6, 'weights');
    expectClose(got.state, want.state, 1e-6, 'state');
    expect(got.state[0]).toEqual([STEPS]);
  });

  it('on wasm follows tf.train.adam on cpu', async () => {
    const want = await run('cpu', stock);
    const got = await run('wasm', fused);
    expectClose(got.weights, want.weights, 1e-6, 'weights');
    expectClose(got.state, want.state, 1e-6, 'state');
  });

  it('on wasm, a product with the updated weights uses the new values (no stale packed copy)', async () => {
    await initBackend('wasm', { threads: 1 });
    const x = tf.tensor(randomValues(8 * 16, 7), [8, 16]);
    const w = tf.variable(tf.tensor(randomValues(16 * 12, 8), [16, 12]), true, 'fused-adam-stale');
    const optimizer = fused(0.1);
    tf.matMul(x, w).dispose(); // packs w
    optimizer.applyGradients([{ name: w.name, tensor: tf.onesLike(w) }]);
    const got = await tf.matMul(x, w).data();
    const want = await tf.matMul(x, tf.tensor(await w.data(), w.shape)).data();
    expect(Array.from(got)).toEqual(Array.from(want));
    optimizer.dispose();
    tf.dispose([x, w]);
  });

  it('leaves a tensor that shares a moment untouched', async () => {
    await initBackend('wasm', { threads: 1 });
    const w = tf.variable(tf.tensor([1, 2, 3]), true, 'fused-adam-shared');
    const optimizer = fused(0.1);
    optimizer.applyGradients([{ name: w.name, tensor: tf.tensor([1, 1, 1]) }]);
    const saved = await optimizer.getWeights();
    const held = (saved[1] as { tensor: tf.Tensor }).tensor.clone();
    const before = Array.from(await held.data());
    optimizer.applyGradients([{ name: w.name, tensor: tf.tensor([1, 1, 1]) }]);
    expect(Array.from(await held.data())).toEqual(before);
    optimizer.dispose();
    tf.dispose([w, held]);
  });
});

describe('simdAdamUpdate (hand-assembled WebAssembly SIMD)', () => {
  const step = {
    lr: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
    correction1: 0.271,
    correction2: 0.003,
  };
  it.each([false, true])(
    'matches adamUpdate on 4096 random elements (shared memory: %s)',
    (shared) => {
      const memory = new WebAssembly.Memory(
        shared ? { initial: 2, maximum: 4, shared: true } : { initial: 2 },
      );
      const kernel = simdAdamFor(memory);
      expect(kernel).not.toBeNull();
      const n = 4096;
      const heap = new Float32Array(memory.buffer);
      const region = (k: number) => heap.subarray(k * n, (k + 1) * n);
      const [w, g, m, v, out] = [region(0), region(1), region(2), region(3), region(4)];
      w.set(randomValues(n, 1));
      g.set(randomValues(n, 2).map((x, i) => x * 10 ** -(i % 5)));
      m.set(randomValues(n, 3).map((x) => x * 0.1));
      v.set(randomValues(n, 4).map((x) => x * x * 0.01));
      const [ww, wg, wm, wv, wout] = [w.slice(), g.slice(), m.slice(), v.slice(), out.slice()];
      adamUpdate(ww, wg, wm, wv, wout, step);
      if (!kernel) return;
      simdAdamUpdate(kernel, { w: 0, g: 4 * n, m: 8 * n, v: 12 * n, out: 16 * n }, n, step);
      const got = [out, m, v].map((a) => Array.from(a));
      expectClose(
        got,
        [wout, wm, wv].map((a) => Array.from(a)),
        1e-6,
        'simd',
      );
      expect(Array.from(w)).toEqual(Array.from(ww)); // inputs untouched
    },
  );
});
