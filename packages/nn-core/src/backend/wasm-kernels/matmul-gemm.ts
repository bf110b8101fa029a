import type * as tf from '../../tfjs.js';
import { gemmOnHeap, gemmScratchBytes } from '../gemm/gemm.js';
import { type WasmBackend, wasmMemoryOf } from '../simd/float-store.js';
import { isSharedMemory } from '../simd/wasm-asm.js';

/**
 * Smallest M and N (rows and columns of the product) handed to labkit's own GEMM kernel. Measured
 * with bench/train/gemm.mjs (1 thread, fresh operands as in training, 4 runs of 7 rounds on a
 * loaded 2-core machine, so indicative): against XNNPACK behind the explicit-transpose override,
 * forward x·W 1.27-1.76x (layer 1) and 1.33-1.36x (layer 2), dW 1.25-1.31x and 1.18-1.22x,
 * dX 3.5-4.1x for layer 3 (K = 10); the products with N = 10 did not win (0.31-1.30x).
 */
export const OWN_GEMM_MIN_SIDE = 128;

/**
 * Whether the own kernel takes a product of M x K by K x N. dy·Wᵀ with a long K (the input
 * gradients of layers 1 and 2: 1.00-1.13x) showed no clear margin, so XNNPACK keeps it.
 */
export function ownGemmTakes(
  m: number,
  k: number,
  n: number,
  transposeA: boolean,
  transposeB: boolean,
): boolean {
  if (Math.min(m, n) < OWN_GEMM_MIN_SIDE) return false;
  return !(transposeB && !transposeA && k >= OWN_GEMM_MIN_SIDE);
}

interface MatMulArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}

const batchOf = (shape: readonly number[]) => shape.slice(0, -2).reduce((a, b) => a * b, 1);

/**
 * BatchMatMul by the plain-SIMD twin of `gemm/` (fast path or undefined): float32, one matrix
 * per operand, the products {@link ownGemmTakes} names, and only on the
 * single-threaded build (an unshared heap). On more threads XNNPACK splits the product across
 * the pool, which one thread cannot match. The plain twin multiplies and adds in XNNPACK's order
 * (k ascending, no fused multiply-add), so it gives the same bits: results do not depend on the
 * thread count. The relaxed twin may fuse, which would change them, so it is never used here.
 */
export function ownGemmBatchMatMul(args: MatMulArgs): tf.TensorInfo | undefined {
  const { inputs, attrs = {} } = args;
  const { a, b } = inputs;
  if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  if (a.shape.length < 2 || b.shape.length < 2 || batchOf(a.shape) !== 1 || batchOf(b.shape) !== 1)
    return undefined;
  const backend = args.backend as unknown as WasmBackend;
  const memory = wasmMemoryOf(backend);
  if (!memory || isSharedMemory(memory)) return undefined;
  const transposeA = Boolean(attrs.transposeA);
  const transposeB = Boolean(attrs.transposeB);
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  if ((transposeB ? bCols : bRows) !== k || !ownGemmTakes(m, k, n, transposeA, transposeB))
    return undefined;
  const rank = Math.max(a.shape.length, b.shape.length);
  const out = backend.makeOutput([...new Array<number>(rank - 2).fill(1), m, n], 'float32');
  const product = { m, n, k, a: 0, b: 0, c: 0, transposeA, transposeB };
  const scratch = backend.makeOutput([gemmScratchBytes(product) / 4], 'float32');
  try {
    // Offsets are read after the allocations, which may have grown (moved) the heap.
    const offset = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId).memoryOffset;
    const done = gemmOnHeap(
      memory,
      'plain',
      { ...product, a: offset(a), b: offset(b), c: offset(out) },
      offset(scratch),
    );
    if (done) return out;
    args.backend.disposeData(out.dataId);
    return undefined;
  } finally {
    args.backend.disposeData(scratch.dataId);
  }
}
