import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackendInfo } from '../backend/select.js';
import type { Augmentation } from '../data/augment.js';
import { CIFAR10_CLASSES, type ImageSet, loadCifar10 } from '../data/cifar10.js';
import { splitValidation } from '../data/split.js';
import { type ChannelStats, channelStats } from '../data/stats.js';
import { type Evaluation, evaluate } from '../eval/evaluate.js';
import { writeFileAtomic } from '../model/atomic.js';
import { buildModel } from '../model/build.js';
import { saveModel } from '../model/io.js';
import { countParameters, type ModelSpec } from '../model/spec.js';
import type * as tf from '../tfjs.js';
import { type EpochMetrics, type FitResult, fit, type TrainCallbacks } from './fit.js';
import { metricsFilesCallback } from './metrics-files.js';
import type { OptimizerSpec } from './optimizer.js';
import { RUN_JSON, readRunRecord } from './run-record.js';
import { type ScheduleName, scheduleByName } from './schedule.js';
import { type BatchSource, imageSetSource } from './source.js';

export { RUN_JSON, readRunRecord } from './run-record.js';
export const CHECKPOINT_FILE = 'checkpoint.ckpt';
export const MODEL_DIR = 'model';
export const EVALUATION_JSON = 'evaluation.json';
/** Validation and test passes use large batches: inference needs no small-batch noise. */
const EVAL_BATCH = 1000;

/** Everything that defines a training run; stored in `run.json` so `--resume` can rebuild it. */
export interface TrainRunConfig {
  spec: ModelSpec;
  optimizer: OptimizerSpec;
  schedule: ScheduleName;
  epochs: number;
  batchSize: number;
  /** Training-set augmentation; `true` in older run records means `crop-flip`. */
  augment: boolean | Augmentation;
  /** Use only the first N training images (before the validation split). */
  trainLimit: number | null;
  /** Fraction of the training images held out, stratified by class. */
  valSplit: number;
  seed: number;
  /** Early-stopping patience in epochs on validation loss (null = off). */
  patience: number | null;
  /** Evaluate on the test split at the end. */
  test: boolean;
}

/** What `run.json` holds. */
export interface RunRecord {
  labkit: 'train-run';
  status: 'running' | 'finished';
  config: TrainRunConfig;
  dataDir: string;
  backend: BackendInfo;
  stats: ChannelStats;
  classes: readonly string[];
  parameters: number;
  trainSamples: number;
  valSamples: number;
  startedAt: string;
  finishedAt?: string;
  /** Data loading and preparation before the first step. */
  setupSeconds: number;
  trainSeconds?: number;
  epochsRun?: number;
  stoppedEarly?: boolean;
  bestEpoch?: number | null;
  finalWeightsEpoch?: number;
  /** Mean training samples/s over all epochs. */
  trainSamplesPerSec?: number;
  /** Fraction of training time spent waiting for batches. */
  dataWaitFraction?: number;
  valAccuracy?: number | null;
  valLoss?: number | null;
  testAccuracy?: number | null;
  testLoss?: number | null;
}

export interface TrainRunOptions {
  /** Required for a new run; a resumed run takes both from its `run.json`. */
  config?: TrainRunConfig;
  dataDir?: string;
  runDir: string;
  backend: BackendInfo;
  /** Continue the run in `runDir` from its checkpoint (the stored config wins). */
  resume?: boolean;
  callbacks?: TrainCallbacks[];
  /** Progress messages (loading, saving); epoch lines come from callbacks. */
  log?: (line: string) => void;
}

export interface TrainRunResult {
  record: RunRecord;
  fit: FitResult;
  test: Evaluation | null;
  model: tf.LayersModel;
}

export interface PreparedData {
  train: ImageSet;
  val: ImageSet | null;
  test: ImageSet | null;
  stats: ChannelStats;
}

/** Loads CIFAR-10, carves the validation split and computes the normalisation from the training part. */
export async function prepareData(dataDir: string, config: TrainRunConfig): Promise<PreparedData> {
  const full = await loadCifar10(
    dataDir,
    'train',
    config.trainLimit === null ? {} : { limit: config.trainLimit },
  );
  const { train, val } =
    config.valSplit > 0
      ? splitValidation(full, config.valSplit, config.seed)
      : { train: full, val: null };
  const test = config.test ? await loadCifar10(dataDir, 'test') : null;
  return { train, val: val && val.count > 0 ? val : null, test, stats: channelStats(train) };
}

