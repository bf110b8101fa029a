import * as tf from '../../tfjs.js';
import { ownGemmBatchMatMul } from './matmul-gemm.js';
import { overrideKernel } from './override.js';

/**
 * The wasm backend's matrix products run 10-20x slower with `transposeA` or `transposeB` than
 * without (only the plain product takes XNNPACK's fast path), and backpropagation through a dense
 * layer asks for exactly those: dW = xᵀ·dy and dx = dy·Wᵀ. So the override never passes a flag
 * on: it transposes explicitly (with the SIMD Transpose override) and multiplies plainly, in the
 * cheaper of two equivalent forms:
 *
 * - transpose the flagged operands, then op(A)·op(B);
 * - or compute the transposed product and transpose the result: op(A)·op(B) = (op(B)ᵀ·op(A)ᵀ)ᵀ,
 *   where a flagged operand needs no transpose at all. For dx = dy·Wᵀ that means transposing
 *   dy (batch x units) and the result (batch x inputs) instead of the whole weight matrix.
 *
 * The cost of a form counts the elements it transposes plus the elements of the operand XNNPACK
 * packs: the plain product repacks its second operand (transposing it into panels) whenever that
 * is a tensor it has not seen, which in training is every step's new weights. Packing costs
 * ~{@link PACK_COST}x a SIMD transpose per element, so even an unflagged x·W with large fresh
 * weights runs faster as (Wᵀ·xᵀ)ᵀ: the weights become the first operand, which XNNPACK reads in
 * place, and only the small xᵀ is packed. A second operand already seen in a plain product (the
 * fixed weights of inference) is packed once and cached by the backend, so it stays plain.
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
 * What packing one element of the second operand costs, in units of transposing one element.
 * Measured on the seed MLP's shapes (1 thread): packing 14-25 ns per element, the SIMD transpose
 * ~2.1 ns.
 */
export const PACK_COST = 8;

/**
 * Cost of each form (elements transposed + PACK_COST x elements packed). Exported for tests: the
 * choice changes speed only, never the result.
 */
export function formCosts(
  a: readonly number[],
  b: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
) {
  const { m, n, batch } = productDims(a, b, transposeA, transposeB);
  return {
    operands: (transposeA ? size(a) : 0) + (transposeB ? size(b) : 0) + PACK_COST * size(b),
    result:
      (transposeA ? 0 : size(a)) + (transposeB ? 0 : size(b)) + batch * m * n + PACK_COST * size(a),
  };
}

/** Wraps a matMul kernel so that it never runs with a transpose flag set. */
export function withExplicitTransposes(
  original: tf.KernelFunc,
  transpose: tf.KernelFunc,
  { mayTransposeResult }: { mayTransposeResult: boolean },
): tf.KernelFunc {
  // Second operands of earlier plain products: the backend holds their packed copy while they live.
  const seenAsPlainB = new WeakSet<object>();
  return (args) => {
    const { inputs, backend, attrs = {} } = args as MatMulArgs;
    const transposeA = Boolean(attrs.transposeA);
    const transposeB = Boolean(attrs.transposeB);
    const { a, b } = inputs;
    if (!a || !b) throw new Error('matMul kernel called without both operands');
    const plainProduct = !transposeA && !transposeB;
    if (plainProduct && seenAsPlainB.has(b.dataId)) return original(args);
    const costs = formCosts(a.shape, b.shape, transposeA, transposeB);
    const operandForm = !mayTransposeResult || costs.operands <= costs.result;
    if (plainProduct) {
      seenAsPlainB.add(b.dataId);
      if (operandForm) return original(args);
    }
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
      if (operandForm) {
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
  if (!tf.getKernel('Transpose', backendName)) return [];
  // Looked up per call, so that a Transpose override installed later (the SIMD one) is used.
  const transpose: tf.KernelFunc = (args) =>
    (tf.getKernel('Transpose', backendName) as tf.KernelConfig).kernelFunc(args);
  return MATMUL_KERNELS.filter((name) =>
    overrideKernel(name, backendName, (original) => {
      // The fused kernel adds a bias along the last axis and may apply an activation with
      // weights: transposing its result would misplace both, so it keeps the operand form.
      const viaXnnpack = withExplicitTransposes(original.kernelFunc, transpose, {
        mayTransposeResult: name === 'BatchMatMul',
      });
      if (name !== 'BatchMatMul') return viaXnnpack;
      return (args) =>
        ownGemmBatchMatMul(args as Parameters<typeof ownGemmBatchMatMul>[0]) ?? viaXnnpack(args);
    }),
  );
}
