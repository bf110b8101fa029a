import { deriveSeed } from '../data/rng.js';
import { evaluate } from '../eval/evaluate.js';
import * as tf from '../tfjs.js';
import type { CheckpointStore } from './checkpoint-store.js';
import type { EpochMetrics } from './epoch-metrics.js';
import { TrainingDivergedError } from './errors.js';
import {
  createOptimizer,
  getOptimizerState,
  type OptimizerSpec,
  readTensors,
  type SavedTensor,
  setLearningRate,
  setOptimizerState,
} from './optimizer.js';
import { learningRateAt, type ScheduleClock, type ScheduleSpec } from './schedule.js';
import type { BatchSource } from './source.js';
import { trainStep } from './step.js';

export type { EpochMetrics } from './epoch-metrics.js';

export interface BatchInfo {
  epoch: number;
  /** 0-based index of the batch within the epoch. */
  batch: number;
  batchesPerEpoch: number;
  /** Optimizer steps done so far in the run (this one included). */
  step: number;
  size: number;
  loss: number;
  accuracy: number;
  lr: number;
}

/**
 * Shared with every callback; a callback sets `stopTraining` to end the run after this batch or
 * epoch. With a checkpoint, a stop inside an epoch pauses it: the checkpoint records the position
 * and a resume trains the rest of that epoch, exactly as an uninterrupted run would.
 */
export interface TrainContext {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  epochs: number;
  stepsPerEpoch: number;
  totalSteps: number;
  samplesPerEpoch: number;
  history: EpochMetrics[];
  stopTraining: boolean;
  /** Epochs already done when this call started (non-zero after a resume). */
  startEpoch: number;
  /**
   * Training loss (cross-entropy, without the L2 penalty) of every optimizer step so far: entry `i`
   * is step `i + 1`. Kept in the checkpoint, so a resumed run has the same list. Absent when the run
   * resumed from a checkpoint written before steps were recorded.
   */
  stepLosses?: readonly number[];
}

/** Keras-style hooks, awaited in order. Epoch numbers are 1-based. */
export interface TrainCallbacks {
  onTrainBegin?(ctx: TrainContext): void | Promise<void>;
  onEpochBegin?(epoch: number, ctx: TrainContext): void | Promise<void>;
  onBatchEnd?(info: BatchInfo, ctx: TrainContext): void | Promise<void>;
  onEpochEnd?(metrics: EpochMetrics, ctx: TrainContext): void | Promise<void>;
  onTrainEnd?(result: FitResult, ctx: TrainContext): void | Promise<void>;
}

export type LearningRateFunction = (clock: ScheduleClock, baseLr: number) => number;

export interface EarlyStopping {
  /** Epochs without improvement of `monitor` before stopping. */
  patience: number;
  monitor?: 'valLoss' | 'valAccuracy';
  /** Put back the weights of the best epoch at the end (default true). */
  restoreBest?: boolean;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
}

export interface FitOptions {
  classes: number;
  /** L2 penalty coefficient on dense kernels (the spec's `l2`). */
  l2: number;
  optimizer: OptimizerSpec;
  schedule?: ScheduleSpec | LearningRateFunction;
  epochs: number;
  /** Seeds the dropout masks (per step); data order and augmentation are seeded by the sources. */
  seed: number;
  train: BatchSource;
  val?: BatchSource;
  earlyStopping?: EarlyStopping;
  /** Written atomically after every epoch: weights, optimizer state, history, early-stopping state. */
  checkpoint?: CheckpointStore;
  /** Continue from `checkpoint` when it holds one. */
  resume?: boolean;
  /**
   * Identifies the run in its checkpoint: a resume refuses a checkpoint written for another run, so
   * one run can never continue from another's weights.
   */
  runId?: string;
  callbacks?: TrainCallbacks[];
  /** Stop after this many optimizer steps (overfit checks, learning-rate range tests). */
  maxSteps?: number;
}

export interface FitResult {
  history: EpochMetrics[];
  steps: number;
  stoppedEarly: boolean;
  /** Epoch (1-based) whose weights the model holds at the end. */
  finalWeightsEpoch: number;
  bestEpoch: number | null;
  /** Training wall time, summed over resumed segments. */
  seconds: number;
  resumedFromEpoch: number;
  /**
   * Every epoch ran, early stopping ended the run, or `maxSteps` was reached. False when a
   * callback's `stopTraining` paused the run: a resume continues it.
   */
  completed: boolean;
  /**
   * Where a callback paused the run inside an epoch (with a checkpoint): `batchesDone` batches of
   * epoch `epoch` are trained, and a resume trains the rest of that epoch.
   */
  pausedAt?: { epoch: number; batchesDone: number };
}

