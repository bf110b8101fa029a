import { buildModel, forwardLogits } from '../model/build.js';
import { DEFAULT_SPEC, type ModelSpec } from '../model/spec.js';
import * as tf from '../tfjs.js';
import { createOptimizer } from '../train/optimizer.js';
import { trainStep } from '../train/step.js';

export interface TrainBenchOptions {
  /** Timed training batches (after warm-up). */
  batches: number;
  batchSize: number;
  /** Untimed batches first: kernel setup, weight packing and JIT warm-up. */
  warmupBatches: number;
  spec?: ModelSpec;
  /** Called after every batch, warm-up included, for progress output. */
  onBatch?: (phase: 'warmup' | 'train' | 'inference', done: number, total: number) => void;
}

export interface TimingSummary {
  /** Samples per second over all timed batches (total samples / total time). */
  samplesPerSec: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export interface TrainBenchResult {
  batchSize: number;
  batches: number;
  warmupBatches: number;
  /** Training: forward in training mode, loss, gradients, Adam update, loss read back. */
  train: TimingSummary;
  /** Inference: forward in inference mode, logits read back. */
  inference: TimingSummary;
}

/** Samples/s and per-batch spread from per-batch wall times in milliseconds. */
export function summarise(batchMs: readonly number[], batchSize: number): TimingSummary {
  if (batchMs.length === 0) throw new Error('no timed batches');
  const sorted = [...batchMs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs =
    sorted.length % 2
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const totalMs = batchMs.reduce((a, b) => a + b, 0);
  return {
    samplesPerSec: (batchMs.length * batchSize * 1000) / totalMs,
    medianMs,
    minMs: sorted[0] as number,
    maxMs: sorted[sorted.length - 1] as number,
  };
}

/** CIFAR-shaped random batches (pixels scaled like normalised images, labels 0-9), a few to cycle. */
function randomBatches(
  count: number,
  batchSize: number,
  spec: ModelSpec,
): { x: tf.Tensor2D; y: tf.Tensor1D }[] {
  return Array.from({ length: count }, (_, i) => ({
    x: tf.randomNormal([batchSize, spec.inputSize], 0, 1, 'float32', 1000 + i) as tf.Tensor2D,
    y: tf.randomUniform([batchSize], 0, spec.classes, 'int32', 2000 + i) as tf.Tensor1D,
  }));
}

/**
 * Times the seed MLP (by default `DEFAULT_SPEC`, trained with Adam at a learning rate of 1e-3) on
 * the current TF.js backend with the training loop's own `trainStep`, warm-up excluded, each batch
 * synchronised by reading its loss back, then times inference on the same batches.
 */
export async function benchTrain(options: TrainBenchOptions): Promise<TrainBenchResult> {
  const spec = options.spec ?? DEFAULT_SPEC;
  const { batchSize, batches, warmupBatches, onBatch } = options;
  const model = buildModel(spec, 1);
  const optimizer = createOptimizer({ kind: 'adam', lr: 1e-3 });
  const data = randomBatches(Math.min(4, Math.max(1, batches)), batchSize, spec);
  const stepOptions = { l2: spec.l2, classes: spec.classes };
  try {
    const trainMs: number[] = [];
    for (let i = 0; i < warmupBatches + batches; i++) {
      const { x, y } = data[i % data.length] as (typeof data)[number];
      const start = performance.now();
      const { loss, correct } = trainStep(model, optimizer, x, y, {
        ...stepOptions,
        dropoutSeed: i,
      });
      await loss.data();
      const ms = performance.now() - start;
      tf.dispose([loss, correct]);
      if (i >= warmupBatches) trainMs.push(ms);
      onBatch?.(
        i < warmupBatches ? 'warmup' : 'train',
        i < warmupBatches ? i + 1 : i + 1 - warmupBatches,
        i < warmupBatches ? warmupBatches : batches,
      );
    }
    const inferenceMs: number[] = [];
    for (let i = 0; i < warmupBatches + batches; i++) {
      const { x } = data[i % data.length] as (typeof data)[number];
      const start = performance.now();
      const logits = tf.tidy(() => forwardLogits(model, x, { training: false }));
      await logits.data();
      const ms = performance.now() - start;
      logits.dispose();
      if (i >= warmupBatches) {
        inferenceMs.push(ms);
        onBatch?.('inference', i + 1 - warmupBatches, batches);
      }
    }
    return {
      batchSize,
      batches,
      warmupBatches,
      train: summarise(trainMs, batchSize),
      inference: summarise(inferenceMs, batchSize),
    };
  } finally {
    tf.dispose(data.flatMap((d) => [d.x, d.y]));
    optimizer.dispose();
    model.dispose();
  }
}
