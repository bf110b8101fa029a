import { installIdentityOverride } from './identity.js';
import { installMatMulOverrides, MATMUL_KERNELS } from './matmul-transpose.js';
import { isOverridden } from './override.js';
import { installTileOverride } from './tile.js';
import { installTransposeOverride } from './transpose.js';

/**
 * Replaces the wasm backend's slow kernels (measured per kernel on the seed MLP's training step)
 * with faster ones. Idempotent; returns the names of the kernels replaced by this call.
 */
export function installWasmKernelOverrides(): string[] {
  return [
    ...installMatMulOverrides('wasm'),
    ...installTileOverride('wasm'),
    ...installIdentityOverride('wasm'),
    ...installTransposeOverride('wasm'),
  ];
}

/** Names of the kernels of a backend that currently run labkit's overrides. */
export function overriddenKernels(backendName: string): string[] {
  return [...MATMUL_KERNELS, 'Tile', 'Identity', 'Transpose'].filter((name) =>
    isOverridden(name, backendName),
  );
}

export { withExplicitTransposes } from './matmul-transpose.js';
export { isOverridden, overrideKernel } from './override.js';
export { tileInto } from './tile.js';
