import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackendInfo } from '../backend/startup/select.js';
import {
  CIFAR10_CLASSES,
  IMAGE_SIZE,
  type ImageSet,
  loadCifar10,
  type Split,
} from '../data/cifar10.js';
import { missingCifarFiles } from '../data/locate.js';
import { splitValidation } from '../data/split.js';
import { type ChannelStats, channelStats } from '../data/stats.js';
import {
  type FeatureSet,
  fitZca,
  type Whitening,
  type WhiteningHeader,
  whiteningBytes,
  whiteningFromBytes,
  whiteningHeader,
  whitenSet,
} from '../data/whitening.js';
import { type Evaluation, evaluateYielding } from '../eval/evaluate.js';
import { writeFileAtomic } from '../model/atomic.js';
import { buildModel } from '../model/build.js';
import { foldWhitening } from '../model/fold-whitening.js';
import { saveModel } from '../model/io.js';
import { parseJsonText } from '../model/json-file.js';
import { countParameters } from '../model/spec.js';
import type { TrainRecipe } from '../recipe/recipe-file.js';
import type * as tf from '../tfjs.js';
import { checkpointFile, readCheckpoint } from './checkpoint.js';
import { divergedRunMessage, recordDivergence } from './diverged-run.js';
import { TrainingDivergedError } from './errors.js';
import {
  type EpochMetrics,
  type FitResult,
  fit,
  type LearningRateFunction,
  type TrainCallbacks,
} from './fit.js';
import { describeFsError, RunFileError, uncreatableBecause } from './fs-errors.js';
import {
  checkTrainingMemory,
  describeOutOfMemory,
  estimateTrainingMemory,
  isOutOfMemory,
} from './memory.js';
import { metricsFilesCallback } from './metrics-files.js';
import {
  checkNewRunDir,
  checkNotLocked,
  claimNewRunDir,
  createUniqueDir,
  LOCK_FILE,
  lastCheckpointEvalCommand,
  liveWriter,
  lockRunDir,
  type RunDirLease,
  RunRequestError,
  removeStaleTempFiles,
  resumeCommand,
  shellQuote,
} from './run-dir.js';
import {
  CHECKPOINT_FILE,
  EVALUATION_JSON,
  METRICS_JSONL,
  MODEL_DIR,
  REPORT_FILES,
  WHITENING_BIN,
  WHITENING_JSON,
} from './run-files.js';
import { RUN_JSON, readRunRecord } from './run-record.js';
import { runStatusWords } from './run-status.js';
import { learningRateAt, scheduleByName } from './schedule.js';
import { evalSource, trainingSource } from './source.js';

export {
  CHECKPOINT_FILE,
  EVALUATION_JSON,
  MODEL_DIR,
  WHITENING_BIN,
  WHITENING_JSON,
} from './run-files.js';
export { RUN_JSON, readRunRecord } from './run-record.js';
export { evalSource } from './source.js';

import type { RunRecord, TrainRunConfig } from './run-types.js';

export type { ResumeEntry, RunRecord, TrainRunConfig } from './run-types.js';

/** What flags given with `--resume` may change: the data's location and the number of epochs. */
export interface ResumeRequest {
  /** The data moved: read it from here (it must hold the same files). */
  dataDir?: string;
  /** Train to this many epochs in all; more than the run was started for extends it. */
  epochs?: number;
}

export interface TrainRunOptions {
  /** Required for a new run; a resumed run takes both from its `run.json`. */
  config?: TrainRunConfig;
  dataDir?: string;
  runDir: string;
  backend: BackendInfo;
  /** Continue the run in `runDir` from its checkpoint (the stored config wins, but for `ResumeRequest`). */
  resume?: boolean | ResumeRequest;
  /** A new run may delete the labkit run already in `runDir` (never other files). */
  force?: boolean;
  /** `runDir` is a default name: use `runDir-2`, `runDir-3`, ... when it is taken. */
  uniqueDir?: boolean;
  callbacks?: TrainCallbacks[];
  /** Progress messages (loading, saving); epoch lines come from callbacks. */
  log?: (line: string) => void;
  /** Called once the run directory is claimed and locked (before `run.json` is written). */
  onClaimed?: (runDir: string) => void;
}

