import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, shuffleInPlace } from './rng.js';

describe('createRng', () => {
  it('repeats for the same seed and differs for another', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
  });

  it('gives roughly uniform values in [0, 1)', () => {
    const rng = createRng(7);
    const bins = new Array(10).fill(0);
    const n = 100_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const v = rng();
      if (!(v >= 0 && v < 1)) outside++;
      else bins[Math.floor(v * 10)]++;
    }
    expect(outside).toBe(0);
    // Chi-square with 9 degrees of freedom; 27.9 is the 0.999 quantile.
    const chi = bins.reduce((s, o) => s + (o - n / 10) ** 2 / (n / 10), 0);
    expect(chi).toBeLessThan(27.9);
  });
});

describe('deriveSeed', () => {
  it('separates neighbouring (seed, epoch) pairs', () => {
    const seeds = new Set<number>();
    for (let s = 0; s < 20; s++) for (let e = 0; e < 20; e++) seeds.add(deriveSeed(s, e));
    expect(seeds.size).toBe(400);
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(2, 1));
  });
});

describe('shuffleInPlace', () => {
  it('permutes without losing or duplicating values', () => {
    const values = Uint32Array.from({ length: 1000 }, (_, i) => i);
    shuffleInPlace(values, createRng(3));
    expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect([...values.subarray(0, 10)]).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
