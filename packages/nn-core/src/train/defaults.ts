import type { Augmentation } from '../data/augment.js';
import type { OptimizerName } from './optimizer-names.js';
import type { ScheduleName } from './schedule.js';

/** The training settings of `labkit train`'s default recipe (the model is `DEFAULT_SPEC`). */
export interface TrainingDefaults {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  /** Peak learning rate. */
  lr: number;
  schedule: ScheduleName;
  augment: Augmentation;
  /** Fraction of the training images held out for validation. */
  valSplit: number;
  seed: number;
}

/** The default recipe's training settings; `labkit train --help` states them from here. */
export const DEFAULT_TRAINING: Readonly<TrainingDefaults> = Object.freeze({
  epochs: 30,
  batchSize: 128,
  optimizer: 'adam',
  lr: 0.001,
  schedule: 'onecycle',
  augment: 'flip',
  valSplit: 0.1,
  seed: 0,
});