export interface TrainRunResult {
  /** The run directory (differs from the requested one when `uniqueDir` picked another). */
  runDir: string;
  record: RunRecord;
  fit: FitResult;
  /** Null when there is no test evaluation (`test: false`, or a run that stopped before its end). */
  test: Evaluation | null;
  model: tf.LayersModel;
}

/** The checkpoint's progress, read from its header (null when there is no checkpoint yet). */
export async function checkpointProgress(
  runDir: string,
): Promise<{ epochsDone: number; batchesDone?: number; stopped: boolean; runId?: string } | null> {
  const path = join(runDir, CHECKPOINT_FILE);
  if (!existsSync(path)) return null;
  const { state } = await readCheckpoint<{
    epochsDone: number;
    stopped?: boolean;
    runId?: string;
    partial?: { batchesDone: number };
  }>(path);
  return {
    epochsDone: state.epochsDone,
    stopped: state.stopped ?? false,
    ...(state.partial ? { batchesDone: state.partial.batchesDone } : {}),
    ...(state.runId ? { runId: state.runId } : {}),
  };
}

/** Where a run is: `epoch 3 of 30`, or `epoch 3 of 30 (batch 120)` when paused inside it. */
export function describeProgress(
  done: { epochsDone: number; batchesDone?: number },
  epochs: number,
): string {
  const batch = done.batchesDone ? `, after batch ${done.batchesDone}` : '';
  return `epoch ${Math.min(done.epochsDone + 1, epochs)} of ${epochs}${batch}`;
}

/** Where a checkpoint is: `the end of epoch 3`, or `batch 12 of epoch 4` when paused inside it. */
export function checkpointPlace(done: { epochsDone: number; batchesDone?: number }): string {
  return done.batchesDone
    ? `batch ${done.batchesDone} of epoch ${done.epochsDone + 1}`
    : `the end of epoch ${done.epochsDone}`;
}

/** A run that has no finished model yet (stopped, killed or still running). */
export class UnfinishedRunError extends Error {
  override name = 'UnfinishedRunError';
}

/** A run that diverged: it has no model and will not continue; the message says what to do instead. */
export class DivergedRunError extends UnfinishedRunError {
  override name = 'DivergedRunError';
}

/**
 * The record of a finished run whose model can be used; otherwise an {@link UnfinishedRunError}
 * saying where the run stopped and how to continue it ({@link DivergedRunError} for a diverged run).
 */
export async function finishedRunRecord(runDir: string): Promise<RunRecord> {
  const record = await readRunRecord(runDir);
  if (record.status === 'diverged' && record.divergedAt) {
    throw new DivergedRunError(
      divergedRunMessage(runDir, record.divergedAt, 'it has no model to use'),
    );
  }
  if (record.status === 'finished' && existsSync(join(runDir, MODEL_DIR, 'model.json')))
    return record;
  const checkpoint = await checkpointProgress(runDir);
  const where = checkpoint
    ? `its last checkpoint is at ${checkpointPlace(checkpoint)} of ${record.config.epochs}`
    : 'it has no checkpoint yet';
  const evaluate = checkpoint
    ? `, or evaluate its last checkpoint with '${lastCheckpointEvalCommand(runDir)}'`
    : '';
  const writer = liveWriter(runDir);
  if (writer !== undefined) {
    throw new UnfinishedRunError(
      `${runDir} is still training (process ${writer}; ${where}), so it has no model to use yet; wait for it to finish${evaluate}`,
    );
  }
  throw new UnfinishedRunError(
    `${runDir} is not finished (status ${runStatusWords(runDir, record)}; ${where}), so it has no model to use; continue it with '${resumeCommand(runDir)}'${evaluate}`,
  );
}