/** A checkpoint written for another run than the one resuming from it. */
export class CheckpointMismatchError extends Error {
  override name = 'CheckpointMismatchError';
}

interface FitState {
  epochsDone: number;
  step: number;
  history: EpochMetrics[];
  best: { epoch: number; value: number } | null;
  wait: number;
  /** Early stopping ended the run: a resume must not train on. */
  stopped?: boolean;
  seconds: number;
  optimizerKind: string;
  /** Adam's running beta powers, restored bit-exactly (TF.js would recompute them with pow). */
  adamBetaPowers?: [number, number];
  runId?: string;
  /** The run was paused inside this epoch: how far it got and the epoch's sums so far. */
  partial?: PartialEpoch;
  /** Loss of every step so far (see {@link TrainContext.stepLosses}). */
  stepLosses?: number[];
}

interface PartialEpoch {
  epoch: number;
  batchesDone: number;
  lossSum: number;
  correctSum: number;
  seen: number;
  dataSeconds: number;
  trainSeconds: number;
  lr: number;
}

const DROPOUT_STREAM = 3;

function modelWeights(model: tf.LayersModel): Promise<SavedTensor[]> {
  const values = model.getWeights();
  return readTensors(
    model.weights.map((w, i) => ({ name: w.originalName, tensor: values[i] as tf.Tensor })),
  );
}

