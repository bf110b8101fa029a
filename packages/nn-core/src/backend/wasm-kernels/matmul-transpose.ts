import * as tf from '@tensorflow/tfjs';
import { overrideKernel } from './override.js';

/**
 * The wasm backend's matrix products run 10-20x slower with `transposeA` or `transposeB` than
 * without (only the plain product takes XNNPACK's fast path), and backpropagation through a dense
 * layer asks for exactly those: dW = xᵀ·dy and dx = dy·Wᵀ. So the override never passes a flag
 * on: it transposes explicitly and multiplies plainly, choosing the cheaper of two equivalent
 * forms by the number of elements it must transpose:
 *
 * - transpose the flagged operands, then op(A)·op(B);
 * - or compute the transposed product and transpose the result: op(A)·op(B) = (op(B)ᵀ·op(A)ᵀ)ᵀ,
 *   where a flagged operand needs no transpose at all. For dx = dy·Wᵀ that means transposing
 *   dy (batch x units) and the result (batch x inputs) instead of the whole weight matrix.
 *
 * (The wasm Transpose kernel moves about 50 M elements/s, so a 3072x1024 weight matrix costs more
 * to transpose than to multiply.)
 */
export const MATMUL_KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;

interface MatMulArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Rows and columns of op(A)·op(B) and the batch size of the broadcast result. */
function productDims(
  a: readonly number[],
  b: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
) {
  const m = (transposeA ? a.at(-1) : a.at(-2)) ?? 1;
  const n = (transposeB ? b.at(-2) : b.at(-1)) ?? 1;
  const batch = Math.max(size(a.slice(0, -2)), size(b.slice(0, -2)));
  return { m, n, batch };
}

/**
 * Elements the override transposes for each form. Exported for tests: the choice changes speed
 * only, never the result.
 */
export function transposeCosts(
  a: readonly number[],
  b: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
) {
  const { m, n, batch } = productDims(a, b, transposeA, transposeB);
  return {
    operands: (transposeA ? size(a) : 0) + (transposeB ? size(b) : 0),
    result: (transposeA ? 0 : size(a)) + (transposeB ? 0 : size(b)) + batch * m * n,
  };
}

/** Wraps a matMul kernel so that it never runs with a transpose flag set. */
export function withExplicitTransposes(
  original: tf.KernelFunc,
  transpose: tf.KernelFunc,
  { mayTransposeResult }: { mayTransposeResult: boolean },
): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs = {} } = args as MatMulArgs;
    const transposeA = Boolean(attrs.transposeA);
    const transposeB = Boolean(attrs.transposeB);
    if (!transposeA && !transposeB) return original(args);
    const { a, b } = inputs;
    if (!a || !b) throw new Error('matMul kernel called without both operands');
    const temporaries: tf.TensorInfo[] = [];
    const swapLastTwo = (t: tf.TensorInfo): tf.TensorInfo => {
      const perm = t.shape.map((_, i) => i);
      const rank = t.shape.length;
      perm[rank - 1] = rank - 2;
      perm[rank - 2] = rank - 1;
      const out = transpose({ inputs: { x: t }, backend, attrs: { perm } }) as tf.TensorInfo;
      temporaries.push(out);
      return out;
    };
    const plain = { ...attrs, transposeA: false, transposeB: false };
    try {
      const costs = transposeCosts(a.shape, b.shape, transposeA, transposeB);
      if (!mayTransposeResult || costs.operands <= costs.result) {
        const opA = transposeA ? swapLastTwo(a) : a;
        const opB = transposeB ? swapLastTwo(b) : b;
        return original({ inputs: { ...inputs, a: opA, b: opB }, backend, attrs: plain });
      }
      // op(B)ᵀ is B itself when B was flagged, else Bᵀ; likewise for A.
      const left = transposeB ? b : swapLastTwo(b);
      const right = transposeA ? a : swapLastTwo(a);
      const transposedProduct = original({
        inputs: { a: left, b: right },
        backend,
        attrs: plain,
      }) as tf.TensorInfo;
      temporaries.push(transposedProduct);
      const result = swapLastTwo(transposedProduct);
      temporaries.pop();
      return result;
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}

/** Installs the explicit-transpose matMul kernels on a backend; returns the kernels it replaced. */
export function installMatMulOverrides(backendName: string): string[] {
  const transpose = tf.getKernel('Transpose', backendName)?.kernelFunc;
  if (!transpose) return [];
  return MATMUL_KERNELS.filter((name) =>
    overrideKernel(name, backendName, (original) =>
      // The fused kernel adds a bias along the last axis and may apply an activation with
      // weights: transposing its result would misplace both, so it keeps the operand form.
      withExplicitTransposes(original.kernelFunc, transpose, {
        mayTransposeResult: name === 'BatchMatMul',
      }),
    ),
  );
}
