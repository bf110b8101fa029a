import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  hasDiverged,
  LR_DIVERGENCE_FACTOR,
  lrAtStep,
  smoothLosses,
  suggestLearningRate,
} from './lr-range.js';

const range = { minLr: 1e-6, maxLr: 1, steps: 121 };
const lrs = Array.from({ length: range.steps }, (_, i) => lrAtStep(range, i));

describe('lrAtStep', () => {
  it('grows geometrically from minLr to maxLr', () => {
    expect(lrs[0]).toBeCloseTo(1e-6, 15);
    expect(lrs[120]).toBeCloseTo(1, 12);
    // 120 steps over 6 decades: 20 steps per decade.
    expect(lrs[20]).toBeCloseTo(1e-5, 15);
    expect((lrs[61] as number) / (lrs[60] as number)).toBeCloseTo(10 ** (1 / 20), 12);
  });
});

describe('smoothLosses', () => {
  it('is the bias-corrected moving average: a constant stays constant', () => {
    expect(smoothLosses([2, 2, 2, 2])).toEqual([2, 2, 2, 2].map((v) => expect.closeTo(v, 12)));
  });
  it('matches a hand calculation', () => {
    // beta 0.9: avg1 = 0.1*1 = 0.1 -> /0.1 = 1; avg2 = 0.09 + 0.3 = 0.39 -> /0.19
    const [a, b] = smoothLosses([1, 3], 0.9);
    expect(a).toBeCloseTo(1, 12);
    expect(b).toBeCloseTo(0.39 / 0.19, 12);
  });
});

describe('suggestLearningRate', () => {
  // A synthetic range test: loss falls as a logistic in log10(lr) centred at 1e-3 (steepest there),
  // then blows up past 1e-1.
  const loss = (lr: number) => {
    const t = Math.log10(lr);
    return 2.3 - 1.5 / (1 + Math.exp(-3 * (t + 3))) + (t > -1 ? 10 * (t + 1) ** 2 : 0);
  };
  it('finds the steepest fall of a known curve', () => {
    const s = suggestLearningRate(lrs, lrs.map(loss));
    // Smoothing lags the curve by a few steps (at 20 steps/decade a few steps is ~1.5x).
    expect(s.steepest).toBeGreaterThan(1e-3);
    expect(s.steepest).toBeLessThan(1e-3 * 2.5);
    expect(s.minimumLr).toBeGreaterThan(1e-2);
    expect(s.minimumLr).toBeLessThan(0.3);
    expect(s.minimumOver10).toBeCloseTo(s.minimumLr / 10, 15);
  });
  it('ignores everything after a non-finite loss', () => {
    const losses = lrs.map((lr, i) => (i > 90 ? Number.NaN : loss(lr)));
    expect(suggestLearningRate(lrs, losses).steepest).toBeLessThan(2.5e-3);
  });
  it('refuses a run that diverged at once', () => {
    expect(() =>
      suggestLearningRate(
        lrs,
        lrs.map((_, i) => (i > 5 ? Number.NaN : 2)),
      ),
    ).toThrow(/diverged after 6 steps/);
  });
});

describe('hasDiverged', () => {
  it(`stops once the smoothed loss exceeds ${LR_DIVERGENCE_FACTOR}x its minimum`, () => {
    expect(hasDiverged([2, 1, 3.9])).toBe(false);
    expect(hasDiverged([2, 1, 4.1])).toBe(true);
    expect(hasDiverged([2, Number.POSITIVE_INFINITY])).toBe(true);
  });
});

describe('against an independent numpy computation', () => {
  it('smooths and finds the steepest point as scripts/lr-find-reference.py does', () => {
    const ref = JSON.parse(
      readFileSync(new URL('./fixtures/lr-find-reference.json', import.meta.url), 'utf8'),
    ) as {
      lrs: number[];
      losses: number[];
      smoothed: number[];
      minIndex: number;
      steepestIndex: number;
    };
    smoothLosses(ref.losses).forEach((v, i) => {
      expect(v).toBeCloseTo(ref.smoothed[i] as number, 12);
    });
    const s = suggestLearningRate(ref.lrs, ref.losses);
    expect(s.steepestIndex).toBe(ref.steepestIndex);
    expect(s.steepest).toBe(ref.lrs[ref.steepestIndex]);
    expect(s.minimumLr).toBe(ref.lrs[ref.minIndex]);
  });
});
