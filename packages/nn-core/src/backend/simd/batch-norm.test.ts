import { describe, expect, it } from 'vitest';
import { randomValues } from '../wasm-kernels/test-utils/against-cpu.js';
import { colMoments, colMomentsFor, rowAffine, rowAffineFor } from './batch-norm.js';

const random = (n: number, seed: number) => Float32Array.from(randomValues(n, seed));

describe.each([false, true])('SIMD batch-norm passes (shared memory: %s)', (shared) => {
  const memory = new WebAssembly.Memory(
    shared ? { initial: 64, maximum: 65536, shared: true } : { initial: 64 },
  );

  it.each([
    [1, 4],
    [3, 8],
    [128, 1024],
  ])('colMoments and rowAffine on %i x %i match the scalar versions', (rows, features) => {
    const n = rows * features;
    const u = random(n, 1);
    const v = random(n, 2);
    const vectors = [3, 4, 5, 6, 7, 8].map((seed) => random(features, seed));
    // Lay out u, v, six vectors and an output matrix on the heap, 16-byte aligned.
    const heap = new Float32Array(memory.buffer);
    let next = 16;
    const place = (values: Float32Array) => {
      const at = next;
      heap.set(values, at / 4);
      next += 4 * values.length;
      return at;
    };
    const [uAt, vAt] = [place(u), place(v)];
    const [mu, m, acc1, acc2, a, b] = vectors.map(place) as number[];
    const c = place(random(features, 9));
    const out = place(new Float32Array(n));
    (colMomentsFor(memory) as (...args: number[]) => void)(
      uAt,
      vAt,
      mu as number,
      m as number,
      acc1 as number,
      acc2 as number,
      rows,
      features,
    );
    (rowAffineFor(memory) as (...args: number[]) => void)(
      uAt,
      vAt,
      a as number,
      b as number,
      m as number,
      c,
      out,
      rows,
      features,
    );

    const [muR, mR, acc1R, acc2R, aR, bR] = vectors.map((x) => Float32Array.from(x));
    colMoments(
      u,
      v,
      muR as Float32Array,
      mR as Float32Array,
      acc1R as Float32Array,
      acc2R as Float32Array,
      rows,
      features,
    );
    const outR = new Float32Array(n);
    rowAffine(
      u,
      v,
      aR as Float32Array,
      bR as Float32Array,
      mR as Float32Array,
      random(features, 9),
      outR,
      rows,
      features,
    );

    const read = (at: number, length: number) =>
      Array.from(new Float32Array(memory.buffer, at, length));
    // Same float32 operations in the same order: identical results.
    expect(read(acc1 as number, features)).toEqual(Array.from(acc1R as Float32Array));
    expect(read(acc2 as number, features)).toEqual(Array.from(acc2R as Float32Array));
    expect(read(out, n)).toEqual(Array.from(outR));
  });

  it('computes the definitions (hand-checked 1 x 4)', () => {
    const u = Float32Array.from([1, 2, 3, 4]);
    const v = Float32Array.from([2, 2, 2, 2]);
    const acc1 = new Float32Array(4);
    const acc2 = Float32Array.from([1, 1, 1, 1]);
    colMoments(
      u,
      v,
      Float32Array.from([1, 1, 1, 1]),
      Float32Array.from([0, 1, 2, 3]),
      acc1,
      acc2,
      1,
      4,
    );
    expect(Array.from(acc1)).toEqual([0, 1, 2, 3]);
    expect(Array.from(acc2)).toEqual([1, 2, 1, -2]);
    const out = new Float32Array(4);
    rowAffine(
      u,
      v,
      Float32Array.from([1, 0, 2, 0]),
      Float32Array.from([0, 1, 1, 3]),
      Float32Array.from([1, 1, 1, 1]),
      Float32Array.from([0, 0, 0, 10]),
      out,
      1,
      4,
    );
    expect(Array.from(out)).toEqual([1, 1, 7, 13]);
  });
});
