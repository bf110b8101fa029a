/**
 * Diagnosis of a training run from its recorded per-epoch curves, following the recipe: prove the
 * model can fit, then watch training against validation loss; when training loss keeps falling
 * while validation loss stalls, regularise (dropout 0.5, augmentation).
 *
 * Every threshold below is a named constant so that the verdicts are explainable and testable.
 */

/** One epoch of a training run. Accuracies are fractions in [0, 1]. */
export interface EpochPoint {
  /** 1-based epoch number. */
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss?: number;
  valAccuracy?: number;
}

/** What the run used, so the advice does not repeat what is already in place. All optional. */
export interface RunContext {
  dropout?: number;
  augment?: boolean;
  weightDecay?: number;
  learningRate?: number;
  epochs?: number;
  /** Inputs were whitened (ZCA). */
  whitened?: boolean;
  /** The schedule anneals the rate to about 0 at the end (one-cycle, cosine): a final plateau is its doing. */
  annealed?: boolean;
  /** Hidden layer widths. */
  hidden?: readonly number[];
  /** The share of the training images held out for validation, and how many images there were. */
  valSplit?: number;
  trainImages?: number;
}

export type Verdict =
  | 'overfit'
  | 'underfit'
  | 'still-improving'
  | 'fine'
  | 'unstable'
  | 'inconclusive'
  /** The run stopped on a NaN or infinite loss (from its record; curves alone say `unstable`). */
  | 'diverged';

export interface Diagnosis {
  verdict: Verdict;
  /** One plain sentence. */
  summary: string;
  /** The numbers behind the verdict, in words. */
  evidence: string[];
  /** What the recipe says to do next, most important first. */
  nextSteps: string[];
  /** Epoch (1-based) with the lowest validation loss, when there is a validation curve. */
  bestEpoch?: number;
  /** For `overfit`: last epoch at which validation loss improved while training loss kept falling after it. */
  overfitFromEpoch?: number;
}

/** Fewer epochs than this cannot show a trend. */
export const MIN_EPOCHS_TO_JUDGE = 3;
/** Overfitting needs validation loss to have stopped improving for at least this many epochs ... */
export const OVERFIT_PATIENCE_EPOCHS = 2;
/** ... while training loss fell by at least this fraction since the best validation epoch. */
export const OVERFIT_MIN_TRAIN_LOSS_DROP = 0.05;
/** A final train - validation accuracy gap this large (fraction) on a plateau also counts as overfitting. */
export const OVERFIT_ACCURACY_GAP = 0.1;
/** Validation loss "still improves" if its minimum over the last window fell by this fraction. */
export const IMPROVEMENT_MIN_RELATIVE_DROP = 0.01;
/** Number of most recent epochs the improvement test looks at. */
export const IMPROVEMENT_WINDOW_EPOCHS = 3;
/** On a plateau, training accuracy below this (fraction) means the model does not fit its data: underfit. */
export const UNDERFIT_MAX_TRAIN_ACCURACY = 0.8;
/** Training loss ending this fraction above its minimum (and by UNSTABLE_MIN_ABSOLUTE_RISE) is unstable. */
export const UNSTABLE_RELATIVE_RISE = 0.25;
export const UNSTABLE_MIN_ABSOLUTE_RISE = 0.05;
/**
 * Below this training accuracy (fraction, measured with dropout and augmentation on) an underfit
 * model cannot fit even its training data: its regularisation goes first. Above it, and ahead of
 * validation, the regularisation is not what holds it back.
 */
export const UNDERFIT_REGULARISATION_BAR = 0.5;
/** Dropout the recipe recommends once a model overfits. */
export const RECIPE_DROPOUT = 0.5;

const pct = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;
const num = (x: number) => (Math.abs(x) >= 0.01 ? x.toFixed(3) : x.toPrecision(3));

function checkPoints(points: readonly EpochPoint[]): void {
  points.forEach((p, i) => {
    if (!Number.isInteger(p.epoch) || p.epoch < 1) {
      throw new Error(`diagnose: point ${i} has epoch ${p.epoch}; epochs are whole numbers from 1`);
    }
    if (i > 0 && p.epoch <= (points[i - 1] as EpochPoint).epoch) {
      throw new Error(
        `diagnose: epochs must increase; epoch ${p.epoch} follows ${(points[i - 1] as EpochPoint).epoch}`,
      );
    }
  });
}

function indexOfMin(values: readonly number[]): number {
  let best = 0;
  values.forEach((v, i) => {
    if (v < (values[best] as number)) best = i;
  });
  return best;
}

function overfitSteps(context: RunContext, bestEpoch: number): string[] {
  const steps: string[] = [];
  if ((context.dropout ?? 0) < RECIPE_DROPOUT) {
    steps.push(
      `add dropout ${RECIPE_DROPOUT} after the hidden activations (--dropout ${RECIPE_DROPOUT})`,
    );
  }
  if (!context.augment)
    steps.push('add data augmentation: random crops and horizontal flips (--augment)');
  if (steps.length === 0) {
    steps.push('add L2 weight decay, or use a smaller model; more training data also helps');
  }
  steps.push(`keep the weights from epoch ${bestEpoch} (early stopping restores the best epoch)`);
  return steps;
}