/** A source for validation or test passes: fixed order, no augmentation. */
export function evalSource(set: ImageSet, stats: ChannelStats): BatchSource {
  return imageSetSource(set, { batchSize: EVAL_BATCH, shuffle: false, seed: 0, stats });
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * A whole training run in a directory: `run.json` (config, backend, timings, results),
 * `metrics.csv` / `metrics.jsonl`, `checkpoint.ckpt` (every epoch), `model/` (TF.js layers format,
 * the weights of the best epoch when early stopping restored them) and `evaluation.json` (test).
 */
export async function trainRun(options: TrainRunOptions): Promise<TrainRunResult> {
  const { runDir, backend } = options;
  const log = options.log ?? (() => {});
  const setupStart = performance.now();
  let config = options.config;
  let dataDir = options.dataDir;
  let startedAt = new Date().toISOString();
  if (options.resume) {
    const previous = await readRunRecord(runDir);
    config = previous.config;
    dataDir = previous.dataDir;
    startedAt = previous.startedAt;
    if (!existsSync(join(runDir, CHECKPOINT_FILE))) {
      log(`no checkpoint in ${runDir} yet: starting the run from epoch 1`);
    }
  }
  if (!config || !dataDir)
    throw new Error('trainRun needs a config and a data directory for a new run');
  await mkdir(runDir, { recursive: true });
  log(`loading CIFAR-10 from ${dataDir}`);
  const data = await prepareData(dataDir, config);
  const train = imageSetSource(data.train, {
    batchSize: config.batchSize,
    shuffle: true,
    seed: config.seed,
    augment: config.augment,
    stats: data.stats,
  });
  const val = data.val ? evalSource(data.val, data.stats) : undefined;
  const record: RunRecord = {
    labkit: 'train-run',
    status: 'running',
    config,
    dataDir,
    backend,
    stats: data.stats,
    classes: CIFAR10_CLASSES,
    parameters: countParameters(config.spec),
    trainSamples: data.train.count,
    valSamples: data.val?.count ?? 0,
    startedAt,
    setupSeconds: (performance.now() - setupStart) / 1000,
  };
  await writeFileAtomic(join(runDir, RUN_JSON), `${JSON.stringify(record, null, 2)}\n`);

  const model = buildModel(config.spec, config.seed);
  const result = await fit(model, {
    classes: config.spec.classes,
    l2: config.spec.l2,
    optimizer: config.optimizer,
    schedule: scheduleByName(config.schedule, config.epochs),
    epochs: config.epochs,
    seed: config.seed,
    train,
    ...(val ? { val } : {}),
    ...(config.patience !== null && val
      ? { earlyStopping: { patience: config.patience, monitor: 'valLoss' as const } }
      : {}),
    checkpointPath: join(runDir, CHECKPOINT_FILE),
    resume: options.resume ?? false,
    callbacks: [metricsFilesCallback(runDir), ...(options.callbacks ?? [])],
  });

  log(`saving the model to ${join(runDir, MODEL_DIR)}`);
  await saveModel(model, join(runDir, MODEL_DIR), {
    labkit: {
      spec: config.spec,
      stats: data.stats,
      classes: CIFAR10_CLASSES,
      epoch: result.finalWeightsEpoch,
    },
  });
  let test: Evaluation | null = null;
  if (data.test) {
    log(`evaluating on the ${data.test.count} test images`);
    test = evaluate(model, evalSource(data.test, data.stats), config.spec.classes);
    await writeFileAtomic(
      join(runDir, EVALUATION_JSON),
      `${JSON.stringify({ split: 'test', classes: CIFAR10_CLASSES, epoch: result.finalWeightsEpoch, ...test }, null, 2)}\n`,
    );
  }
  const history: EpochMetrics[] = result.history;
  const finalEpoch = history.find((m) => m.epoch === result.finalWeightsEpoch) ?? history.at(-1);
  const trainSeconds = history.reduce((s, m) => s + m.seconds, 0);
  Object.assign(record, {
    status: 'finished',
    finishedAt: new Date().toISOString(),
    trainSeconds,
    epochsRun: history.length,
    stoppedEarly: result.stoppedEarly,
    bestEpoch: result.bestEpoch,
    finalWeightsEpoch: result.finalWeightsEpoch,
    trainSamplesPerSec: history.length ? mean(history.map((m) => m.samplesPerSec)) : 0,
    dataWaitFraction: history.length
      ? history.reduce((s, m) => s + m.dataSeconds, 0) /
        history.reduce((s, m) => s + m.trainSeconds, 0)
      : 0,
    valAccuracy: finalEpoch?.valAccuracy ?? null,
    valLoss: finalEpoch?.valLoss ?? null,
    testAccuracy: test?.accuracy ?? null,
    testLoss: test?.loss ?? null,
  } satisfies Partial<RunRecord>);
  await writeFileAtomic(join(runDir, RUN_JSON), `${JSON.stringify(record, null, 2)}\n`);
  return { record, fit: result, test, model };
}
