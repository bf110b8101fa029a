import type * as tf from '../../tfjs.js';
import { type WasmBackend, wasmMemoryOf } from '../simd/float-store.js';
import { transposeOnHeap } from '../simd/transpose.js';
import { overrideKernel } from './override.js';

/** True for a permutation that keeps the leading axes and swaps the last two. */
export function swapsLastTwo(perm: readonly number[]): boolean {
  const rank = perm.length;
  if (rank < 2 || perm[rank - 1] !== rank - 2 || perm[rank - 2] !== rank - 1) return false;
  return perm.slice(0, -2).every((axis, i) => axis === i);
}

/**
 * `tf.transpose` of the last two axes of a float32 or int32 tensor (matrix transposes, and every
 * transpose the matMul override makes) by the SIMD kernel of `simd/transpose.ts`, one matrix of
 * the batch at a time. Other permutations and dtypes keep the original kernel.
 */
export function simdTranspose(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as {
      inputs: { x: tf.TensorInfo };
      backend: unknown;
      attrs: { perm: number[] };
    };
    const { x } = inputs;
    const heapBackend = backend as WasmBackend;
    const memory = wasmMemoryOf(heapBackend);
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || !memory || !swapsLastTwo(attrs.perm)) {
      return original(args);
    }
    const rank = x.shape.length;
    const rows = x.shape[rank - 2] as number;
    const cols = x.shape[rank - 1] as number;
    const outShape = [...x.shape.slice(0, -2), cols, rows];
    const out = heapBackend.makeOutput(outShape, x.dtype);
    const matrix = rows * cols;
    if (matrix === 0) return out;
    // Offsets are read after makeOutput, which may have grown the heap.
    const src = heapBackend.dataIdMap.get(x.dataId).memoryOffset;
    const dst = heapBackend.dataIdMap.get(out.dataId).memoryOffset;
    const count = x.shape.slice(0, -2).reduce((a, b) => a * b, 1);
    for (let b = 0; b < count; b++) {
      if (!transposeOnHeap(memory, src + 4 * b * matrix, dst + 4 * b * matrix, rows, cols)) {
        (backend as tf.KernelBackend).disposeData(out.dataId);
        return original(args);
      }
    }
    return out;
  };
}

export function installTransposeOverride(backendName: string): string[] {
  return overrideKernel('Transpose', backendName, (original) => simdTranspose(original.kernelFunc))
    ? ['Transpose']
    : [];
}
