import { formatLoss } from './loss-format.js';

/** Where a run diverged: the non-finite loss and the step whose update produced it. */
export interface DivergencePoint {
  /** The non-finite loss (NaN or +/-Infinity). */
  loss: number;
  /** 1-based epoch and optimizer step (counted over the whole run) where it happened. */
  epoch: number;
  step: number;
  /** The learning rate of that step. */
  lr: number;
  /** The loss that went non-finite was the validation loss (or the epoch's mean training loss) at the epoch's end. */
  atEpochEnd?: 'validation' | 'training';
}

/** `loss is NaN at epoch 2, step 5 (learning rate 10)`: where a run diverged, in words. */
export function describeDivergence(at: DivergencePoint): string {
  const loss = formatLoss(at.loss);
  if (at.atEpochEnd) {
    return `${at.atEpochEnd} loss is ${loss} at the end of epoch ${at.epoch} (after step ${at.step}, learning rate ${at.lr})`;
  }
  return `loss is ${loss} at epoch ${at.epoch}, step ${at.step} (learning rate ${at.lr})`;
}

/**
 * Training stopped on a non-finite loss. Callers that treat divergence as an outcome (the overfit
 * check, the learning-rate finder, search trials) catch this class; anything else is a real error.
 */
export class TrainingDivergedError extends Error {
  override name = 'TrainingDivergedError';
  /** The non-finite loss (NaN or +/-Infinity). */
  readonly loss: number;
  /** 1-based epoch and optimizer step (counted over the whole run) where it happened. */
  readonly epoch: number;
  readonly step: number;
  /** The learning rate of that step. */
  readonly lr: number;
  /** Set when the non-finite loss was measured at the epoch's end rather than on a step. */
  readonly atEpochEnd?: 'validation' | 'training';

  constructor(at: DivergencePoint) {
    super(`training diverged: ${describeDivergence(at)}; try a lower --lr`);
    this.loss = at.loss;
    this.epoch = at.epoch;
    this.step = at.step;
    this.lr = at.lr;
    if (at.atEpochEnd) this.atEpochEnd = at.atEpochEnd;
  }
}
