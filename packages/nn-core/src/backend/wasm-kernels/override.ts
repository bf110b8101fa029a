import * as tf from '../../tfjs.js';

/** Marks a kernel function as labkit's override so that installing twice never wraps twice. */
const OVERRIDE_MARK = Symbol.for('labkit.kernelOverride');

type MarkedKernelFunc = tf.KernelFunc & { [OVERRIDE_MARK]?: true };

/**
 * Replaces a registered kernel of one backend with `make(original)`, keeping the original's setup
 * and dispose functions (the override usually delegates to the original). TF.js's kernel registry
 * is global, so this changes what every `tf` op of that name runs on that backend. Returns false
 * when the kernel does not exist or is already overridden.
 */
export function overrideKernel(
  kernelName: string,
  backendName: string,
  make: (original: tf.KernelConfig) => tf.KernelFunc,
): boolean {
  const original = tf.getKernel(kernelName, backendName);
  if (!original || (original.kernelFunc as MarkedKernelFunc)[OVERRIDE_MARK]) return false;
  const kernelFunc = make(original) as MarkedKernelFunc;
  kernelFunc[OVERRIDE_MARK] = true;
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ ...original, kernelFunc });
  return true;
}

/** True when the registered kernel is one of labkit's overrides. */
export function isOverridden(kernelName: string, backendName: string): boolean {
  const config = tf.getKernel(kernelName, backendName);
  return Boolean(config && (config.kernelFunc as MarkedKernelFunc)[OVERRIDE_MARK]);
}
