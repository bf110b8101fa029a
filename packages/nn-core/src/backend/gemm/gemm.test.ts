import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../tfjs.js';
import { initBackend } from '../startup/select.js';
import { randomValues } from '../wasm-kernels/test-utils/against-cpu.js';
import { type GemmProduct, gemmOnHeap, gemmScratchBytes, K_BLOCK } from './gemm.js';
import type { GemmVariant } from './micro-kernel.js';
import { relaxedMaddFuses, relaxedSimdAvailable } from './relaxed-simd.js';

interface Case {
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
}

/** The products of a training step of the seed MLP at batch 128, with TF.js's gradient transposes. */
const LAYER_CASES: Case[] = [
  [3072, 1024],
  [1024, 512],
  [512, 10],
].flatMap(([inputs, units]) => [
  { m: 128, k: inputs as number, n: units as number, transposeA: false, transposeB: false },
  { m: 128, k: units as number, n: inputs as number, transposeA: false, transposeB: true },
  { m: inputs as number, k: 128, n: units as number, transposeA: true, transposeB: false },
]);

/** Odd sizes (edges of the 4x8 tile and of the K block) in all four storage orders. */
const ODD_CASES: Case[] = [
  [1, 1, 1],
  [7, 13, 5],
  [3, 4, 9],
  [4, 8, 8],
  [5, 1, 17],
  [129, 3073, 17],
  [33, K_BLOCK + 1, 12],
].flatMap(([m, k, n]) =>
  [false, true].flatMap((transposeA) =>
    [false, true].map((transposeB) => ({
      m: m as number,
      k: k as number,
      n: n as number,
      transposeA,
      transposeB,
    })),
  ),
);

const label = (c: Case) =>
  `${c.m}x${c.k}x${c.n}${c.transposeA ? ' Aᵀ' : ''}${c.transposeB ? ' Bᵀ' : ''}`;

/** A's and B's storage shapes: A is m x k (k x m transposed), B k x n (n x k transposed). */
const aShape = (c: Case) => (c.transposeA ? [c.k, c.m] : [c.m, c.k]);
const bShape = (c: Case) => (c.transposeB ? [c.n, c.k] : [c.k, c.n]);

/** op(X) as a row-major float64 matrix of `rows` x `cols`, from storage transposed or not. */
function plainMatrix(x: Float32Array, rows: number, cols: number, transposed: boolean) {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++)
      out[r * cols + c] = (transposed ? x[c * rows + r] : x[r * cols + c]) as number;
  return out;
}

const allRows = (c: Case) => Array.from({ length: c.m }, (_, i) => i);

/**
 * Every 5th row and the last: 5 is prime to the tile's 4 rows, so the sample meets every row of
 * the tile, every M block and the edge; a fifth of the float64 reference's work on the largest
 * products (up to 400 M multiply-adds each).
 */
const sampledRows = (c: Case) => allRows(c).filter((i) => i % 5 === 0 || i === c.m - 1);

/** The given rows of a row-major m x n matrix, one after another. */
function pickRows(full: Float32Array, rows: number[], n: number): Float32Array {
  const out = new Float32Array(rows.length * n);
  rows.forEach((i, r) => {
    out.set(full.subarray(i * n, (i + 1) * n), r * n);
  });
  return out;
}

/** float64 rows of C = op(A)·op(B), and Σ|a||b| per element (what rounding errors scale with). */
function reference(c: Case, a: Float32Array, b: Float32Array, rows = allRows(c)) {
  const opA = plainMatrix(a, c.m, c.k, c.transposeA);
  const opB = plainMatrix(b, c.k, c.n, c.transposeB);
  const absB = opB.map(Math.abs);
  const exact = new Float64Array(rows.length * c.n);
  const magnitude = new Float64Array(rows.length * c.n);
  // Row i of C accumulates row p of op(B) times op(A)[i][p]: contiguous inner loops.
  for (const [r, i] of rows.entries()) {
    const row = r * c.n;
    for (let p = 0; p < c.k; p++) {
      const x = opA[i * c.k + p] as number;
      const ax = Math.abs(x);
      const from = p * c.n;
      for (let j = 0; j < c.n; j++) {
        exact[row + j] = (exact[row + j] as number) + x * (opB[from + j] as number);
        magnitude[row + j] = (magnitude[row + j] as number) + ax * (absB[from + j] as number);
      }
    }
  }
  return { exact, magnitude };
}

