import { forwardLogits } from '../model/build.js';
import * as tf from '../tfjs.js';
import type { BatchSource } from '../train/source.js';

export interface Evaluation {
  count: number;
  /** Mean softmax cross-entropy. */
  loss: number;
  accuracy: number;
  /** `confusion[true][predicted]` counts. */
  confusion: number[][];
  /** Accuracy of each true class (NaN for a class with no samples). */
  perClass: number[];
}

/** How long a yielding evaluation runs batches back to back before it lets the event loop in. */
const YIELD_EVERY_MS = 50;

/** Scores one pass of `source`, pausing (a `yield`) after every batch; returns the evaluation. */
function* scorePass(
  model: tf.LayersModel,
  source: BatchSource,
  classes: number,
): Generator<void, Evaluation> {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let lossSum = 0;
  let count = 0;
  for (const batch of source.batches(0)) {
    const width = batch.x.length / batch.size;
    const [losses, predicted] = tf.tidy(() => {
      const x = tf.tensor2d(batch.x, [batch.size, width]);
      const y = tf.tensor1d(batch.y, 'int32');
      const logits = forwardLogits(model, x, { training: false });
      const perSample = tf.losses.softmaxCrossEntropy(
        tf.oneHot(y, classes),
        logits,
        undefined,
        undefined,
        tf.Reduction.NONE,
      );
      return [perSample.dataSync(), tf.argMax(logits, 1).dataSync()];
    });
    for (let i = 0; i < batch.size; i++) {
      lossSum += losses[i] as number;
      const row = confusion[batch.y[i] as number];
      if (!row) throw new Error(`label ${batch.y[i]} is outside 0..${classes - 1}`);
      row[predicted[i] as number] = (row[predicted[i] as number] as number) + 1;
    }
    count += batch.size;
    yield;
  }
  const correct = confusion.reduce((sum, row, i) => sum + (row[i] as number), 0);
  const perClass = confusion.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? Number.NaN : (row[i] as number) / total;
  });
  return {
    count,
    loss: count ? lossSum / count : Number.NaN,
    accuracy: count ? correct / count : Number.NaN,
    confusion,
    perClass,
  };
}

/** Runs the model in inference mode over one pass of `source` and scores it. */
export function evaluate(model: tf.LayersModel, source: BatchSource, classes: number): Evaluation {
  const pass = scorePass(model, source, classes);
  for (;;) {
    const step = pass.next();
    if (step.done) return step.value;
  }
}

/**
 * {@link evaluate} for long passes in a process that must stay responsive: it returns to the
 * event loop every 50 ms, so a Ctrl-C handler runs within a batch instead of after the pass.
 */
export async function evaluateYielding(
  model: tf.LayersModel,
  source: BatchSource,
  classes: number,
): Promise<Evaluation> {
  const pass = scorePass(model, source, classes);
  let lastTurn = performance.now();
  for (;;) {
    const step = pass.next();
    if (step.done) return step.value;
    if (performance.now() - lastTurn > YIELD_EVERY_MS) {
      await new Promise((done) => setImmediate(done));
      lastTurn = performance.now();
    }
  }
}
