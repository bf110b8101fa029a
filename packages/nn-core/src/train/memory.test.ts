import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC } from '../model/spec.js';
import { checkTrainingMemory, estimateTrainingMemory } from './memory.js';
import { RunRequestError } from './run-dir.js';

const plenty = 64 * 1024 ** 3;

/** Whether a hidden layer of `width` may start training on the wasm backend (batch 128, Adam). */
function wasmAccepts(width: number): boolean {
  const estimate = estimateTrainingMemory(
    { ...DEFAULT_SPEC, hidden: [width] },
    { batchSize: 128, optimizer: 'adam', keepBest: false },
  );
  try {
    checkTrainingMemory(estimate, 'wasm', plenty);
    return true;
  } catch (error) {
    if (!(error instanceof RunRequestError)) throw error;
    return false;
  }
}

describe('checkTrainingMemory on wasm', () => {
  it('refuses a width measured to run out of the 4 GiB heap, with margin below it', () => {
    // Measured: --hidden 66000 ran out of wasm memory during training; its estimate was 3.99 GiB.
    expect(wasmAccepts(66000)).toBe(false);
    expect(wasmAccepts(64000)).toBe(false);
    // Measured: --hidden 58000 (2,000 images, 1 epoch) trained to the end on wasm.
    expect(wasmAccepts(58000)).toBe(true);
    expect(() =>
      checkTrainingMemory(
        estimateTrainingMemory(
          { ...DEFAULT_SPEC, hidden: [66000] },
          { batchSize: 128, optimizer: 'adam', keepBest: false },
        ),
        'wasm',
        plenty,
      ),
    ).toThrow(
      /needs about 3\.99 GiB of tensor memory to train, more than the 3\.60 GiB the wasm backend's 4\.0 GiB heap can hold for it/,
    );
  });
});
