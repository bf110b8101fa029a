import * as tf from '@tensorflow/tfjs';
import { overrideKernel } from './override.js';

/**
 * The wasm backend's matrix products run about 10-20x slower with `transposeA` or `transposeB`
 * than without (XNNPACK's fast path wants plain row-major operands), and backpropagation through
 * a dense layer asks for exactly those: dW = xᵀ·dy and dx = dy·Wᵀ. Transposing the operand
 * explicitly first costs one pass over it and lets the product take the fast path.
 */
export const MATMUL_KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;

interface MatMulArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}

function swapLastTwoDims(x: tf.TensorInfo, backend: tf.KernelBackend, transpose: tf.KernelFunc): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = x.shape.map((_, i) => i);
  perm[rank - 1] = rank - 2;
  perm[rank - 2] = rank - 1;
  return transpose({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
}

/** Wraps a matMul kernel so that it never runs with a transpose flag set. */
export function withExplicitTransposes(original: tf.KernelFunc, transpose: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs = {} } = args as MatMulArgs;
    const { transposeA, transposeB } = attrs as { transposeA?: boolean; transposeB?: boolean };
    if (!transposeA && !transposeB) return original(args);
    const temporaries: tf.TensorInfo[] = [];
    const operand = (t: tf.TensorInfo | undefined, flip: boolean | undefined): tf.TensorInfo => {
      if (!t) throw new Error('matMul kernel called without both operands');
      if (!flip) return t;
      const flipped = swapLastTwoDims(t, backend, transpose);
      temporaries.push(flipped);
      return flipped;
    };
    try {
      return original({
        inputs: { ...inputs, a: operand(inputs.a, transposeA), b: operand(inputs.b, transposeB) },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
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
    overrideKernel(name, backendName, (original) => withExplicitTransposes(original.kernelFunc, transpose)),
  );
}
