/** What a run that diverged records and what labkit says about it (no TF.js: `diagnose` reads it). */
import { type DivergencePoint, describeDivergence, type TrainingDivergedError } from './errors.js';
import { formatLoss } from './loss-format.js';
import { lastCheckpointEvalCommand } from './run-dir.js';

/**
 * Epochs complete (and batches of the next, when paused inside it) in a run's checkpoint, with
 * the losses of its last complete epoch: weights from before a divergence may already be useless.
 */
export interface CheckpointPlace {
  epochsDone: number;
  batchesDone?: number;
  trainLoss?: number;
  valLoss?: number | null;
}

/** Where a run diverged, as `run.json` stores it (JSON has no NaN: the loss is kept as a word). */
export interface RecordedDivergence extends Omit<DivergencePoint, 'loss'> {
  /** `NaN`, `Infinity` or `-Infinity`. */
  loss: string;
  /** The checkpoint the run kept, written before the divergence (null: none was written). */
  checkpoint: CheckpointPlace | null;
}

export function recordDivergence(
  error: TrainingDivergedError,
  checkpoint: CheckpointPlace | null,
): RecordedDivergence {
  return {
    loss: String(error.loss),
    epoch: error.epoch,
    step: error.step,
    lr: error.lr,
    ...(error.atEpochEnd ? { atEpochEnd: error.atEpochEnd } : {}),
    checkpoint,
  };
}

/** `loss is NaN at epoch 2, step 5 (learning rate 10)`. */
export function divergenceWords(at: RecordedDivergence): string {
  return describeDivergence({ ...at, loss: Number(at.loss) });
}

/** `epoch 2, step 5`, or `the end of epoch 1` when the loss went non-finite at an epoch's end. */
export function divergencePlace(at: RecordedDivergence): string {
  return at.atEpochEnd ? `the end of epoch ${at.epoch}` : `epoch ${at.epoch}, step ${at.step}`;
}

/** A learning rate ten times lower, in few digits (`--lr 0.0003`, not `0.00030000000000000003`). */
const lowerRate = (lr: number) => Number((lr / 10).toPrecision(3));

/** The way on from a diverged run, most useful first. */
export function divergedRunSteps(runDir: string, at: RecordedDivergence): string[] {
  const steps = [
    `start a new run with a lower --lr (e.g. --lr ${lowerRate(at.lr)}; 'labkit lr-find' helps choose it): a resume would repeat the same steps and diverge again`,
  ];
  if (at.checkpoint) {
    const { batchesDone, epochsDone, trainLoss, valLoss } = at.checkpoint;
    const losses =
      trainLoss === undefined
        ? ''
        : `; epoch ${epochsDone} ended with train loss ${formatLoss(trainLoss)}` +
          (valLoss == null ? '' : `, validation loss ${formatLoss(valLoss)}`);
    const place = batchesDone
      ? `batch ${batchesDone} of epoch ${epochsDone + 1}${losses}`
      : `the end of epoch ${epochsDone}${losses}`;
    steps.push(
      `its last checkpoint is from before the divergence (${place}); evaluate it with '${lastCheckpointEvalCommand(runDir)}'`,
    );
  }
  return steps;
}

/** One message for a command that needs a finished (or resumable) run and got a diverged one. */
export function divergedRunMessage(runDir: string, at: RecordedDivergence, what: string): string {
  return `${runDir} diverged: ${divergenceWords(at)}, so ${what}; ${divergedRunSteps(runDir, at).join('; ')}`;
}
