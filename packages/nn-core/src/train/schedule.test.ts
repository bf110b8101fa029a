import { describe, expect, it } from 'vitest';
import { learningRateAt, scheduleByName } from './schedule.js';

const clock = (step: number, stepsPerEpoch: number, totalSteps: number) => ({
  step,
  stepsPerEpoch,
  totalSteps,
});

describe('learningRateAt', () => {
  it('constant keeps the base rate', () => {
    expect(learningRateAt({ kind: 'constant' }, 0.01, clock(123, 10, 200))).toBe(0.01);
  });

  it('step multiplies by gamma every N epochs', () => {
    const s = { kind: 'step', everyEpochs: 2, gamma: 0.1 } as const;
    expect(learningRateAt(s, 0.1, clock(0, 10, 60))).toBe(0.1);
    expect(learningRateAt(s, 0.1, clock(19, 10, 60))).toBe(0.1); // last step of epoch 2
    expect(learningRateAt(s, 0.1, clock(20, 10, 60))).toBeCloseTo(0.01, 12); // first of epoch 3
    expect(learningRateAt(s, 0.1, clock(45, 10, 60))).toBeCloseTo(0.001, 12);
  });

  it('cosine goes from the base rate through half at mid-run to the floor at the last step', () => {
    const s = { kind: 'cosine', minFactor: 0 } as const;
    expect(learningRateAt(s, 2, clock(0, 10, 101))).toBe(2);
    expect(learningRateAt(s, 2, clock(50, 10, 101))).toBeCloseTo(1, 12);
    // (1 + cos(pi/4)) / 2 = 0.853553...
    expect(learningRateAt(s, 2, clock(25, 10, 101))).toBeCloseTo(2 * 0.8535533905932737, 12);
    expect(learningRateAt(s, 2, clock(100, 10, 101))).toBeCloseTo(0, 12);
    expect(learningRateAt({ kind: 'cosine', minFactor: 0.1 }, 2, clock(100, 10, 101))).toBeCloseTo(
      0.2,
      12,
    );
  });

  it('one-cycle matches PyTorch OneCycleLR(max_lr=1, total_steps=100) at its landmarks', () => {
    const s = scheduleByName('onecycle', 10);
    const at = (step: number) => learningRateAt(s, 1, clock(step, 10, 100));
    expect(at(0)).toBeCloseTo(1 / 25, 12); // initial_lr = max_lr / div_factor
    expect(at(29)).toBeCloseTo(1, 12); // peak at pct_start * total - 1
    expect(at(99)).toBeCloseTo(1 / 25 / 1e4, 12); // min_lr = initial_lr / final_div_factor
    // Halfway down (step 29 + 70/2 = 64) the cosine is at the mean of peak and floor.
    expect(at(64)).toBeCloseTo((1 + 4e-6) / 2, 12);
    // Rises monotonically, then falls monotonically.
    for (let i = 1; i <= 29; i++) expect(at(i)).toBeGreaterThan(at(i - 1));
    for (let i = 30; i < 100; i++) expect(at(i)).toBeLessThan(at(i - 1));
  });

  it('step schedule by name decays every third of the run', () => {
    expect(scheduleByName('step', 30)).toEqual({ kind: 'step', everyEpochs: 10, gamma: 0.1 });
    expect(scheduleByName('step', 1)).toEqual({ kind: 'step', everyEpochs: 1, gamma: 0.1 });
  });
});