/** A run to continue: its record, the config it continues with, and what the request changed. */
export interface ResumePlan {
  record: RunRecord;
  config: TrainRunConfig;
  dataDir: string;
  checkpoint: { epochsDone: number; batchesDone?: number } | null;
  changes: string[];
  /** The line to print: `resuming RUN at epoch N of M` (or why it starts over). */
  message: string;
}

/** The words for a schedule segment `from`..`to` (1-based epochs) of an extended run. */
function extensionWords(config: TrainRunConfig, from: number, to: number): string {
  const one = from === to;
  const epochs = one ? `epoch ${from}` : `epochs ${from}-${to}`;
  if (config.schedule === 'constant')
    return `${epochs} ${one ? 'continues' : 'continue'} at the constant learning rate ${config.optimizer.lr}`;
  const count = to - from + 1;
  return (
    `${epochs} ${one ? 'runs' : 'run'} a fresh ${config.schedule} schedule of ${one ? 'its' : 'their'} own over ${count} epoch${count === 1 ? '' : 's'} ` +
    `(a warm restart with peak learning rate ${config.optimizer.lr}); the earlier epochs keep theirs`
  );
}

/** The epochs a run's files record as finished: its run.json and its metrics.jsonl. */
function recordedEpochs(runDir: string, record: RunRecord): number {
  let lines = 0;
  try {
    lines = readFileSync(join(runDir, METRICS_JSONL), 'utf8')
      .split('\n')
      .filter((line) => line.trim()).length;
  } catch {
    // No metrics file: nothing recorded there.
  }
  return Math.max(record.epochsRun ?? 0, lines);
}

/**
 * A run without a checkpoint may only start again when it never finished an epoch: otherwise its
 * checkpoint was lost and starting over would throw its work away. Throws {@link RunRequestError}.
 */
function refuseLostCheckpoint(runDir: string, record: RunRecord): void {
  const epochs = recordedEpochs(runDir, record);
  const model = existsSync(join(runDir, MODEL_DIR, 'model.json'));
  if (epochs === 0 && !model && record.status !== 'finished') return;
  const recorded = `its run.json and metrics record ${epochs} finished epoch${epochs === 1 ? '' : 's'}`;
  const modelWords = model
    ? `; its finished model in ${join(runDir, MODEL_DIR)} is intact and 'labkit eval ${shellQuote(runDir)}' still works on it`
    : '';
  throw new RunRequestError(
    `cannot resume ${runDir}: ${join(runDir, CHECKPOINT_FILE)} is missing, but ${recorded}${modelWords}. ` +
      'Starting over would discard that work, so labkit will not: restore the checkpoint, or start a new run with another --out',
  );
}

/**
 * Checks that the run in `runDir` can continue as requested and says how; refuses with a
 * {@link RunRequestError} what cannot be honoured (fewer epochs than done, a finished run without
 * more epochs, an early-stopped run, data that is gone).
 */
