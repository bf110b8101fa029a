/**
 * The learning-rate range test (Smith 2017; fastai's `lr_find`, Lightning's `lr_find`): train a
 * few hundred steps with the rate growing exponentially, record the loss at each step, and suggest
 * the rate where the smoothed loss falls fastest. This module is the pure analysis; the training
 * steps come from the training loop.
 */

export interface LrRangeOptions {
  minLr: number;
  maxLr: number;
  steps: number;
}

/** Defaults as in Lightning's `lr_find` (1e-8 .. 1 over 100 steps), with more steps for a smoother curve. */
export const LR_RANGE_DEFAULTS: LrRangeOptions = { minLr: 1e-7, maxLr: 1, steps: 200 };
/** Weight of the running average in the loss smoothing (fastai uses 0.98 over more steps). */
export const LR_SMOOTHING_BETA = 0.9;
/** The test stops once the smoothed loss exceeds this multiple of its minimum (fastai: 4). */
export const LR_DIVERGENCE_FACTOR = 4;
/** Steps at the start ignored by the suggestion: the smoothed loss is still settling there. */
export const LR_SKIP_START = 10;

/** Rate for step `i` (0-based): `minLr * (maxLr / minLr) ** (i / (steps - 1))`. */
export function lrAtStep(options: LrRangeOptions, i: number): number {
  if (options.steps <= 1) return options.minLr;
  return options.minLr * (options.maxLr / options.minLr) ** (i / (options.steps - 1));
}

export function checkLrRange(options: LrRangeOptions): void {
  const { minLr, maxLr, steps } = options;
  if (!(minLr > 0) || !(maxLr > minLr))
    throw new RangeError(`need 0 < min LR < max LR, got ${minLr} and ${maxLr}`);
  if (!Number.isInteger(steps) || steps < LR_SKIP_START + 5) {
    throw new RangeError(`the range test needs at least ${LR_SKIP_START + 5} steps, got ${steps}`);
  }
}

/** Exponential moving average with bias correction (as fastai), so early values are not pulled to 0. */
export function smoothLosses(losses: readonly number[], beta = LR_SMOOTHING_BETA): number[] {
  let avg = 0;
  return losses.map((loss, i) => {
    avg = beta * avg + (1 - beta) * loss;
    return avg / (1 - beta ** (i + 1));
  });
}

/** True once the smoothed loss has blown up: the range test stops there. */
export function hasDiverged(smoothed: readonly number[]): boolean {
  const last = smoothed[smoothed.length - 1];
  if (last === undefined) return false;
  if (!Number.isFinite(last)) return true;
  return last > LR_DIVERGENCE_FACTOR * Math.min(...smoothed);
}

export interface LrSuggestion {
  /** Rate at the steepest fall of the smoothed loss (Lightning's suggestion). */
  steepest: number;
  /** Rate at the minimum of the smoothed loss. */
  minimumLr: number;
  /** `minimumLr / 10`, fastai's older rule of thumb. */
  minimumOver10: number;
  /** Index of the steepest point in the recorded arrays. */
  steepestIndex: number;
}

/**
 * Suggests a rate from recorded (rate, loss) pairs: the point of most negative slope of the smoothed
 * loss against log10(rate), looked for between the settled start and the loss minimum.
 */
export function suggestLearningRate(
  lrs: readonly number[],
  losses: readonly number[],
): LrSuggestion {
  if (lrs.length !== losses.length)
    throw new Error(`got ${lrs.length} rates but ${losses.length} losses`);
  const finite = losses.findIndex((l) => !Number.isFinite(l));
  const n = finite === -1 ? losses.length : finite;
  if (n < LR_SKIP_START + 3) {
    throw new Error(
      `the loss diverged after ${n} steps, too early to suggest a rate; lower the starting rate (--min-lr)`,
    );
  }
  const smoothed = smoothLosses(losses.slice(0, n));
  let minIndex = 0;
  for (let i = 1; i < n; i++)
    if ((smoothed[i] as number) < (smoothed[minIndex] as number)) minIndex = i;
  const x = lrs.slice(0, n).map(Math.log10);
  const end = Math.max(minIndex, LR_SKIP_START + 2);
  let steepestIndex = LR_SKIP_START;
  let steepestSlope = Infinity;
  for (let i = LR_SKIP_START; i < end; i++) {
    const slope =
      ((smoothed[i + 1] as number) - (smoothed[i - 1] as number)) /
      ((x[i + 1] as number) - (x[i - 1] as number));
    if (slope < steepestSlope) {
      steepestSlope = slope;
      steepestIndex = i;
    }
  }
  const minimumLr = lrs[minIndex] as number;
  return {
    steepest: lrs[steepestIndex] as number,
    minimumLr,
    minimumOver10: minimumLr / 10,
    steepestIndex,
  };
}
