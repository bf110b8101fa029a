/**
 * A model saved by `labkit train` and its metadata, and its class probabilities for raw CIFAR-layout
 * images. No file access: `predict.ts` loads run directories in Node, a browser dropped files.
 */
import { writeNormalised } from '../data/augment.js';
import { IMAGE_SIZE, type ImageSet } from '../data/cifar10-format.js';
import { type ChannelStats, normalisationTable } from '../data/stats.js';
import type { LoadedModel } from '../model/model-json.js';
import { type ModelSpec, validateSpec } from '../model/spec.js';
import * as tf from '../tfjs.js';

/** A model saved by `labkit train`, with what is needed to feed it raw images. */
export interface TrainedModel {
  model: tf.LayersModel;
  spec: ModelSpec;
  stats: ChannelStats;
  classes: readonly string[];
}

/**
 * The spec, normalisation and class names `labkit train` stores in a saved model's metadata, with
 * the model. `source` names the model's `model.json` in errors.
 */
export function trainedModel({ model, metadata }: LoadedModel, source: string): TrainedModel {
  const labkit = metadata.labkit as
    | { spec?: unknown; stats?: ChannelStats; classes?: string[] }
    | undefined;
  if (!labkit?.stats || !labkit.classes) {
    throw new Error(
      `${source} has no labkit metadata (normalisation stats, class names): was it saved by labkit train?`,
    );
  }
  return {
    model,
    spec: validateSpec(labkit.spec, source),
    stats: labkit.stats,
    classes: labkit.classes,
  };
}

/** Class probabilities (softmax) for every image of `set`, `count x classes`, in batches. */
export function predictProbabilities(
  trained: TrainedModel,
  set: ImageSet,
  batchSize = 1000,
): Float32Array[] {
  const table = normalisationTable(trained.stats);
  const out: Float32Array[] = [];
  for (let start = 0; start < set.count; start += batchSize) {
    const size = Math.min(batchSize, set.count - start);
    const x = new Float32Array(size * IMAGE_SIZE);
    for (let i = 0; i < size; i++)
      writeNormalised(set.images, (start + i) * IMAGE_SIZE, x, i * IMAGE_SIZE, table);
    const probs = tf.tidy(() =>
      (trained.model.predict(tf.tensor2d(x, [size, IMAGE_SIZE])) as tf.Tensor).dataSync(),
    );
    const classes = trained.spec.classes;
    for (let i = 0; i < size; i++)
      out.push(Float32Array.from(probs.subarray(i * classes, (i + 1) * classes)));
  }
  return out;
}

/** Index of the largest value (the first one on ties). */
export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++)
    if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}