/** Sets the weights of `model` from a checkpoint's tensors, checking their count and shapes. */
export function restoreWeights(model: tf.LayersModel, saved: SavedTensor[]): void {
  if (saved.length !== model.weights.length) {
    throw new Error(
      `checkpoint holds ${saved.length} weight tensors, the model has ${model.weights.length}`,
    );
  }
  const tensors = saved.map((s, i) => {
    const expected = model.weights[i]?.shape ?? [];
    if (s.shape.join('x') !== expected.join('x')) {
      throw new Error(
        `checkpoint weight ${s.name} has shape [${s.shape}], the model expects [${expected}]`,
      );
    }
    return tf.tensor(s.values, s.shape, s.dtype);
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
}

type AdamInternals = { accBeta1?: tf.Variable; accBeta2?: tf.Variable };

function improved(
  monitor: 'valLoss' | 'valAccuracy',
  value: number,
  best: number | undefined,
  minDelta: number,
): boolean {
  if (best === undefined) return true;
  return monitor === 'valLoss' ? value < best - minDelta : value > best + minDelta;
}

/**
 * Trains `model` with a per-batch loop of {@link trainStep}: schedules per step, validation and
 * early stopping per epoch, a checkpoint per epoch, callbacks throughout. With `resume` and an
 * existing checkpoint the run continues where it stopped and reproduces the uninterrupted run.
 */
export async function fit(model: tf.LayersModel, options: FitOptions): Promise<FitResult> {
  const { train, val, epochs, classes } = options;
  if (!(Number.isInteger(epochs) && epochs >= 1))
    throw new RangeError(`epochs must be a whole number >= 1, got ${epochs}`);
  if (train.count === 0) throw new RangeError('the training set is empty');
  const stopping = options.earlyStopping;
  if (stopping && !val) throw new Error('early stopping needs a validation set');
  const monitor = stopping?.monitor ?? 'valLoss';
  const optimizer = createOptimizer(options.optimizer);
  const stepsPerEpoch = train.batchesPerEpoch;
  const totalSteps = stepsPerEpoch * epochs;
  const schedule = options.schedule ?? { kind: 'constant' };
  const lrAt = (step: number) => {
    const clock = { step, stepsPerEpoch, totalSteps };
    return typeof schedule === 'function'
      ? schedule(clock, options.optimizer.lr)
      : learningRateAt(schedule, options.optimizer.lr, clock);
  };

  let state: FitState = {
    epochsDone: 0,
    step: 0,
    history: [],
    best: null,
    wait: 0,
    seconds: 0,
    optimizerKind: options.optimizer.kind,
    stepLosses: [],
    ...(options.runId ? { runId: options.runId } : {}),
  };
  let bestWeights: SavedTensor[] | undefined;
  const store = options.checkpoint;
  const checkpoint = options.resume && store ? await store.read<FitState>() : null;
  if (store && checkpoint) {
    state = checkpoint.state;
    if (options.runId && state.runId !== options.runId) {
      throw new CheckpointMismatchError(
        `${store.name} belongs to another run (${state.runId ?? 'no run id'}, not ${options.runId}); it will not be resumed into this one`,
      );
    }
    if (state.optimizerKind !== options.optimizer.kind) {
      throw new Error(
        `${store.name} was written by a ${state.optimizerKind} run, not ${options.optimizer.kind}`,
      );
    }
    restoreWeights(model, checkpoint.tensors.model ?? []);
    const optimizerState = checkpoint.tensors.optimizer ?? [];
    if (optimizerState.length > 1) await setOptimizerState(optimizer, optimizerState);
    const adam = optimizer as unknown as AdamInternals;
    if (state.adamBetaPowers && adam.accBeta1 && adam.accBeta2) {
      adam.accBeta1.assign(tf.scalar(state.adamBetaPowers[0]));
      adam.accBeta2.assign(tf.scalar(state.adamBetaPowers[1]));
    }
    bestWeights = checkpoint.tensors.best;
  }
  const resumedFromEpoch = state.epochsDone;

  const ctx: TrainContext = {
    model,
    optimizer,
    epochs,
    stepsPerEpoch,
    totalSteps,
    samplesPerEpoch: train.count,
    history: state.history,
    stopTraining: false,
    startEpoch: state.epochsDone,
    ...(state.stepLosses ? { stepLosses: state.stepLosses } : {}),
  };
  const callbacks = options.callbacks ?? [];
  for (const c of callbacks) await c.onTrainBegin?.(ctx);

  const saveCheckpoint = async () => {
    if (!store) return;
    const adam = optimizer as unknown as AdamInternals;
    if (adam.accBeta1 && adam.accBeta2) {
      state.adamBetaPowers = [
        adam.accBeta1.dataSync()[0] as number,
        adam.accBeta2.dataSync()[0] as number,
      ];
    }
    await store.write({
      state,
      tensors: {
        model: await modelWeights(model),
        optimizer: await getOptimizerState(optimizer),
        ...(bestWeights ? { best: bestWeights } : {}),
      },
    });
  };

  let stoppedEarly = state.stopped ?? false;
  let finalWeightsEpoch = state.epochsDone;
  let reachedMaxSteps = false;
  let pausedAt: FitResult['pausedAt'];
  if (stoppedEarly) ctx.stopTraining = true;
  for (let epoch = state.epochsDone; epoch < epochs && !ctx.stopTraining; epoch++) {
    for (const c of callbacks) await c.onEpochBegin?.(epoch + 1, ctx);
    const part = state.partial?.epoch === epoch + 1 ? state.partial : undefined;
    state.partial = undefined;
    // A paused epoch's time so far counts toward its timings.
    const started = performance.now() - (part?.trainSeconds ?? 0) * 1000;
    let dataSeconds = part?.dataSeconds ?? 0;
    let lossSum = part?.lossSum ?? 0;
    let correctSum = part?.correctSum ?? 0;
    let seen = part?.seen ?? 0;
    let lr = part?.lr ?? lrAt(state.step);
    const iterator = train.batches(epoch)[Symbol.iterator]();
    // Pull (and drop) the batches trained before the pause: shuffling and augmentation stay in step.
    let batchIndex = 0;
    for (; batchIndex < (part?.batchesDone ?? 0); batchIndex++) iterator.next();
    for (; ; batchIndex++) {
      const waitStart = performance.now();
      const next = iterator.next();
      dataSeconds += (performance.now() - waitStart) / 1000;
      if (next.done) break;
      const batch = next.value;
      lr = lrAt(state.step);
      setLearningRate(optimizer, lr);
      const x = tf.tensor2d(batch.x, [batch.size, batch.x.length / batch.size]);
      const y = tf.tensor1d(batch.y, 'int32');
      const result = trainStep(model, optimizer, x, y, {
        l2: options.l2,
        classes,
        dropoutSeed: deriveSeed(options.seed, state.step, DROPOUT_STREAM),
      });
      const loss = result.loss.dataSync()[0] as number;
      const correct = result.correct.dataSync()[0] as number;
      tf.dispose([x, y, result.loss, result.correct]);
      if (!Number.isFinite(loss)) {
        optimizer.dispose();
        throw new TrainingDivergedError({ loss, epoch: epoch + 1, step: state.step + 1, lr });
      }
      state.step++;
      state.stepLosses?.push(loss);
      lossSum += loss * batch.size;
      correctSum += correct;
      seen += batch.size;
      const info: BatchInfo = {
        epoch: epoch + 1,
        batch: batchIndex,
        batchesPerEpoch: stepsPerEpoch,
        step: state.step,
        size: batch.size,
        loss,
        accuracy: correct / batch.size,
        lr,
      };
      for (const c of callbacks) await c.onBatchEnd?.(info, ctx);
      if (options.maxSteps !== undefined && state.step >= options.maxSteps) {
        reachedMaxSteps = true;
        ctx.stopTraining = true;
      }
      if (ctx.stopTraining) break;
    }
    if (ctx.stopTraining && !reachedMaxSteps && store && batchIndex + 1 < stepsPerEpoch) {
      // Paused inside the epoch: save where it is so that a resume trains the rest of it.
      state.partial = {
        epoch: epoch + 1,
        batchesDone: batchIndex + 1,
        lossSum,
        correctSum,
        seen,
        dataSeconds,
        trainSeconds: (performance.now() - started) / 1000,
        lr,
      };
      await saveCheckpoint();
      pausedAt = { epoch: epoch + 1, batchesDone: batchIndex + 1 };
      break;
    }
    const trainSeconds = (performance.now() - started) / 1000;
    const validation = val ? evaluate(model, val, classes) : undefined;
    const seconds = (performance.now() - started) / 1000;
    state.seconds += seconds;
    const metrics: EpochMetrics = {
      epoch: epoch + 1,
      trainLoss: seen ? lossSum / seen : Number.NaN,
      trainAccuracy: seen ? correctSum / seen : Number.NaN,
      valLoss: validation?.loss ?? null,
      valAccuracy: validation?.accuracy ?? null,
      lr,
      samplesPerSec: seen / trainSeconds,
      seconds,
      trainSeconds,
      dataSeconds,
    };
    // Weights that give a non-finite mean loss are diverged too: no checkpoint of them is kept.
    const endLoss = !Number.isFinite(metrics.trainLoss)
      ? { loss: metrics.trainLoss, atEpochEnd: 'training' as const }
      : validation && !Number.isFinite(validation.loss)
        ? { loss: validation.loss, atEpochEnd: 'validation' as const }
        : undefined;
    if (endLoss) {
      optimizer.dispose();
      throw new TrainingDivergedError({ ...endLoss, epoch: epoch + 1, step: state.step, lr });
    }
    state.history.push(metrics);
    state.epochsDone = epoch + 1;
    finalWeightsEpoch = epoch + 1;

    if (stopping && validation) {
      const value = monitor === 'valLoss' ? validation.loss : validation.accuracy;
      if (improved(monitor, value, state.best?.value, stopping.minDelta ?? 0)) {
        state.best = { epoch: epoch + 1, value };
        state.wait = 0;
        if (stopping.restoreBest ?? true) bestWeights = await modelWeights(model);
      } else if (++state.wait >= stopping.patience) {
        ctx.stopTraining = true;
        stoppedEarly = true;
        state.stopped = true;
      }
    }
    await saveCheckpoint();
    for (const c of callbacks) await c.onEpochEnd?.(metrics, ctx);
  }

  const completed = stoppedEarly || reachedMaxSteps || state.epochsDone >= epochs;
  if (
    completed &&
    stopping &&
    (stopping.restoreBest ?? true) &&
    bestWeights &&
    state.best &&
    state.best.epoch !== finalWeightsEpoch
  ) {
    restoreWeights(model, bestWeights);
    finalWeightsEpoch = state.best.epoch;
  }
  const result: FitResult = {
    history: state.history,
    steps: state.step,
    stoppedEarly,
    finalWeightsEpoch,
    bestEpoch: state.best?.epoch ?? null,
    seconds: state.seconds,
    resumedFromEpoch,
    completed,
    ...(pausedAt ? { pausedAt } : {}),
  };
  for (const c of callbacks) await c.onTrainEnd?.(result, ctx);
  optimizer.dispose();
  return result;
}
