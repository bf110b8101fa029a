import type * as tf from '../../tfjs.js';
import { type WasmBackend, wasmMemoryOf } from '../float-store.js';
import { gemmOnHeap, gemmScratchBytes } from '../gemm/gemm.js';

/**
 * Smallest M and N (rows and columns of the product) handed to labkit's own GEMM kernel. Measured
 * with bench/train/gemm.mjs (1 thread, fresh operands as in training, 3 runs of 7 rounds on a
 * loaded 2-core machine, so indicative): against XNNPACK behind the explicit-transpose override,
 * forward x·W 1.34-1.76x (layer 1) and 1.31-1.36x (layer 2), dW 1.25-1.31x and 1.18-1.20x,
 * dX 1.07-1.13x (layer 2) and 3.3-4.1x (layer 3, K = 10); the two products with N = 10 did not
 * win clearly (0.77-1.44x), so they stay with XNNPACK.
 */
export const OWN_GEMM_MIN_SIDE = 128;

interface MatMulArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}

const batchOf = (shape: readonly number[]) => shape.slice(0, -2).reduce((a, b) => a * b, 1);

/**
 * BatchMatMul by the plain-SIMD twin of `gemm/` (fast path or undefined): float32, one matrix
 * per operand, both sides of the product >= {@link OWN_GEMM_MIN_SIDE}, and only on the
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
  if (!memory || memory.buffer instanceof SharedArrayBuffer) return undefined;
  const transposeA = Boolean(attrs.transposeA);
  const transposeB = Boolean(attrs.transposeB);
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  if (Math.min(m, n) < OWN_GEMM_MIN_SIDE || (transposeB ? bCols : bRows) !== k) return undefined;
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
