import { join } from 'node:path';
import { writeNormalised } from '../data/augment.js';
import { IMAGE_SIZE, type ImageSet, loadCifar10 } from '../data/cifar10.js';
import { type ChannelStats, normalisationTable } from '../data/stats.js';
import { loadModel } from '../model/io.js';
import { type ModelSpec, validateSpec } from '../model/spec.js';
import * as tf from '../tfjs.js';
import { evalSource, MODEL_DIR } from '../train/run.js';
import { type Evaluation, evaluate } from './evaluate.js';

/** A model saved by `labkit train`, with what is needed to feed it raw images. */
export interface TrainedModel {
  model: tf.LayersModel;
  spec: ModelSpec;
  stats: ChannelStats;
  classes: readonly string[];
}

/** Loads `<runDir>/model` and the spec, normalisation and class names stored in its metadata. */
export async function loadTrainedModel(modelDir: string): Promise<TrainedModel> {
  const { model, metadata } = await loadModel(modelDir);
  const labkit = metadata.labkit as
    | { spec?: unknown; stats?: ChannelStats; classes?: string[] }
    | undefined;
  if (!labkit?.stats || !labkit.classes) {
    throw new Error(
      `${modelDir}/model.json has no labkit metadata (normalisation stats, class names): was it saved by labkit train?`,
    );
  }
  return {
    model,
    spec: validateSpec(labkit.spec, `${modelDir}/model.json`),
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

/** Evaluates a trained run's model on a CIFAR-10 split. */
export async function evaluateRun(
  runDir: string,
  options: { dataDir: string; split: 'train' | 'test'; limit?: number; fullFiles?: boolean },
): Promise<{ evaluation: Evaluation; classes: readonly string[] }> {
  const trained = await loadTrainedModel(join(runDir, MODEL_DIR));
  const set = await loadCifar10(options.dataDir, options.split, {
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    fullFiles: options.fullFiles ?? false,
  });
  const evaluation = evaluate(trained.model, evalSource(set, trained.stats), trained.spec.classes);
  return { evaluation, classes: trained.classes };
}
