import type { BackendName } from './names.js';

/** The backend that runs and how it was chosen (plain data, no TF.js: run records hold it). */
export interface BackendInfo {
  name: BackendName;
  /** Why a faster backend was not used, e.g. tfjs-node's load error. */
  fallbackReason?: string;
  /** wasm only: threads of its XNNPACK pool (fixed once the backend has initialised). */
  threads?: number;
  /** wasm only: kernels replaced by labkit's faster versions. */
  kernelOverrides?: string[];
  /** wasm only: where the thread count came from (the option, LABKIT_WASM_THREADS, or the probe). */
  threadChoice?: string;
}