/**
 * The next experiments for an underfitting run, in the order the measurements in the README
 * support: on the default recipe (train 69.6% under dropout and flips, validation 62.8%), ZCA
 * whitening and longer training each raised test accuracy, while removing the flips lowered it.
 */
function underfitSteps(context: RunContext, last: EpochPoint): string[] {
  const steps: string[] = [];
  const regularised =
    (context.dropout ?? 0) > 0 || (context.weightDecay ?? 0) > 0 || context.augment;
  const heldBack =
    last.trainAccuracy < UNDERFIT_REGULARISATION_BAR ||
    last.trainAccuracy <= (last.valAccuracy ?? 0);
  if (regularised && heldBack) {
    steps.push(
      'reduce regularisation first (lower --dropout, weight decay, no --augment): the model cannot yet fit its training data',
    );
  }
  if (!context.whitened) {
    steps.push(
      'whiten the inputs (--whiten zca): decorrelated pixels are easier for a fully connected net to use',
    );
  }
  if (context.annealed && context.epochs !== undefined) {
    steps.push(
      `train longer (--epochs ${Math.round(context.epochs * 1.7)}): the schedule's decay, not the model, flattened the curves`,
    );
  }
  const widths = context.hidden ?? [];
  const wider = widths.length > 0 ? widths.map((w) => w * 2).join(',') : '1024,512';
  steps.push(`add capacity: wider or more hidden layers (e.g. --hidden ${wider})`);
  steps.push(
    'check the learning rate with `labkit lr-find`; a rate too low also looks like underfitting',
  );
  return steps;
}

/**
 * Reads the curves and gives a verdict with its evidence and the recipe's next step.
 * Decision order: unstable (NaN or rising training loss), inconclusive (too short or no
 * validation curve), overfit, still improving, then on a plateau underfit / overfit-by-gap / fine.
 */