export async function planResume(runDir: string, request: ResumeRequest = {}): Promise<ResumePlan> {
  const record = await readRunRecord(runDir);
  if (record.status === 'diverged' && record.divergedAt) {
    throw new RunRequestError(
      divergedRunMessage(runDir, record.divergedAt, 'it will not be resumed'),
    );
  }
  const config: TrainRunConfig = { ...record.config };
  const unwritable = uncreatableBecause(runDir);
  if (unwritable) throw new RunRequestError(`cannot resume ${runDir}: ${unwritable}`);
  checkNotLocked(runDir);
  const checkpoint = await checkpointProgress(runDir);
  if (!checkpoint) refuseLostCheckpoint(runDir, record);
  if (checkpoint && record.runId && checkpoint.runId !== record.runId) {
    throw new Error(
      `${join(runDir, CHECKPOINT_FILE)} was written by another run than ${join(runDir, RUN_JSON)} describes; it will not be resumed`,
    );
  }
  const done = checkpoint?.epochsDone ?? 0;
  const changes: string[] = [];
  const epochs = request.epochs ?? config.epochs;
  if (epochs !== config.epochs) {
    if (checkpoint?.stopped) {
      throw new RunRequestError(
        `${runDir} was stopped early by --patience at epoch ${done} (validation loss stopped improving); it will not train on. Start a new run for more epochs`,
      );
    }
    if (epochs < config.epochs) {
      throw new RunRequestError(
        `${runDir} was started for ${config.epochs} epochs; --epochs with --resume extends a run, so give more than ${config.epochs}`,
      );
    }
    const segments = config.scheduleSegments ?? [config.epochs];
    changes.push(
      `epochs ${config.epochs} -> ${epochs}: ${extensionWords(config, config.epochs + 1, epochs)}`,
    );
    config.scheduleSegments = [...segments, epochs];
    config.epochs = epochs;
  } else if (record.status === 'finished' && done >= config.epochs) {
    throw new RunRequestError(
      `${runDir} is finished (${done} of ${config.epochs} epochs); to train it further, resume with --epochs N (N > ${config.epochs})`,
    );
  }
  let dataDir = record.dataDir;
  if (request.dataDir && request.dataDir !== record.dataDir) {
    changes.push(`data ${record.dataDir} -> ${request.dataDir}`);
    dataDir = request.dataDir;
  } else if (missingCifarFiles(dataDir).length > 0) {
    throw new RunRequestError(
      `the data ${runDir} was trained on is no longer in ${dataDir}; pass --data DIR with the same CIFAR-10 files`,
    );
  }
  const message = checkpoint
    ? checkpoint.epochsDone >= config.epochs
      ? `resuming ${runDir}: all ${config.epochs} epochs are trained (it stopped after its last checkpoint); saving the model and evaluating`
      : `resuming ${runDir} at ${describeProgress(checkpoint, config.epochs)}`
    : `${runDir} never reached its first checkpoint: starting it again at epoch 1 of ${config.epochs} with its stored settings`;
  return { record, config, dataDir, checkpoint, changes, message };
}

/**
 * Refuses a configuration that cannot train meaningfully on CIFAR-10 before any work: a spec whose
 * input or class count does not match the images, a learning rate of 0.
 */
export function checkRunConfig(config: TrainRunConfig): void {
  const { spec } = config;
  if (spec.inputSize !== IMAGE_SIZE) {
    throw new RunRequestError(
      `the spec's inputSize is ${spec.inputSize}, but a CIFAR-10 image has ${IMAGE_SIZE} values (3 x 32 x 32); set "inputSize": ${IMAGE_SIZE} or leave it out`,
    );
  }
  if (spec.classes !== CIFAR10_CLASSES.length) {
    throw new RunRequestError(
      `the spec's classes is ${spec.classes}, but CIFAR-10 has ${CIFAR10_CLASSES.length}; set "classes": ${CIFAR10_CLASSES.length} or leave it out`,
    );
  }
  if (!(config.optimizer.lr > 0)) {
    throw new RunRequestError(
      `a learning rate of ${config.optimizer.lr} trains nothing; give --lr a positive rate (default 0.001)`,
    );
  }
}

export interface PreparedData {
  train: ImageSet;
  val: ImageSet | null;
  test: ImageSet | null;
  stats: ChannelStats;
  /** SHA-256 of the images and labels read (training, then test): a resume must read the same. */
  sha256: string;
}

/** What the training loop reads: the prepared data, whitened when the recipe says so. */
export interface TrainingInputs {
  train: ImageSet | FeatureSet;
  val: ImageSet | FeatureSet | null;
  whitening: Whitening | null;
}

