import { installMatMulOverrides } from './matmul-transpose.js';
import { installTileOverride } from './tile.js';

/**
 * Replaces the wasm backend's slow kernels (measured per kernel on the seed MLP's training step)
 * with faster ones. Idempotent; returns the names of the kernels replaced by this call.
 */
export function installWasmKernelOverrides(): string[] {
  return [...installMatMulOverrides('wasm'), ...installTileOverride('wasm')];
}

export { isOverridden, overrideKernel } from './override.js';
export { tileInto } from './tile.js';
export { withExplicitTransposes } from './matmul-transpose.js';
