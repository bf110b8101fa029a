/**
 * The recipe's first step: prove the model can overfit a handful of images. Trains without
 * regularisation or augmentation until training accuracy reaches 100% or the loss falls under a
 * threshold, within a step budget. A model that cannot memorise 10 images has a bug (labels,
 * normalisation, learning rate) or too little capacity; this check says which is likely.
 */
import type { ImageSet } from '../data/cifar10-format.js';
import { channelStats } from '../data/stats.js';
import { evaluate } from '../eval/evaluate.js';
import { buildModel } from '../model/build.js';
import type { ModelSpec } from '../model/spec.js';
import { TrainingDivergedError } from '../train/errors.js';
import { type EpochMetrics, fit } from '../train/fit.js';
import type { OptimizerSpec } from '../train/optimizer.js';
import { imageSetSource } from '../train/source.js';
import { OVERFIT_DEFAULT_STEPS } from './overfit-defaults.js';

/** Training loss under this also counts as memorised (cross-entropy of ~99% confidence on every image). */
export const OVERFIT_LOSS_THRESHOLD = 0.01;
export { OVERFIT_DEFAULT_STEPS };
/** Largest batch the check uses; fewer images than this go in one batch. */
export const OVERFIT_MAX_BATCH = 64;
/** Default optimizer: Adam at 1e-3 memorises a few images in tens of steps with a sane pipeline. */
export const OVERFIT_DEFAULT_OPTIMIZER: OptimizerSpec = { kind: 'adam', lr: 1e-3 };
/**
 * A fresh model's loss should be near ln(classes), the loss of uniform guessing; a first loss more
 * than this factor above or below it points at the input scale or the initialisation.
 */
export const INITIAL_LOSS_FACTOR = 2;
/** The loss "did not move" if it fell by less than this fraction over the run. */
export const STUCK_LOSS_FRACTION = 0.1;

export interface OverfitOptions {
  spec: ModelSpec;
  images: ImageSet;
  maxSteps?: number;
  optimizer?: OptimizerSpec;
  seed?: number;
  /** Called after every epoch (an epoch is one pass over the N images). */
  onEpoch?: (metrics: EpochMetrics, step: number) => void;
}

export interface OverfitResult {
  passed: boolean;
  images: number;
  steps: number;
  maxSteps: number;
  /** Training loss and accuracy of the last pass, as the training loop measured them. */
  finalLoss: number;
  finalAccuracy: number;
  /** Loss of the first pass: near ln(classes) when initialisation and inputs are sane. */
  initialLoss: number;
  /** Accuracy of the final weights on the N images in inference mode. */
  inferenceAccuracy: number;
  /** Step at which the goal was first reached. */
  passedAtStep?: number;
  /** The spec actually trained (regularisation removed). */
  spec: ModelSpec;
  seconds: number;
  /** Likely causes of a failure, most likely first; empty on PASS. */
  causes: string[];
  history: EpochMetrics[];
}

/** The spec with regularisation removed: no dropout, no L2. Batch norm stays (it is architecture). */
export function unregularised(spec: ModelSpec): ModelSpec {
  return { ...spec, dropout: 0, l2: 0 };
}

function reachedGoal(m: EpochMetrics): boolean {
  return m.trainAccuracy >= 1 || m.trainLoss < OVERFIT_LOSS_THRESHOLD;
}

/** The likely causes of a failed check, from the shape of the loss curve. */
export function explainFailure(
  r: Omit<OverfitResult, 'causes' | 'passed'>,
  classes: number,
): string[] {
  const causes: string[] = [];
  const chance = Math.log(classes);
  if (!Number.isFinite(r.finalLoss)) {
    causes.push(
      'the loss became NaN/Infinity: the learning rate is far too high (try --lr 1e-4), or inputs are not normalised',
    );
    return causes;
  }
  const fell = (r.initialLoss - r.finalLoss) / r.initialLoss;
  if (
    r.initialLoss > chance * INITIAL_LOSS_FACTOR ||
    r.initialLoss < chance / INITIAL_LOSS_FACTOR
  ) {
    causes.push(
      `the first loss was ${r.initialLoss.toFixed(3)}, far from ln(${classes}) = ${chance.toFixed(3)} expected from a fresh model: check the input normalisation (inputs should have mean ~0, std ~1) and the initialisation`,
    );
  }
  if (fell < STUCK_LOSS_FRACTION) {
    causes.push(
      `the loss barely moved (${r.initialLoss.toFixed(3)} -> ${r.finalLoss.toFixed(3)}): the learning rate is too low or much too high (run \`labkit lr-find\`), or gradients do not reach the weights`,
    );
  } else {
    causes.push(
      `the loss fell (${r.initialLoss.toFixed(3)} -> ${r.finalLoss.toFixed(3)}) but not far enough in ${r.steps} steps: raise the step budget (--overfit-steps) or the learning rate`,
    );
  }
  causes.push(
    'labels that do not belong to their images (a shuffled or misaligned label file) make memorising slow or impossible',
  );
  causes.push(`a model too small for ${r.images} images: widen the hidden layers (--hidden)`);
  return causes;
}

