/**
 * The backend in a browser (page or Web Worker): TF.js's wasm backend with labkit's kernel
 * overrides, as `labkit train` runs in Node, else the pure-JavaScript cpu backend. Single-threaded:
 * the threaded wasm build needs a cross-origin-isolated page (COOP/COEP headers), which a static
 * docs host does not send. WebGL and WebGPU are not offered: labkit's fused kernels (Adam, batch
 * norm, dropout) work on memory JavaScript can reach, so on a GPU backend the loop would run other
 * kernels than `labkit train` does.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '../../tfjs.js';
import { installWasmKernelOverrides, overriddenKernels } from '../wasm-kernels/index.js';
import type { BackendInfo } from './select.js';

/** Where the page serves TF.js's wasm binaries: a URL prefix, or one URL per file name. */
export type WasmBinaries = Parameters<typeof setWasmPaths>[0];

/**
 * Initialises the wasm backend from `binaries` (falling back to cpu, with the reason, when it
 * cannot start) and returns what runs.
 */
export async function initBrowserBackend(binaries: WasmBinaries): Promise<BackendInfo> {
  let fallbackReason: string | undefined;
  try {
    setWasmPaths(binaries);
    installWasmKernelOverrides();
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return { name: 'wasm', threads: 1, kernelOverrides: overriddenKernels('wasm') };
    }
    fallbackReason = 'wasm: failed to initialise';
  } catch (error) {
    fallbackReason = `wasm: ${error instanceof Error ? error.message : String(error)}`;
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { name: 'cpu', fallbackReason };
}