/** Element-wise equality as a loop: toEqual on millions of elements takes minutes. */
function expectSameValues(got: Float32Array, want: ArrayLike<number>, what: string) {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < got.length; i++)
    if (got[i] !== want[i]) expect.fail(`${what}: element ${i} is ${got[i]}, expected ${want[i]}`);
}

/**
 * Runs the kernel on its own memory, A, B and C at unaligned offsets with guard values around C;
 * checks that A, B and everything outside C are left as they were.
 */
function runKernel(
  variant: GemmVariant,
  c: Case,
  a: Float32Array,
  b: Float32Array,
  shared = false,
) {
  const guard = 8;
  const p: GemmProduct = { ...c, a: 4 * 3, b: 4 * (3 + a.length), c: 0 };
  p.c = p.b + 4 * (b.length + guard);
  const scratch = p.c + 4 * (c.m * c.n + guard);
  const pages = Math.ceil((scratch + gemmScratchBytes(p)) / 65536) + 1;
  const memory = new WebAssembly.Memory(
    shared ? { initial: pages, maximum: 65536, shared: true } : { initial: pages },
  );
  const heap = new Float32Array(memory.buffer);
  heap.set(a, p.a / 4);
  heap.set(b, p.b / 4);
  heap.fill(Number.NaN, p.c / 4 - guard, p.c / 4 + c.m * c.n + guard);
  expect(gemmOnHeap(memory, variant, p, scratch)).toBe(true);
  expectSameValues(heap.subarray(p.a / 4, p.a / 4 + a.length), a, 'A after the product');
  expectSameValues(heap.subarray(p.b / 4, p.b / 4 + b.length), b, 'B after the product');
  const untouched = (from: number) => Array.from(heap.subarray(from, from + guard));
  expect(untouched(p.c / 4 - guard).every(Number.isNaN)).toBe(true);
  expect(untouched(p.c / 4 + c.m * c.n).every(Number.isNaN)).toBe(true);
  return Float32Array.from(heap.subarray(p.c / 4, p.c / 4 + c.m * c.n));
}

/**
 * Rounding bound of any float32 sum of k products, in any order, fused or not: each product and
 * each addition rounds once at most (relative 2⁻²⁴), so |computed − exact| ≤ γₖ·Σ|a||b| with
 * γₖ = k·u / (1 − k·u) (Higham, Accuracy and Stability of Numerical Algorithms, §3.1). The
 * kernel's order (k ascending, blocks of K_BLOCK added to C) and relaxed_madd's fusing stay
 * within it; a term dropped, doubled or taken from the wrong place does not (the exact-integer
 * tests below also catch the small ones).
 */
function gamma(k: number): number {
  const ku = k * 2 ** -24;
  return ku / (1 - ku);
}

function expectWithinBound(got: Float32Array, want: ReturnType<typeof reference>, k: number) {
  let worst = 0;
  got.forEach((v, i) => {
    const allowed = gamma(k) * (want.magnitude[i] as number) + 1e-30;
    worst = Math.max(worst, Math.abs(v - (want.exact[i] as number)) / allowed);
  });
  expect(worst, 'largest error as a fraction of the rounding bound').toBeLessThanOrEqual(1);
}

/** Small integers: every partial sum is an integer below 2²⁴, exact in float32 in any order. */
function integers(count: number, seed: number): Float32Array {
  return randomValues(count, seed).map((v) => Math.round(v * 3));
}

const VARIANTS: GemmVariant[] = ['plain', 'relaxed'];