export function diagnose(points: readonly EpochPoint[], context: RunContext = {}): Diagnosis {
  checkPoints(points);
  const n = points.length;
  if (n === 0) {
    return {
      verdict: 'inconclusive',
      summary: 'No epochs were recorded, so there is nothing to diagnose.',
      evidence: [],
      nextSteps: ['train for at least 3 epochs with a validation split'],
    };
  }
  const last = points[n - 1] as EpochPoint;
  const trainLoss = points.map((p) => p.trainLoss);

  const badEpoch = points.find((p) => !Number.isFinite(p.trainLoss));
  if (badEpoch) {
    return {
      verdict: 'unstable',
      summary: `Training diverged: training loss became ${badEpoch.trainLoss} at epoch ${badEpoch.epoch}.`,
      evidence: [`training loss is not a finite number from epoch ${badEpoch.epoch}`],
      nextSteps: [
        'lower the learning rate 3-10x (run `labkit lr-find` to choose it)',
        'check the input normalisation: inputs should have mean about 0 and std about 1',
      ],
    };
  }

  const minTrainIndex = indexOfMin(trainLoss);
  const minTrain = trainLoss[minTrainIndex] as number;
  const rise = last.trainLoss - minTrain;
  if (rise >= UNSTABLE_MIN_ABSOLUTE_RISE && rise >= UNSTABLE_RELATIVE_RISE * minTrain) {
    return {
      verdict: 'unstable',
      summary: `Training is unstable: training loss rose from ${num(minTrain)} at epoch ${points[minTrainIndex]?.epoch} to ${num(last.trainLoss)} at epoch ${last.epoch}.`,
      evidence: [
        `training loss ended ${pct(rise / minTrain)} above its minimum (threshold ${pct(UNSTABLE_RELATIVE_RISE)})`,
      ],
      nextSteps: [
        'lower the learning rate 3-10x, or use a decaying schedule (cosine or one-cycle)',
        'run `labkit lr-find` to choose a rate below the point where the loss starts to climb',
      ],
    };
  }

  const valPoints = points.filter((p) => p.valLoss !== undefined && Number.isFinite(p.valLoss));
  if (valPoints.length !== n) {
    return {
      verdict: 'inconclusive',
      summary: 'There is no validation curve, so under- and overfitting cannot be told apart.',
      evidence: [`${valPoints.length} of ${n} epochs have a finite validation loss`],
      nextSteps: [
        context.valSplit
          ? `--val-split ${context.valSplit} of ${context.trainImages ?? 'the'} training images held out no validation image: train on more images (a larger --train-limit)`
          : 'train with a validation split (e.g. --val-split 0.1)',
      ],
    };
  }
  if (n < MIN_EPOCHS_TO_JUDGE) {
    return {
      verdict: 'inconclusive',
      summary: `Only ${n} epoch${n === 1 ? '' : 's'} recorded; at least ${MIN_EPOCHS_TO_JUDGE} are needed to see a trend.`,
      evidence: [],
      nextSteps: [`train for more epochs (the recipe watches about 20)`],
    };
  }

  const valLoss = points.map((p) => p.valLoss as number);
  const bestIndex = indexOfMin(valLoss);
  const best = points[bestIndex] as EpochPoint;
  const bestVal = valLoss[bestIndex] as number;
  const epochsSinceBest = n - 1 - bestIndex;
  const trainDrop = (best.trainLoss - last.trainLoss) / best.trainLoss;
  const gap = last.trainAccuracy - (last.valAccuracy ?? Number.NaN);
  const gapText = Number.isFinite(gap)
    ? `final training accuracy ${pct(last.trainAccuracy)} vs validation ${pct(last.valAccuracy as number)} (gap ${pct(gap)})`
    : `final training accuracy ${pct(last.trainAccuracy)}`;
  const bestText = `lowest validation loss ${num(bestVal)} at epoch ${best.epoch} of ${last.epoch}`;

  if (epochsSinceBest >= OVERFIT_PATIENCE_EPOCHS && trainDrop >= OVERFIT_MIN_TRAIN_LOSS_DROP) {
    return {
      verdict: 'overfit',
      summary: `Overfitting: validation loss stopped improving after epoch ${best.epoch} while training loss kept falling.`,
      evidence: [
        bestText,
        `since then training loss fell ${pct(trainDrop)} (${num(best.trainLoss)} -> ${num(last.trainLoss)}) while validation loss went ${num(bestVal)} -> ${num(last.valLoss as number)}`,
        gapText,
      ],
      nextSteps: overfitSteps(context, best.epoch),
      bestEpoch: best.epoch,
      overfitFromEpoch: best.epoch,
    };
  }

  const window = Math.min(IMPROVEMENT_WINDOW_EPOCHS, n - 1);
  const before = valLoss[n - 1 - window] as number;
  const recentMin = Math.min(...valLoss.slice(n - window));
  const recentDrop = (before - recentMin) / before;
  if (recentDrop >= IMPROVEMENT_MIN_RELATIVE_DROP) {
    const epochs = context.epochs ?? last.epoch;
    const longer = `train longer (e.g. --epochs ${Math.max(epochs * 2, epochs + 10)}) and watch for validation loss to flatten`;
    const gapWarning = Number.isFinite(gap) && gap >= OVERFIT_ACCURACY_GAP;
    return {
      verdict: 'still-improving',
      summary: gapWarning
        ? `Still improving (validation loss fell ${pct(recentDrop)} over the last ${window} epochs), but training accuracy is already ${pct(gap)} above validation accuracy: overfitting has begun.`
        : `Still improving: validation loss fell ${pct(recentDrop)} over the last ${window} epochs.`,
      evidence: [bestText, gapText],
      nextSteps: gapWarning
        ? [...overfitSteps(context, best.epoch).slice(0, -1), longer]
        : [longer],
      bestEpoch: best.epoch,
    };
  }

  if (Number.isFinite(gap) && gap >= OVERFIT_ACCURACY_GAP) {
    return {
      verdict: 'overfit',
      summary: `Overfitting: validation loss has flattened since epoch ${best.epoch} and training accuracy is ${pct(gap)} above validation accuracy.`,
      evidence: [bestText, gapText, `the gap threshold is ${pct(OVERFIT_ACCURACY_GAP)}`],
      nextSteps: overfitSteps(context, best.epoch),
      bestEpoch: best.epoch,
      overfitFromEpoch: best.epoch,
    };
  }

  if (last.trainAccuracy < UNDERFIT_MAX_TRAIN_ACCURACY) {
    return {
      verdict: 'underfit',
      summary: `Underfitting: both losses have flattened with training accuracy only ${pct(last.trainAccuracy)}.`,
      evidence: [
        bestText,
        gapText,
        `training accuracy is below ${pct(UNDERFIT_MAX_TRAIN_ACCURACY)} on a plateau`,
      ],
      nextSteps: underfitSteps(context, last),
      bestEpoch: best.epoch,
    };
  }

  return {
    verdict: 'fine',
    summary:
      'Converged: validation loss has flattened, the model fits its training data, and the train/validation gap is small.',
    evidence: [bestText, gapText],
    nextSteps: [
      'this configuration is done; to go further try a larger model with dropout 0.5 and augmentation, or a one-cycle schedule',
    ],
    bestEpoch: best.epoch,
  };
}

/** Each verdict's name as `labkit diagnose` prints it. */
export const VERDICT_TITLE: Readonly<Record<Verdict, string>> = {
  overfit: 'OVERFITTING',
  underfit: 'UNDERFITTING',
  'still-improving': 'STILL IMPROVING',
  fine: 'CONVERGED',
  unstable: 'UNSTABLE',
  inconclusive: 'INCONCLUSIVE',
  diverged: 'DIVERGED',
};

/** Plain-text block for the terminal: verdict, evidence, next steps. */
export function formatDiagnosis(d: Diagnosis): string {
  const lines = [`Diagnosis: ${VERDICT_TITLE[d.verdict]}`, `  ${d.summary}`];
  for (const e of d.evidence) lines.push(`  - ${e}`);
  if (d.nextSteps.length > 0) {
    lines.push('Next step (the recipe):');
    for (const s of d.nextSteps) lines.push(`  -> ${s}`);
  }
  return `${lines.join('\n')}\n`;
}