/** Loads CIFAR-10, carves the validation split and computes the normalisation from the training part. */
export async function prepareData(dataDir: string, config: TrainRunConfig): Promise<PreparedData> {
  const fullFiles = !config.partialData;
  const load = (split: Split, limit?: number) =>
    loadCifar10(dataDir, split, { fullFiles, ...(limit === undefined ? {} : { limit }) });
  // The test files are checked before the training images are read: no work on a broken set.
  if (config.test) await loadCifar10(dataDir, 'test', { fullFiles, limit: 0 });
  const full = await load('train', config.trainLimit ?? undefined);
  const { train, val } =
    config.valSplit > 0
      ? splitValidation(full, config.valSplit, config.seed)
      : { train: full, val: null };
  const test = config.test ? await load('test') : null;
  const hash = createHash('sha256');
  for (const set of test ? [full, test] : [full]) hash.update(set.images).update(set.labels);
  return {
    train,
    val: val && val.count > 0 ? val : null,
    test,
    stats: channelStats(train),
    sha256: hash.digest('hex'),
  };
}

/** The whitening a run fitted and saved in its directory, or null when it has none. */
export async function readRunWhitening(runDir: string): Promise<Whitening | null> {
  const headerPath = join(runDir, WHITENING_JSON);
  const binPath = join(runDir, WHITENING_BIN);
  if (!existsSync(headerPath) || !existsSync(binPath)) return null;
  const header = parseJsonText(await readFile(headerPath, 'utf8'), headerPath) as WhiteningHeader;
  return whiteningFromBytes(await readFile(binPath), header, binPath);
}

/**
 * The run's whitening: read back from the run directory when an earlier segment of the run fitted
 * it (so a resumed run whitens bit for bit as before), else fitted on the training split and saved.
 */
export async function runWhitening(
  runDir: string,
  spec: TrainRecipe['whitening'],
  data: PreparedData,
  seed: number,
): Promise<Whitening | null> {
  if (!spec || spec.kind === 'none') return null;
  const saved = await readRunWhitening(runDir);
  if (saved) return saved;
  const binPath = join(runDir, WHITENING_BIN);
  const headerPath = join(runDir, WHITENING_JSON);
  const whitening = fitZca(data.train, data.stats, {
    epsilon: spec.epsilon,
    seed,
    ...(spec.fitImages ? { fitImages: spec.fitImages } : {}),
  });
  await writeFileAtomic(binPath, whiteningBytes(whitening));
  await writeFileAtomic(headerPath, `${JSON.stringify(whiteningHeader(whitening))}\n`);
  return whitening;
}

/** The training and validation sets as the loop sees them: whitened once, up front, if asked. */
export function trainingInputs(data: PreparedData, whitening: Whitening | null): TrainingInputs {
  if (!whitening) return { train: data.train, val: data.val, whitening };
  return {
    train: whitenSet(data.train, data.stats, whitening),
    val: data.val ? whitenSet(data.val, data.stats, whitening) : null,
    whitening,
  };
}

/**
 * The learning rate of every step of a run: its schedule over its epochs, or, for an extended run,
 * a fresh schedule per segment (see {@link TrainRunConfig.scheduleSegments}).
 */
