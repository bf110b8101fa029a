import type * as tf from '../../tfjs.js';
import { overrideKernel } from './override.js';

interface SharingBackend {
  incRef(dataId: tf.DataId): void;
}

/**
 * Identity (what `tf.clone` and every gradient's saved inputs run) without the copy. The wasm
 * backend copies the whole tensor, 12 MB for the first layer's weights on every training step;
 * TF.js tensors are immutable and the backend counts references per data id (its Reshape shares
 * data the same way), so sharing is as safe as copying. Strings keep the original kernel.
 */
export function sharingIdentity(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend } = args as { inputs: { x: tf.TensorInfo }; backend: unknown };
    const { x } = inputs;
    if (x.dtype === 'string') return original(args);
    (backend as SharingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

export function installIdentityOverride(backendName: string): string[] {
  return overrideKernel('Identity', backendName, (original) => sharingIdentity(original.kernelFunc))
    ? ['Identity']
    : [];
}
