import { expect } from 'vitest';
import { buildModel } from '../../model/build.js';
import { type ModelSpec, validateSpec } from '../../model/spec.js';
import * as tf from '../../tfjs.js';
import { createOptimizer } from '../../train/optimizer.js';
import { trainStep } from '../../train/step.js';
import { initBackend } from '../startup/select.js';
import { randomValues } from '../wasm-kernels/test-utils/against-cpu.js';

// A small version of the seed model (batch norm, ReLU, dropout, Adam) whose layer widths are odd
// on purpose, so the matMul and Tile overrides meet shapes that are not multiples of 4 or 8.
export const spec: ModelSpec = validateSpec({
  inputSize: 45,
  classes: 7,
  hidden: [33, 19],
  batchNorm: 'before',
  dropout: 0.3,
  l2: 0,
});
const BATCH = 24;
export const STEPS = 40;

/** Fixed learnable data: labels are the argmax of a fixed random projection of the inputs. */
function dataset() {
  const x = randomValues(BATCH * 4 * spec.inputSize, 31);
  const w = randomValues(spec.inputSize * spec.classes, 32);
  const y = new Int32Array(BATCH * 4);
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < spec.classes; c++) {
      let s = 0;
      for (let d = 0; d < spec.inputSize; d++)
        s += (x[i * spec.inputSize + d] as number) * (w[d * spec.classes + c] as number);
      if (s > bestScore) [best, bestScore] = [c, s];
    }
    y[i] = best;
  }
  return { x, y };
}

/** Trains STEPS Adam steps from the same seed on one backend and returns the loss of every step. */
export async function lossTrajectory(backend: 'cpu' | 'wasm', threads = 1): Promise<number[]> {
  await initBackend(backend, { threads });
  const { x, y } = dataset();
  const model = buildModel(spec, 7);
  const optimizer = createOptimizer({ kind: 'adam', lr: 1e-2 });
  const losses: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    const part = step % 4;
    const xb = tf.tensor2d(
      x.subarray(part * BATCH * spec.inputSize, (part + 1) * BATCH * spec.inputSize),
      [BATCH, spec.inputSize],
    );
    const yb = tf.tensor1d(y.subarray(part * BATCH, (part + 1) * BATCH), 'int32');
    const { loss, correct } = trainStep(model, optimizer, xb, yb, {
      l2: 0,
      classes: spec.classes,
      dropoutSeed: step,
    });
    losses.push((await loss.data())[0] as number);
    tf.dispose([xb, yb, loss, correct]);
  }
  optimizer.dispose();
  model.dispose();
  return losses;
}

/** Asserts that a wasm run stays on the cpu run's path: float32 rounding differs, nothing else. */
export function expectSameTrajectory(wasm: number[], cpu: number[]): void {
  // It learns (so the comparison is not between two flat lines)...
  expect(cpu[STEPS - 1] as number).toBeLessThan((cpu[0] as number) * 0.6);
  wasm.forEach((loss, i) => {
    expect(
      Math.abs(loss - (cpu[i] as number)) / (cpu[i] as number),
      `step ${i}: wasm ${loss} vs cpu ${cpu[i]}`,
    ).toBeLessThan(1e-4);
  });
}
