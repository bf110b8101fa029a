import { describe, expect, it } from 'vitest';
import * as tf from '../../tfjs.js';
import { initBackend } from '../startup/select.js';
import { dropoutForTraining } from './dropout.js';

describe('dropoutForTraining', () => {
  it.each(['cpu', 'wasm'] as const)(
    'zeroes about `rate` of the elements and scales the rest (%s)',
    async (backend) => {
      await initBackend(backend);
      const x = tf.fill([200, 100], 2);
      const y = (dropoutForTraining(x, 0.3, 7) as tf.Tensor).dataSync();
      const zeros = y.filter((v) => v === 0).length;
      // Binomial(20000, 0.3): sd 65, so 6,000 +- 400 is over 6 sd.
      expect(Math.abs(zeros - 6000)).toBeLessThan(400);
      for (const v of y) if (v !== 0) expect(v).toBeCloseTo(2 / 0.7, 5);
    },
  );

  it('is reproducible per seed, different across seeds, and the same on cpu and wasm', async () => {
    const mask = async (backend: 'cpu' | 'wasm', seed: number) => {
      await initBackend(backend);
      return Array.from((dropoutForTraining(tf.ones([50, 20]), 0.5, seed) as tf.Tensor).dataSync());
    };
    expect(await mask('wasm', 3)).toEqual(await mask('wasm', 3));
    expect(await mask('cpu', 3)).toEqual(await mask('wasm', 3));
    expect(await mask('wasm', 3)).not.toEqual(await mask('wasm', 4));
  });

  it('passes the gradient through the kept elements only, with the same scale', async () => {
    await initBackend('wasm');
    const x = tf.tensor2d(
      Array.from({ length: 60 }, (_, i) => i - 30),
      [6, 10],
    );
    const y = (dropoutForTraining(x, 0.4, 11) as tf.Tensor).dataSync();
    const dx = tf
      .grad((xIn: tf.Tensor) => tf.sum(tf.mul(dropoutForTraining(xIn, 0.4, 11) as tf.Tensor, 3)))(x)
      .dataSync();
    const xv = x.dataSync();
    for (let i = 0; i < 60; i++) {
      const kept = y[i] !== 0 || xv[i] === 0;
      if (xv[i] !== 0) expect(dx[i]).toBeCloseTo(kept ? 3 / 0.6 : 0, 5);
    }
  });

  it('is the identity at rate 0', async () => {
    await initBackend('wasm');
    const x = tf.tensor1d([1, 2, 3]);
    expect(dropoutForTraining(x, 0, 1)).toBe(x);
  });
});
