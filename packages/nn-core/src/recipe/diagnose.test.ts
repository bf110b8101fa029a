import { describe, expect, it } from 'vitest';
import {
  diagnose,
  type EpochPoint,
  formatDiagnosis,
  IMPROVEMENT_MIN_RELATIVE_DROP,
  OVERFIT_MIN_TRAIN_LOSS_DROP,
  UNDERFIT_MAX_TRAIN_ACCURACY,
} from './diagnose.js';

/** Builds epochs 1..n from formulas of the epoch number. */
function curves(
  n: number,
  f: {
    trainLoss: (e: number) => number;
    valLoss?: (e: number) => number;
    trainAcc: (e: number) => number;
    valAcc?: (e: number) => number;
  },
): EpochPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const e = i + 1;
    return {
      epoch: e,
      trainLoss: f.trainLoss(e),
      trainAccuracy: f.trainAcc(e),
      ...(f.valLoss ? { valLoss: f.valLoss(e) } : {}),
      ...(f.valAcc ? { valAccuracy: f.valAcc(e) } : {}),
    };
  });
}

describe('diagnose on synthetic curves', () => {
  it('overfit: finds the epoch where validation loss bottoms out while training loss keeps falling', () => {
    // Validation loss is a parabola with its minimum at epoch 7; training loss decays throughout.
    const points = curves(20, {
      trainLoss: (e) => 2 * Math.exp(-0.15 * e),
      valLoss: (e) => 1.3 + 0.01 * (e - 7) ** 2,
      trainAcc: (e) => 0.3 + 0.03 * e,
      valAcc: () => 0.5,
    });
    const d = diagnose(points);
    expect(d.verdict).toBe('overfit');
    expect(d.overfitFromEpoch).toBe(7);
    expect(d.bestEpoch).toBe(7);
    expect(d.summary).toContain('after epoch 7');
    expect(d.nextSteps.join(' ')).toContain('dropout 0.5');
    expect(d.nextSteps.join(' ')).toContain('--augment');
  });

  it('overfit advice does not repeat regularisation already in place', () => {
    const points = curves(12, {
      trainLoss: (e) => 2 / e,
      valLoss: (e) => 1 + 0.02 * (e - 4) ** 2,
      trainAcc: () => 0.7,
      valAcc: () => 0.55,
    });
    const d = diagnose(points, { dropout: 0.5, augment: true });
    expect(d.verdict).toBe('overfit');
    expect(d.nextSteps.join(' ')).not.toContain('--dropout');
    expect(d.nextSteps.join(' ')).not.toContain('--augment');
    expect(d.nextSteps[0]).toContain('weight decay');
  });

  it('underfit: both curves flat at a low training accuracy', () => {
    const points = curves(15, {
      trainLoss: (e) => 1.9 + 0.4 * Math.exp(-e),
      valLoss: (e) => 1.95 + 0.4 * Math.exp(-e),
      trainAcc: () => 0.32,
      valAcc: () => 0.3,
    });
    const d = diagnose(points, { dropout: 0.5 });
    expect(d.verdict).toBe('underfit');
    expect(d.nextSteps.join(' ')).toContain('capacity');
    expect(d.nextSteps[0]).toContain('reduce regularisation');
  });

  it('underfit but fitting beyond validation under its regularisation: whiten, train longer, widen; keep the regularisation', () => {
    // The default recipe's run: train 69.6% with dropout and flips on, validation 62.8%, one-cycle.
    const points = curves(30, {
      trainLoss: (e) => 0.85 + 0.4 * Math.exp(-e / 3),
      valLoss: (e) => 1.08 + 0.4 * Math.exp(-e / 3),
      trainAcc: () => 0.696,
      valAcc: () => 0.628,
    });
    const context = {
      dropout: 0.3,
      augment: true,
      epochs: 30,
      annealed: true,
      hidden: [1024, 512],
    };
    const d = diagnose(points, context);
    expect(d.verdict).toBe('underfit');
    expect(d.nextSteps.join(' ')).not.toContain('reduce regularisation');
    expect(d.nextSteps[0]).toContain('--whiten zca');
    expect(d.nextSteps[1]).toContain('--epochs 51');
    expect(d.nextSteps[2]).toContain('--hidden 2048,1024');
    expect(diagnose(points, { ...context, whitened: true }).nextSteps[0]).toContain('--epochs 51');
  });

  it('still improving: validation loss falls steadily to the last epoch', () => {
    const points = curves(10, {
      trainLoss: (e) => 2 * Math.exp(-0.05 * e),
      valLoss: (e) => 2.1 * Math.exp(-0.04 * e),
      trainAcc: (e) => 0.2 + 0.02 * e,
      valAcc: (e) => 0.2 + 0.018 * e,
    });
    const d = diagnose(points, { epochs: 10 });
    expect(d.verdict).toBe('still-improving');
    expect(d.nextSteps[0]).toContain('--epochs 20');
  });

  it('still improving with a large train/validation gap: warns and advises regularisation first', () => {
    // As a real 8-epoch run: validation loss still creeping down, training accuracy far ahead.
    const points = curves(8, {
      trainLoss: (e) => 2.1 - 0.17 * e,
      valLoss: (e) => 2.1 - 0.045 * e,
      trainAcc: (e) => 0.25 + 0.07 * e,
      valAcc: (e) => 0.33 + 0.01 * e,
    });
    const d = diagnose(points, { epochs: 8, dropout: 0, augment: false });
    expect(d.verdict).toBe('still-improving');
    expect(d.summary).toContain('overfitting has begun');
    expect(d.nextSteps[0]).toContain('dropout 0.5');
    expect(d.nextSteps[d.nextSteps.length - 1]).toContain('--epochs 18');
  });

  it('fine: flat validation loss, high training accuracy, small gap', () => {
    const points = curves(10, {
      trainLoss: () => 0.3,
      valLoss: () => 0.35,
      trainAcc: () => 0.92,
      valAcc: () => 0.88,
    });
    expect(diagnose(points).verdict).toBe('fine');
  });

  it('overfit by accuracy gap when everything is flat but the model memorised the training set', () => {
    const points = curves(10, {
      trainLoss: () => 0.05,
      valLoss: () => 1.4,
      trainAcc: () => 0.99,
      valAcc: () => 0.55,
    });
    const d = diagnose(points);
    expect(d.verdict).toBe('overfit');
    expect(d.summary).toContain('44.0%');
  });

  it('unstable: a NaN loss or a training loss that climbs back', () => {
    const nan = curves(5, {
      trainLoss: (e) => (e >= 4 ? Number.NaN : 2),
      valLoss: () => 2,
      trainAcc: () => 0.1,
      valAcc: () => 0.1,
    });
    const dNan = diagnose(nan);
    expect(dNan.verdict).toBe('unstable');
    expect(dNan.summary).toContain('epoch 4');
    const rising = curves(6, {
      trainLoss: (e) => [2, 1.5, 1.4, 1.8, 2.1, 2.3][e - 1] as number,
      valLoss: () => 2,
      trainAcc: () => 0.3,
      valAcc: () => 0.3,
    });
    const dRise = diagnose(rising);
    expect(dRise.verdict).toBe('unstable');
    expect(dRise.nextSteps[0]).toContain('lower the learning rate');
  });

  it('inconclusive without a validation curve or with too few epochs', () => {
    expect(diagnose([]).verdict).toBe('inconclusive');
    expect(diagnose(curves(5, { trainLoss: (e) => 2 / e, trainAcc: () => 0.5 })).verdict).toBe(
      'inconclusive',
    );
    expect(
      diagnose(
        curves(2, {
          trainLoss: (e) => 2 / e,
          valLoss: (e) => 2 / e,
          trainAcc: () => 0.5,
          valAcc: () => 0.5,
        }),
      ).verdict,
    ).toBe('inconclusive');
  });

  it('thresholds: a training-loss drop just under the limit is not overfitting, just over it is', () => {
    const make = (drop: number) =>
      curves(8, {
        // Validation loss is lowest at epoch 4; training loss falls by `drop` (relative) after it.
        trainLoss: (e) => (e <= 4 ? 1 : 1 - drop * ((e - 4) / 4)),
        valLoss: (e) => (e === 4 ? 1 : 1.05),
        trainAcc: () => 0.9,
        valAcc: () => 0.88,
      });
    expect(diagnose(make(OVERFIT_MIN_TRAIN_LOSS_DROP * 0.9)).verdict).not.toBe('overfit');
    expect(diagnose(make(OVERFIT_MIN_TRAIN_LOSS_DROP * 1.1)).verdict).toBe('overfit');
  });

  it('thresholds: improvement just under the limit is a plateau', () => {
    const make = (drop: number) =>
      curves(6, {
        trainLoss: () => 0.5,
        valLoss: (e) => (e < 6 ? 1 : 1 - drop),
        trainAcc: () => UNDERFIT_MAX_TRAIN_ACCURACY - 0.1,
        valAcc: () => UNDERFIT_MAX_TRAIN_ACCURACY - 0.12,
      });
    expect(diagnose(make(IMPROVEMENT_MIN_RELATIVE_DROP * 0.9)).verdict).toBe('underfit');
    expect(diagnose(make(IMPROVEMENT_MIN_RELATIVE_DROP * 1.1)).verdict).toBe('still-improving');
  });

  it('rejects epochs that do not increase', () => {
    expect(() =>
      diagnose([
        { epoch: 2, trainLoss: 1, trainAccuracy: 0.1 },
        { epoch: 2, trainLoss: 1, trainAccuracy: 0.1 },
      ]),
    ).toThrow(/epochs must increase/);
  });

  it('formats a readable block', () => {
    const text = formatDiagnosis(
      diagnose(
        curves(10, {
          trainLoss: () => 0.3,
          valLoss: () => 0.35,
          trainAcc: () => 0.92,
          valAcc: () => 0.88,
        }),
      ),
    );
    expect(text).toMatch(/^Diagnosis: CONVERGED\n/);
    expect(text).toContain('Next step (the recipe):');
    expect(text).toContain('92.0% vs validation 88.0% (gap 4.0%)');
  });
});

describe('no validation curve', () => {
  const flat = curves(5, { trainLoss: (e) => 2 / e, trainAcc: (e) => 0.1 * e });

  it('asks for a validation split only when none was asked for', () => {
    expect(diagnose(flat, { valSplit: 0 }).nextSteps).toEqual([
      'train with a validation split (e.g. --val-split 0.1)',
    ]);
  });

  it('asks for more images when the split was set but the images were too few', () => {
    const steps = diagnose(flat, { valSplit: 0.1, trainImages: 5 }).nextSteps;
    expect(steps).toEqual([
      '--val-split 0.1 of 5 training images held out no validation image: train on more images (a larger --train-limit)',
    ]);
  });
});
