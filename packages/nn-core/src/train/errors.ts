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

  constructor(at: { loss: number; epoch: number; step: number; lr: number }) {
    super(
      `training diverged: loss is ${at.loss} at epoch ${at.epoch}, step ${at.step} (learning rate ${at.lr}); try a lower --lr`,
    );
    this.loss = at.loss;
    this.epoch = at.epoch;
    this.step = at.step;
    this.lr = at.lr;
  }
}