export function runSchedule(config: TrainRunConfig): LearningRateFunction {
  const ends = config.scheduleSegments ?? [config.epochs];
  return ({ step, stepsPerEpoch }, baseLr) => {
    const epoch = Math.floor(step / stepsPerEpoch);
    let start = 0;
    let end = ends[0] as number;
    for (const [i, segmentEnd] of ends.entries()) {
      end = segmentEnd;
      if (epoch < segmentEnd || i === ends.length - 1) break;
      start = segmentEnd;
    }
    const epochs = end - start;
    return learningRateAt(scheduleByName(config.schedule, epochs), baseLr, {
      step: step - start * stepsPerEpoch,
      stepsPerEpoch,
      totalSteps: epochs * stepsPerEpoch,
    });
  };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

const pretty = (n: number) => n.toLocaleString('en-US');

/**
 * Files a finished run derives from its training; a continued run rebuilds them at its end. Only
 * labkit's own names: a user's files in the directory stay.
 */
async function removeDerivedOutputs(runDir: string): Promise<void> {
  for (const name of [EVALUATION_JSON, MODEL_DIR, ...REPORT_FILES]) {
    await rm(join(runDir, name), { recursive: true, force: true });
  }
}

/**
 * A whole training run in a directory: `run.json` (config, backend, timings, results),
 * `metrics.csv` / `metrics.jsonl`, `checkpoint.ckpt` (every epoch), `model/` (TF.js layers format,
 * the weights of the best epoch when early stopping restored them) and `evaluation.json` (test).
 *
 * Everything is checked before any work (config, memory, the run directory, the data files); the
 * directory is claimed only once the data is loaded, so a failed start leaves nothing behind. A
 * callback's `stopTraining` (Ctrl-C) stops the run with a checkpoint; its record says `stopped`.
 */
export async function trainRun(options: TrainRunOptions): Promise<TrainRunResult> {
  const { backend } = options;
  let runDir = options.runDir;
  const log = options.log ?? (() => {});
  const setupStart = performance.now();
  const plan = options.resume
    ? await planResume(runDir, typeof options.resume === 'object' ? options.resume : {})
    : undefined;
  const config = plan?.config ?? options.config;
  const dataDir = plan?.dataDir ?? options.dataDir;
  if (!config || !dataDir)
    throw new Error('trainRun needs a config and a data directory for a new run');
  checkRunConfig(config);
  const memory = estimateTrainingMemory(config.spec, {
    batchSize: config.batchSize,
    optimizer: config.optimizer.kind,
    keepBest: config.patience !== null,
  });
  checkTrainingMemory(memory, backend.name);
  if (!plan) checkNewRunDir(runDir, options.force, options.uniqueDir);

  log(`loading CIFAR-10 from ${dataDir}`);
  const data = await prepareData(dataDir, config);
  log(
    `loaded ${pretty(data.train.count + (data.val?.count ?? 0))} training images ` +
      `(${pretty(data.train.count)} to train on, ${pretty(data.val?.count ?? 0)} held out for validation)` +
      (data.test ? ` and ${pretty(data.test.count)} test images` : ''),
  );
  if (plan?.record.dataSha256 && plan.record.dataSha256 !== data.sha256) {
    throw new RunRequestError(
      `the images in ${dataDir} are not the ones ${runDir} was trained on (their SHA-256 differs from the one in its run.json); ` +
        'a run continues only on its own data: pass --data DIR with the same CIFAR-10 files',
    );
  }
  if (!data.val && config.valSplit > 0) {
    if (config.patience !== null) {
      throw new RunRequestError(
        `--val-split ${config.valSplit} of ${data.train.count} images holds out no validation image, and --patience needs them; use more images or a larger --val-split`,
      );
    }
    log(
      `warning: --val-split ${config.valSplit} of ${data.train.count} images holds out no validation image: the run will have no validation metrics`,
    );
  }

  let lease: RunDirLease;
  let existed = true;
  if (plan) lease = await lockRunDir(runDir);
  else {
    existed = existsSync(runDir) && !options.uniqueDir;
    if (options.uniqueDir) runDir = await createUniqueDir(runDir);
    lease = await claimNewRunDir(runDir, options.force);
  }
  try {
    options.onClaimed?.(runDir);
    if (lease.takenOver) log(lease.takenOver);
    log(`run directory: ${runDir}`);
    const removed = await removeStaleTempFiles(runDir);
    if (removed.length)
      log(
        `removed ${removed.length} temporary file(s) of an interrupted write: ${removed.join(', ')}`,
      );
    if (plan) {
      for (const change of plan.changes) log(`with --resume: ${change}`);
      log(plan.message);
      await removeDerivedOutputs(runDir);
    }
    const runId = plan ? plan.record.runId : randomUUID();
    const record: RunRecord = {
      labkit: 'train-run',
      status: 'running',
      ...(runId ? { runId } : {}),
      config,
      dataDir,
      backend,
      stats: data.stats,
      dataSha256: data.sha256,
      classes: CIFAR10_CLASSES,
      parameters: countParameters(config.spec),
      trainSamples: data.train.count,
      valSamples: data.val?.count ?? 0,
      startedAt: plan?.record.startedAt ?? new Date().toISOString(),
      setupSeconds: (performance.now() - setupStart) / 1000,
      ...(plan
        ? {
            resumes: [
              ...(plan.record.resumes ?? []),
              {
                at: new Date().toISOString(),
                fromEpoch: plan.checkpoint?.epochsDone ?? 0,
                ...(plan.checkpoint?.batchesDone
                  ? { batchesDone: plan.checkpoint.batchesDone }
                  : {}),
                epochs: config.epochs,
                dataDir,
                backend,
                changes: plan.changes,
              },
            ],
          }
        : {}),
    };
    const writeRecord = () =>
      writeFileAtomic(join(runDir, RUN_JSON), `${JSON.stringify(record, null, 2)}\n`);
    await writeRecord();
    const whiteningStart = performance.now();
    if (config.whitening?.kind === 'zca')
      log(`whitening: ZCA, epsilon ${config.whitening.epsilon}`);
    const inputs = trainingInputs(
      data,
      await runWhitening(runDir, config.whitening, data, config.seed),
    );
    if (inputs.whitening) {
      const seconds = (performance.now() - whiteningStart) / 1000;
      log(
        `whitening: fitted on ${pretty(inputs.whitening.images)} training images and applied to ${pretty(data.train.count + (data.val?.count ?? 0))} in ${seconds.toFixed(0)} s`,
      );
    }
    return await trainInDir(
      runDir,
      config,
      data,
      inputs,
      record,
      writeRecord,
      plan !== undefined,
      options,
    );
  } catch (error) {
    // A new run that failed before its first checkpoint has nothing to resume: leave nothing behind
    // (every file in the directory is this run's: claiming it emptied it). A diverged run stays:
    // its record says where it diverged, for diagnose and for the next run's learning rate.
    if (
      !plan &&
      !existsSync(join(runDir, CHECKPOINT_FILE)) &&
      !(error instanceof TrainingDivergedError)
    ) {
      await (existed ? removeContents(runDir) : rm(runDir, { recursive: true, force: true })).catch(
        () => {},
      );
    }
    throw isOutOfMemory(error)
      ? describeOutOfMemory(error, memory, backend.name, config.batchSize)
      : error;
  } finally {
    await lease.release();
  }
}

/** Deletes everything in `dir` but the lock (released by its lease). */
async function removeContents(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name !== LOCK_FILE) await rm(join(dir, name), { recursive: true, force: true });
  }
}

