/** Test helpers: a training run small enough for unit tests (not part of the published package). */
import { DEFAULT_SPEC } from '../model/spec.js';
import type { TrainCallbacks } from './fit.js';
import type { TrainRunConfig } from './run.js';

/** A 3-epoch run of a tiny net with batch norm, dropout, flips and a validation split. */
export function tinyRunConfig(overrides: Partial<TrainRunConfig> = {}): TrainRunConfig {
  return {
    spec: { ...DEFAULT_SPEC, hidden: [8], batchNorm: 'before', dropout: 0.2 },
    optimizer: { kind: 'adam', lr: 0.01 },
    schedule: 'onecycle',
    epochs: 3,
    batchSize: 16,
    augment: 'flip',
    trainLimit: null,
    valSplit: 0.2,
    seed: 1,
    patience: null,
    test: true,
    partialData: true,
    ...overrides,
  };
}

/** A callback that asks training to stop after global step `step` (a mid-epoch pause). */
export function stopAfterStep(step: number): TrainCallbacks {
  return {
    onBatchEnd(batch, ctx) {
      if (batch.step === step) ctx.stopTraining = true;
    },
  };
}
