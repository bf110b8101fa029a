import { describe, expect, it } from 'vitest';
import { createRng } from '../data/rng.js';
import { eigh } from './eigh.js';

function randomSymmetric(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = rng() - 0.5;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

/** max |A v - lambda v| over every pair, and max |V V^T - I|. */
function residuals(a: ArrayLike<number>, n: number, values: Float64Array, vectors: Float64Array) {
  let eigen = 0;
  let ortho = 0;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += (a[i * n + j] as number) * (vectors[k * n + j] as number);
      eigen = Math.max(eigen, Math.abs(s - (values[k] as number) * (vectors[k * n + i] as number)));
    }
    for (let l = 0; l < n; l++) {
      let d = 0;
      for (let j = 0; j < n; j++)
        d += (vectors[k * n + j] as number) * (vectors[l * n + j] as number);
      ortho = Math.max(ortho, Math.abs(d - (k === l ? 1 : 0)));
    }
  }
  return { eigen, ortho };
}

describe('eigh', () => {
  it('solves [[a, b], [b, c]] in closed form', () => {
    const [a, b, c] = [3, 1.5, -1];
    const mid = (a + c) / 2;
    const radius = Math.hypot((a - c) / 2, b);
    const { values, vectors } = eigh([a, b, b, c], 2);
    expect(values[0]).toBeCloseTo(mid - radius, 14);
    expect(values[1]).toBeCloseTo(mid + radius, 14);
    // The eigenvector of the larger value is along (b, lambda - a).
    const [x, y] = [vectors[2] as number, vectors[3] as number];
    expect(Math.abs(x * (mid + radius - a) - y * b)).toBeLessThan(1e-14);
  });
  it('solves the 3 x 3 second-difference matrix: 2 - sqrt 2, 2, 2 + sqrt 2', () => {
    const m = [2, -1, 0, -1, 2, -1, 0, -1, 2];
    const { values, vectors } = eigh(m, 3);
    expect(Array.from(values)).toEqual([
      expect.closeTo(2 - Math.SQRT2, 14),
      expect.closeTo(2, 14),
      expect.closeTo(2 + Math.SQRT2, 14),
    ]);
    // The middle eigenvector is (1, 0, -1)/sqrt 2 up to sign.
    expect(Math.abs(vectors[3] as number)).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[4]).toBeCloseTo(0, 14);
    expect((vectors[3] as number) + (vectors[5] as number)).toBeCloseTo(0, 14);
  });
  it('handles diagonal, repeated and zero eigenvalues', () => {
    const diag = eigh([5, 0, 0, 0, -2, 0, 0, 0, 1], 3);
    expect(Array.from(diag.values)).toEqual([-2, 1, 5]);
    const identity = eigh([1, 0, 0, 1], 2);
    expect(Array.from(identity.values)).toEqual([1, 1]);
    expect(
      residuals([0, 0, 0, 0], 2, eigh([0, 0, 0, 0], 2).values, eigh([0, 0, 0, 0], 2).vectors).ortho,
    ).toBe(0);
  });
  it('decomposes random symmetric matrices to round-off', () => {
    for (const n of [1, 4, 17, 60]) {
      const a = randomSymmetric(n, n);
      const { values, vectors } = eigh(a, n);
      const r = residuals(a, n, values, vectors);
      expect(r.eigen).toBeLessThan(1e-12);
      expect(r.ortho).toBeLessThan(1e-12);
      for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1] as number);
      // The trace is the sum of the eigenvalues.
      let trace = 0;
      for (let i = 0; i < n; i++) trace += a[i * n + i] as number;
      expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 10);
    }
  });
  it('refuses a matrix of the wrong size', () => {
    expect(() => eigh([1, 2, 3], 2)).toThrow(/4 entries/);
  });
});