/** Runs the overfit check and returns PASS/FAIL with its numbers. */
export async function runOverfitCheck(options: OverfitOptions): Promise<OverfitResult> {
  const { images } = options;
  if (images.count < 1) throw new RangeError('the overfit check needs at least 1 image');
  const maxSteps = options.maxSteps ?? OVERFIT_DEFAULT_STEPS;
  if (!Number.isInteger(maxSteps) || maxSteps < 1)
    throw new RangeError(`the step budget must be a whole number >= 1, got ${maxSteps}`);
  const spec = unregularised(options.spec);
  const seed = options.seed ?? 0;
  const batchSize = Math.min(images.count, OVERFIT_MAX_BATCH);
  const stats = channelStats(images);
  const train = imageSetSource(images, { batchSize, shuffle: true, seed, stats, augment: false });
  const evalSource = imageSetSource(images, {
    batchSize,
    shuffle: false,
    seed,
    stats,
    augment: false,
  });
  const epochs = Math.ceil(maxSteps / train.batchesPerEpoch);
  const model = buildModel(spec, seed);
  let passedAtStep: number | undefined;
  let steps = 0;
  let finalLoss = Number.NaN;
  let firstBatchLoss = Number.NaN;
  const started = performance.now();
  let history: EpochMetrics[] = [];
  try {
    const result = await fit(model, {
      classes: spec.classes,
      l2: 0,
      optimizer: options.optimizer ?? OVERFIT_DEFAULT_OPTIMIZER,
      epochs,
      seed,
      train,
      maxSteps,
      callbacks: [
        {
          onTrainBegin(ctx) {
            history = ctx.history;
          },
          onBatchEnd(info) {
            steps = info.step;
            if (info.step === 1) firstBatchLoss = info.loss;
          },
          onEpochEnd(metrics, ctx) {
            options.onEpoch?.(metrics, steps);
            if (reachedGoal(metrics)) {
              passedAtStep = steps;
              ctx.stopTraining = true;
            }
          },
        },
      ],
    });
    history = result.history;
    finalLoss = history[history.length - 1]?.trainLoss ?? Number.NaN;
  } catch (error) {
    // fit throws on a non-finite loss: that is a FAIL with a cause, not a crash.
    if (!(error instanceof TrainingDivergedError)) throw error;
    finalLoss = Number.NaN;
    steps += 1;
  }
  const inferenceAccuracy = Number.isFinite(finalLoss)
    ? evaluate(model, evalSource, spec.classes).accuracy
    : 0;
  model.dispose();
  const last = history[history.length - 1];
  const partial = {
    images: images.count,
    steps,
    maxSteps,
    finalLoss,
    finalAccuracy: last?.trainAccuracy ?? 0,
    initialLoss: history[0]?.trainLoss ?? firstBatchLoss,
    inferenceAccuracy,
    spec,
    seconds: (performance.now() - started) / 1000,
    history,
    ...(passedAtStep !== undefined ? { passedAtStep } : {}),
  };
  const passed = passedAtStep !== undefined;
  return { ...partial, passed, causes: passed ? [] : explainFailure(partial, spec.classes) };
}

/** The check's verdict for the terminal: a PASS/FAIL line, the numbers, and on FAIL the likely causes. */
export function formatOverfitResult(r: OverfitResult): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    r.passed
      ? `Overfit check: PASS — memorised ${r.images} image${r.images === 1 ? '' : 's'} in ${r.passedAtStep} of ${r.maxSteps} steps (${r.seconds.toFixed(1)} s)`
      : `Overfit check: FAIL — did not memorise ${r.images} image${r.images === 1 ? '' : 's'} within ${r.maxSteps} step${r.maxSteps === 1 ? '' : 's'} (${r.seconds.toFixed(1)} s)`,
    `  training loss ${r.initialLoss.toFixed(4)} -> ${r.finalLoss.toFixed(4)} (goal: accuracy 100% or loss < ${OVERFIT_LOSS_THRESHOLD}), training accuracy ${pct(r.finalAccuracy)}, inference-mode accuracy ${pct(r.inferenceAccuracy)}`,
    `  model: hidden ${r.spec.hidden.join(',')}, batch norm ${r.spec.batchNorm}, no dropout, no weight decay, no augmentation`,
  ];
  if (r.passed) {
    lines.push(
      '  The code can learn and the architecture can fit: next, run a search on ~1,000 images (`labkit search`).',
    );
  } else {
    lines.push('Likely causes:');
    for (const c of r.causes) lines.push(`  - ${c}`);
  }
  return `${lines.join('\n')}\n`;
}
