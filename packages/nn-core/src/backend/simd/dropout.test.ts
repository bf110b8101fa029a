import { describe, expect, it } from 'vitest';
import { dropoutMask, dropThreshold, simdDropoutFor } from './dropout.js';

const SEEDS = [0x12345678, 0x9abcdef1, 7, 0xfffffff0] as const;

describe('dropout mask', () => {
  it('follows xorshift32 per lane (hand-computed first values)', () => {
    // xorshift32 from 1: 270369, 67634689, 2647435461 (Marsaglia's generator, by hand).
    const out = new Float32Array(12);
    const src = new Float32Array(12).fill(1);
    // Threshold 270369 keeps the first draw only if >= 270369: lane 0 draws 270369, then 67634689.
    dropoutMask(src, out, [1, 1, 1, 1], 67634689, 2);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2]);
  });

  it('keeps about 1 - rate of the elements, scaled', () => {
    const n = 40000;
    const out = new Float32Array(n);
    dropoutMask(new Float32Array(n).fill(3), out, SEEDS, dropThreshold(0.3), 1 / 0.7);
    const kept = out.filter((v) => v !== 0);
    // Binomial(40000, 0.7): sd 92, so 28,000 +- 600 is over 6 sd.
    expect(Math.abs(kept.length - 28000)).toBeLessThan(600);
    expect(new Set(kept)).toEqual(new Set([Math.fround(3 * Math.fround(1 / 0.7))]));
  });

  it.each([false, true])(
    'SIMD kernel equals the scalar twin exactly (shared memory: %s)',
    (shared) => {
      const memory = new WebAssembly.Memory(
        shared ? { initial: 16, maximum: 65536, shared: true } : { initial: 16 },
      );
      const n = 4096 + 8;
      const src = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 10);
      new Float32Array(memory.buffer).set(src, 4);
      const kernel = simdDropoutFor(memory) as (...args: number[]) => void;
      const threshold = dropThreshold(0.45);
      kernel(16, 16 + 4 * n + 64, n, ...SEEDS, threshold | 0, 1 / 0.55);
      const want = new Float32Array(n);
      dropoutMask(src, want, SEEDS, threshold, 1 / 0.55);
      expect(Array.from(new Float32Array(memory.buffer, 16 + 4 * n + 64, n))).toEqual(
        Array.from(want),
      );
    },
  );

  it('maps rates to thresholds at the ends', () => {
    expect(dropThreshold(0)).toBe(0);
    expect(dropThreshold(0.5)).toBe(2 ** 31);
    expect(dropThreshold(1)).toBe(2 ** 32 - 1);
  });
});
