import * as tf from '../../tfjs.js';

/**
 * Direct access to the float32 storage of tensors on backends that keep it in JavaScript-visible
 * memory: the wasm backend (its heap) and the cpu backend (typed arrays). Lets an optimizer update
 * many elements in one JavaScript pass instead of a dozen kernel launches and temporaries.
 */
export interface FloatStore {
  /** A writable view of a float32 tensor's storage. Invalid after the next allocation (wasm heap growth). */
  view(tensor: tf.Tensor): Float32Array;
  /** A new float32 tensor whose contents the caller fills through {@link view}. */
  allocate(shape: number[]): tf.Tensor;
  /** How many tensors share this tensor's storage (writing in place is safe only at 1). */
  sharers(tensor: tf.Tensor): number;
  /** wasm only: the heap's memory and a tensor's byte offset in it, for WebAssembly kernels. */
  heap?: { memory: WebAssembly.Memory; offset(tensor: tf.Tensor): number };
}

/** The parts of TF.js's wasm backend (not in its public types) that labkit's kernels use. */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  refCount(dataId: object): number;
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  wasm: { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
}

/** The wasm backend's heap memory: exported by the single-threaded build, created in JavaScript by the threaded one. */
export function wasmMemoryOf(backend: WasmBackend): WebAssembly.Memory | undefined {
  return backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
}

interface CpuBackend {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: Float32Array): tf.TensorInfo;
  refCount(dataId: object): number;
}

function wasmStore(backend: WasmBackend): FloatStore {
  const memory = wasmMemoryOf(backend);
  return {
    ...(memory
      ? { heap: { memory, offset: (t: tf.Tensor) => backend.dataIdMap.get(t.dataId).memoryOffset } }
      : {}),
    view: (t) => backend.typedArrayFromHeap(t) as Float32Array,
    allocate: (shape) =>
      tf.engine().makeTensorFromTensorInfo(backend.makeOutput(shape, 'float32'), backend as never),
    sharers: (t) => backend.refCount(t.dataId),
  };
}

function cpuStore(backend: CpuBackend): FloatStore {
  return {
    view: (t) => {
      const values = backend.data.get(t.dataId).values;
      if (!(values instanceof Float32Array)) throw new Error('cpu tensor has no float32 values');
      return values;
    },
    allocate: (shape) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const info = backend.makeTensorInfo(shape, 'float32', new Float32Array(size));
      return tf.engine().makeTensorFromTensorInfo(info, backend as never);
    },
    sharers: (t) => backend.refCount(t.dataId),
  };
}

/** The current backend's float store, or undefined when its memory is not reachable (tfjs-node, webgl). */
export function currentFloatStore(): FloatStore | undefined {
  const name = tf.getBackend();
  const backend = tf.backend() as unknown;
  if (name === 'wasm') return wasmStore(backend as WasmBackend);
  if (name === 'cpu') return cpuStore(backend as CpuBackend);
  return undefined;
}