/** The training part of {@link trainRun}, in a claimed directory with its `run.json` written. */
async function trainInDir(
  runDir: string,
  config: TrainRunConfig,
  data: PreparedData,
  inputs: TrainingInputs,
  record: RunRecord,
  writeRecord: () => Promise<void>,
  resume: boolean,
  options: TrainRunOptions,
): Promise<TrainRunResult> {
  const log = options.log ?? (() => {});
  const train = trainingSource(inputs.train, config, data.stats);
  const val = inputs.val ? evalSource(inputs.val, data.stats) : undefined;
  const model = buildModel(config.spec, config.seed);
  let checkpointEpoch: number | null = null;
  let lastEpoch: EpochMetrics | undefined;
  let result: FitResult;
  try {
    result = await fit(model, {
      classes: config.spec.classes,
      l2: config.spec.l2,
      optimizer: config.optimizer,
      schedule: runSchedule(config),
      epochs: config.epochs,
      seed: config.seed,
      train,
      ...(val ? { val } : {}),
      ...(config.patience !== null && val
        ? { earlyStopping: { patience: config.patience, monitor: 'valLoss' as const } }
        : {}),
      checkpoint: checkpointFile(join(runDir, CHECKPOINT_FILE)),
      resume,
      ...(record.runId ? { runId: record.runId } : {}),
      callbacks: [
        {
          onTrainBegin(ctx) {
            checkpointEpoch = resume ? ctx.startEpoch : null;
            lastEpoch = ctx.history.at(-1);
          },
          onEpochEnd(m) {
            checkpointEpoch = m.epoch;
            lastEpoch = m;
          },
        },
        metricsFilesCallback(runDir),
        ...(options.callbacks ?? []),
      ],
    });
  } catch (error) {
    model.dispose();
    if (error instanceof TrainingDivergedError) {
      // Recorded, so that eval, resume and diagnose say it diverged instead of "running".
      const checkpoint = await checkpointProgress(runDir);
      Object.assign(record, {
        status: 'diverged',
        divergedAt: recordDivergence(
          error,
          checkpoint && {
            epochsDone: checkpoint.epochsDone,
            ...(checkpoint.batchesDone ? { batchesDone: checkpoint.batchesDone } : {}),
            ...(lastEpoch?.epoch === checkpoint.epochsDone
              ? { trainLoss: lastEpoch.trainLoss, valLoss: lastEpoch.valLoss }
              : {}),
          },
        ),
        epochsRun: checkpoint?.epochsDone ?? 0,
      } satisfies Partial<RunRecord>);
      await writeRecord();
    }
    throw withCheckpointAdvice(error, runDir, checkpointEpoch, resume);
  }

  if (!result.completed) {
    Object.assign(record, {
      status: 'stopped',
      stoppedAt: result.pausedAt ?? { epoch: result.history.length },
      epochsRun: result.history.length,
    } satisfies Partial<RunRecord>);
    await writeRecord();
    return { runDir, record, fit: result, test: null, model };
  }
  try {
    return await finishRun(
      runDir,
      config,
      data,
      inputs.whitening,
      record,
      writeRecord,
      result,
      model,
      log,
    );
  } catch (error) {
    throw withCheckpointAdvice(error, runDir, result.history.length, resume);
  }
}

