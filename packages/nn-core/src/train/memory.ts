import { totalmem } from 'node:os';
import { IMAGE_SIZE, RECORDS_PER_FILE } from '../data/cifar10-format.js';
import { countParameters, type ModelSpec } from '../model/spec.js';
import { RunRequestError } from './run-dir.js';

/** The wasm backend's heap cannot grow past 4 GiB (32-bit addresses). */
export const WASM_MAX_BYTES = 4 * 1024 ** 3;

/**
 * The part of the wasm heap the estimate may fill. The heap also holds the module, small tensors
 * and the gaps its allocator cannot reuse for parameter-sized blocks: measured (2,000 images,
 * batch 128, Adam) a hidden layer of 62,000 trained while 66,000 (estimated 3.99 GiB) ran out of
 * memory, so the estimate alone, compared with 4 GiB, let a failing run start.
 */
export const WASM_USABLE_FRACTION = 0.9;

export interface MemoryEstimate {
  parameters: number;
  /** Tensors on the backend: weights, gradients, optimizer slots, one update's temporaries, activations. */
  tensorBytes: number;
  /** Tensors plus the JavaScript side: images in memory and the checkpoint's copies. */
  totalBytes: number;
}

/**
 * A deliberately simple upper-end estimate of what training `spec` needs, in bytes, so that a run
 * that cannot fit is refused before anything is allocated. Per parameter (4 bytes each): weights,
 * gradient, update temporaries, the optimizer's slots (Adam 2, SGD with momentum 1), the best
 * weights with early stopping; the checkpoint copies weights and slots twice in JavaScript.
 * Activations: batch x (input + every layer width) x 6 (pre-activation, batch norm, activation,
 * dropout mask and their gradients).
 */
export function estimateTrainingMemory(
  spec: ModelSpec,
  options: { batchSize: number; optimizer: 'adam' | 'sgd'; keepBest: boolean; images?: number },
): MemoryEstimate {
  const parameters = countParameters(spec);
  const slots = options.optimizer === 'adam' ? 2 : 1;
  const perParameter = 3 + slots + (options.keepBest ? 1 : 0);
  const widths =
    spec.inputSize +
    spec.classes +
    spec.hidden.reduce((a, b) => a + b, 0) +
    (spec.bottleneck ?? []).reduce((a, b) => a + b, 0);
  const tensorBytes = 4 * (parameters * perParameter + options.batchSize * widths * 6);
  const checkpointBytes = 4 * parameters * 2 * (1 + slots + (options.keepBest ? 1 : 0));
  const images = options.images ?? 6 * RECORDS_PER_FILE;
  return {
    parameters,
    tensorBytes,
    totalBytes: tensorBytes + checkpointBytes + images * IMAGE_SIZE,
  };
}

const gb = (bytes: number, digits = 1) => `${(bytes / 1024 ** 3).toFixed(digits)} GiB`;

/**
 * Refuses (with {@link RunRequestError}) a run whose estimate exceeds the wasm heap on the wasm
 * backend, or this machine's memory on any backend.
 */
export function checkTrainingMemory(
  estimate: MemoryEstimate,
  backend: string,
  machineBytes = totalmem(),
): void {
  const what = `the model (${estimate.parameters.toLocaleString('en-US')} parameters) needs about`;
  const advice = 'use fewer or narrower --hidden layers, a --bottleneck, or a smaller --batch-size';
  const wasmUsable = WASM_MAX_BYTES * WASM_USABLE_FRACTION;
  // Two decimals: an estimate just over the usable part must not read as equal to it.
  if (backend === 'wasm' && estimate.tensorBytes > wasmUsable) {
    throw new RunRequestError(
      `${what} ${gb(estimate.tensorBytes, 2)} of tensor memory to train, more than the ${gb(wasmUsable, 2)} the wasm backend's ${gb(WASM_MAX_BYTES)} heap can hold for it; ${advice}`,
    );
  }
  if (estimate.totalBytes > machineBytes) {
    throw new RunRequestError(
      `${what} ${gb(estimate.totalBytes)} to train, more than this machine's ${gb(machineBytes)}; ${advice}`,
    );
  }
}

/** Training ran out of the backend's memory although the estimate let it start (a failure in the work). */
export class TrainingMemoryError extends Error {
  override name = 'TrainingMemoryError';
}

/**
 * Whether `error` is the wasm backend (or V8) running out of memory: the wasm heap cannot grow
 * ("memory access out of bounds" from a failed allocation, "Out of memory") or an ArrayBuffer
 * cannot be allocated.
 */
export function isOutOfMemory(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return /memory access out of bounds|out of memory|array buffer allocation failed|could not allocate memory/i.test(
    error.message,
  );
}

/** The out-of-memory `error` in plain words: the model's size and what to make smaller. */
export function describeOutOfMemory(
  error: unknown,
  estimate: MemoryEstimate,
  backend: string,
  batchSize: number,
): TrainingMemoryError {
  return new TrainingMemoryError(
    `training ran out of memory on the ${backend} backend (${(error as Error).message}): the model has ` +
      `${estimate.parameters.toLocaleString('en-US')} parameters and was estimated to need about ${gb(estimate.tensorBytes)} of tensor memory ` +
      `with --batch-size ${batchSize}; use a smaller --hidden (or fewer layers, a --bottleneck) or a smaller --batch-size`,
  );
}
