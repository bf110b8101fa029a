import { join } from 'node:path';
import { loadCifar10 } from '../data/cifar10.js';
import { loadModel } from '../model/io.js';
import { MODEL_DIR } from '../train/run.js';
import { evalSource } from '../train/source.js';
import { type Evaluation, evaluate } from './evaluate.js';
import { type TrainedModel, trainedModel } from './trained-model.js';

export { type CheckpointModel, loadLastCheckpoint } from './checkpoint-model.js';
export {
  argMax,
  predictProbabilities,
  type TrainedModel,
  trainedModel,
} from './trained-model.js';

/** Loads `<runDir>/model` and the spec, normalisation and class names stored in its metadata. */
export async function loadTrainedModel(modelDir: string): Promise<TrainedModel> {
  return trainedModel(await loadModel(modelDir), `${modelDir}/model.json`);
}

/**
 * Evaluates a trained run's model on a CIFAR-10 split; with `trained`, that model instead (e.g. the
 * run's last checkpoint, {@link loadLastCheckpoint}).
 */
export async function evaluateRun(
  runDir: string,
  options: {
    dataDir: string;
    split: 'train' | 'test';
    limit?: number;
    fullFiles?: boolean;
    trained?: TrainedModel;
  },
): Promise<{ evaluation: Evaluation; classes: readonly string[] }> {
  const trained = options.trained ?? (await loadTrainedModel(join(runDir, MODEL_DIR)));
  const set = await loadCifar10(options.dataDir, options.split, {
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    fullFiles: options.fullFiles ?? false,
  });
  const evaluation = evaluate(trained.model, evalSource(set, trained.stats), trained.spec.classes);
  return { evaluation, classes: trained.classes };
}