describe('relaxed SIMD in this engine', () => {
  it('is available in Node 20 once the V8 flag is set at run time', () => {
    expect(relaxedSimdAvailable()).toBe(true);
    expect(typeof relaxedMaddFuses()).toBe('boolean');
  });
});

describe.each(VARIANTS)('GEMM kernel, %s twin', (variant) => {
  it.each(ODD_CASES)(
    '$m x $k x $n (tA $transposeA, tB $transposeB) is exact on small integers',
    (c) => {
      const a = integers(c.m * c.k, c.m + c.k);
      const b = integers(c.k * c.n, c.k + c.n);
      expectSameValues(runKernel(variant, c, a, b), reference(c, a, b).exact, label(c));
    },
  );

  it.each(ODD_CASES)(
    '$m x $k x $n (tA $transposeA, tB $transposeB) is within float32 rounding of float64',
    (c) => {
      const a = randomValues(c.m * c.k, 7);
      const b = randomValues(c.k * c.n, 8);
      expectWithinBound(runKernel(variant, c, a, b), reference(c, a, b), c.k);
    },
  );

  it('runs on a shared memory (the threaded wasm build) the same', () => {
    const c = ODD_CASES[5] as Case;
    const a = randomValues(c.m * c.k, 9);
    const b = randomValues(c.k * c.n, 10);
    expect(runKernel(variant, c, a, b, true)).toEqual(runKernel(variant, c, a, b));
  });

  it('gives zeros for an empty K dimension', () => {
    const c: Case = { m: 3, k: 0, n: 5, transposeA: false, transposeB: false };
    expect(Array.from(runKernel(variant, c, new Float32Array(0), new Float32Array(0)))).toEqual(
      new Array(15).fill(0),
    );
  });
});

// Each of these runs a float64 reference on a fifth of the rows (up to 80 M multiply-adds) and
// the cpu backend's whole product: seconds on an idle machine; the timeout is for a loaded one.
const LAYER_TIMEOUT_MS = 600_000;

describe('GEMM kernel on the training step products, both twins', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it.each(LAYER_CASES)(
    '$m x $k x $n (tA $transposeA, tB $transposeB): exact on small integers',
    (c) => {
      const a = integers(c.m * c.k, c.m + c.k);
      const b = integers(c.k * c.n, c.k + c.n);
      const rows = sampledRows(c);
      const { exact } = reference(c, a, b, rows);
      for (const variant of VARIANTS)
        expectSameValues(
          pickRows(runKernel(variant, c, a, b), rows, c.n),
          exact,
          `${variant} ${label(c)}`,
        );
    },
    LAYER_TIMEOUT_MS,
  );

  it.each(LAYER_CASES)(
    '$m x $k x $n (tA $transposeA, tB $transposeB): within rounding of float64 and of the cpu backend',
    async (c) => {
      const a = randomValues(c.m * c.k, c.m);
      const b = randomValues(c.k * c.n, c.n);
      const rows = sampledRows(c);
      const want = reference(c, a, b, rows);
      const operands = [tf.tensor(a, aShape(c)), tf.tensor(b, bShape(c))] as const;
      const product = tf.matMul(operands[0], operands[1], c.transposeA, c.transposeB);
      const cpu = pickRows((await product.data()) as Float32Array, rows, c.n);
      tf.dispose([...operands, product]);
      // The cpu backend is itself within the bound, so the kernels and it differ by at most twice it.
      expectWithinBound(cpu, want, c.k);
      for (const variant of VARIANTS) {
        const got = pickRows(runKernel(variant, c, a, b), rows, c.n);
        expectWithinBound(got, want, c.k);
        got.forEach((v, i) => {
          const allowed = 2 * gamma(c.k) * (want.magnitude[i] as number) + 1e-30;
          if (Math.abs(v - (cpu[i] as number)) > allowed)
            expect.fail(`${variant} ${label(c)} element ${i}: ${v} vs cpu ${cpu[i]}`);
        });
      }
    },
    LAYER_TIMEOUT_MS,
  );
});