/** Saves the model, evaluates on the test split and writes the finished record. */
async function finishRun(
  runDir: string,
  config: TrainRunConfig,
  data: PreparedData,
  whitening: Whitening | null,
  record: RunRecord,
  writeRecord: () => Promise<void>,
  result: FitResult,
  model: tf.LayersModel,
  log: (line: string) => void,
): Promise<TrainRunResult> {
  // The saved model whitens its own input; the test pass below goes through the same folded model.
  if (whitening) foldWhitening(model, whitening);
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
    // Yielding: a Ctrl-C during a long test pass is handled within a batch, not after the pass.
    test = await evaluateYielding(model, evalSource(data.test, data.stats), config.spec.classes);
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
  delete record.stoppedAt;
  await writeRecord();
  return { runDir, record, fit: result, test, model };
}

/**
 * A file error during training, in words, with what is safe: the last checkpoint is intact (it is
 * replaced atomically) and the exact command that continues from it.
 */
function withCheckpointAdvice(
  error: unknown,
  runDir: string,
  epoch: number | null,
  resume: boolean,
): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (!code && !(error instanceof RunFileError)) return error as Error;
  const described = describeFsError(error, (error as { path?: string }).path ?? runDir, 'write');
  const safe =
    epoch === null || epoch === 0
      ? resume
        ? `no checkpoint was written yet; once fixed, '${resumeCommand(runDir)}' starts it again`
        : 'no checkpoint was written yet, so the run directory is removed; once fixed, start the run again'
      : `the last checkpoint (epoch ${epoch}) is intact; once fixed, continue with '${resumeCommand(runDir)}'`;
  return new RunFileError(`${described.message}; ${safe}`, code, runDir);
}
