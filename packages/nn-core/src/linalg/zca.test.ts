import { describe, expect, it } from 'vitest';
import { createRng } from '../data/rng.js';
import { zcaMatrix } from './zca.js';

const matmul = (a: ArrayLike<number>, b: ArrayLike<number>, n: number) => {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++)
      for (let j = 0; j < n; j++)
        out[i * n + j] =
          (out[i * n + j] as number) + (a[i * n + k] as number) * (b[k * n + j] as number);
  return out;
};

describe('zcaMatrix', () => {
  it('matches the closed form for [[a, b], [b, a]], with and without the mirror', () => {
    const [a, b, eps] = [2, 0.75, 0.1];
    // Eigenvectors (1, 1)/sqrt 2 and (1, -1)/sqrt 2 with eigenvalues a + b and a - b.
    const p = 1 / Math.sqrt(a + b + eps);
    const q = 1 / Math.sqrt(a - b + eps);
    const expected = [(p + q) / 2, (p - q) / 2, (p - q) / 2, (p + q) / 2];
    for (const mirror of [undefined, [1, 0]]) {
      const { matrix, eigenvalues } = zcaMatrix([a, b, b, a], 2, eps, mirror);
      Array.from(matrix).forEach((v, i) => void expect(v).toBeCloseTo(expected[i] as number, 14));
      expect(Array.from(eigenvalues)).toEqual([
        expect.closeTo(a + b, 14),
        expect.closeTo(a - b, 14),
      ]);
    }
  });
  it('whitens a 3 x 3 covariance: W (C + eps I) W = I, W symmetric', () => {
    const c = [4, 1, 0.5, 1, 3, 0.25, 0.5, 0.25, 2];
    const eps = 0.01;
    const { matrix } = zcaMatrix(c, 3, eps);
    const reg = c.map((v, i) => v + (i % 4 === 0 ? eps : 0));
    const product = matmul(matmul(matrix, reg, 3), matrix, 3);
    product.forEach((v, i) => void expect(v).toBeCloseTo(i % 4 === 0 ? 1 : 0, 12));
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        expect(matrix[i * 3 + j]).toBeCloseTo(matrix[j * 3 + i] as number, 14);
  });
  it('with a mirror (3 x 3, one fixed point) whitens the symmetrised covariance and commutes with the mirror', () => {
    const c = [4, 1, 0.5, 1, 3, 0.25, 0.5, 0.25, 2];
    const mirror = [2, 1, 0];
    const sym = c.map((v, idx) => {
      const i = Math.floor(idx / 3);
      const j = idx % 3;
      return (v + (c[(mirror[i] as number) * 3 + (mirror[j] as number)] as number)) / 2;
    });
    const direct = zcaMatrix(sym, 3, 0.01).matrix;
    const { matrix } = zcaMatrix(c, 3, 0.01, mirror);
    matrix.forEach((v, i) => void expect(v).toBeCloseTo(direct[i] as number, 13));
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        expect(matrix[(mirror[i] as number) * 3 + (mirror[j] as number)]).toBeCloseTo(
          matrix[i * 3 + j] as number,
          14,
        );
  });
  it('agrees with the direct decomposition on a random 8 x 8 covariance and an image-like mirror', () => {
    const rng = createRng(5);
    const n = 8;
    const x = Array.from({ length: 40 * n }, () => rng() - 0.5);
    const c = new Float64Array(n * n);
    for (let s = 0; s < 40; s++)
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          c[i * n + j] =
            (c[i * n + j] as number) + ((x[s * n + i] as number) * (x[s * n + j] as number)) / 40;
    const mirror = [3, 2, 1, 0, 7, 6, 5, 4];
    const sym = c.map(
      (v, idx) =>
        (v +
          (c[
            (mirror[Math.floor(idx / n)] as number) * n + (mirror[idx % n] as number)
          ] as number)) /
        2,
    );
    const direct = zcaMatrix(sym, n, 0.05).matrix;
    zcaMatrix(c, n, 0.05, mirror).matrix.forEach(
      (v, i) => void expect(v).toBeCloseTo(direct[i] as number, 12),
    );
  });
  it('refuses a non-positive epsilon and a mirror that is not an involution', () => {
    expect(() => zcaMatrix([1, 0, 0, 1], 2, 0)).toThrow(/epsilon/);
    expect(() => zcaMatrix([1, 0, 0, 0, 1, 0, 0, 0, 1], 3, 1, [1, 2, 0])).toThrow(/involution/);
  });
});
