/**
 * Successive halving (Jamieson & Talwalkar 2016; one bracket of Hyperband, Li et al. 2017) with
 * data size as the fidelity: every trial trains on a small subset, the best 1/eta train again on
 * eta times more images, and so on. Pure scheduling: the training is a callback.
 */

export interface Rung {
  /** Training images of every trial in this rung. */
  images: number;
  /** Epochs over those images. */
  epochs: number;
  /** Trials that train in this rung. */
  trials: number;
}

/**
 * The rungs for `trials` trials: `firstImages * eta^k` images (capped at `maxImages`) and
 * `ceil(trials / eta^k)` trials, while at least 2 trials are left to compare.
 */
export function halvingPlan(
  trials: number,
  firstImages: number,
  maxImages: number,
  eta: number,
  epochs: number,
): Rung[] {
  const whole = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min)
      throw new RangeError(`${name} must be a whole number >= ${min}, got ${v}`);
  };
  whole('trials', trials, 1);
  whole('firstImages', firstImages, 1);
  whole('maxImages', maxImages, firstImages);
  whole('epochs', epochs, 1);
  if (!(eta >= 2)) throw new RangeError(`eta must be >= 2, got ${eta}`);
  const rungs: Rung[] = [{ images: firstImages, epochs, trials }];
  for (;;) {
    const last = rungs[rungs.length - 1] as Rung;
    const next = Math.ceil(last.trials / eta);
    if (next < 2 || last.images >= maxImages) break;
    rungs.push({
      images: Math.min(maxImages, Math.round(last.images * eta)),
      epochs,
      trials: next,
    });
  }
  return rungs;
}

export interface TrialState<T, O> {
  index: number;
  trial: T;
  /** Outcome of each rung the trial trained in. */
  outcomes: O[];
}

/** Rung (0-based) a trial reached: it was pruned after it unless it is the last rung. */
export const reachedRung = (state: TrialState<unknown, unknown>) => state.outcomes.length - 1;

/** Runs `items` through `worker` with at most `concurrency` in flight, results in input order. */
export async function mapPool<I, R>(
  items: readonly I[],
  concurrency: number,
  worker: (item: I, slot: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from(
    { length: Math.max(1, Math.min(concurrency, items.length)) },
    async (_, slot) => {
      while (next < items.length) {
        const i = next++;
        results[i] = await worker(items[i] as I, slot);
      }
    },
  );
  await Promise.all(lanes);
  return results;
}

/**
 * Ranking: further rungs first, then by the last rung's score (lower is better; NaN last), ties by
 * trial index, so the order is fully determined by the outcomes.
 */
export function rankStates<T, O>(
  states: readonly TrialState<T, O>[],
  score: (outcome: O) => number,
): TrialState<T, O>[] {
  const s = (state: TrialState<T, O>) => {
    const last = state.outcomes.at(-1);
    const value = last === undefined ? Number.POSITIVE_INFINITY : score(last);
    return Number.isNaN(value) ? Number.POSITIVE_INFINITY : value;
  };
  return [...states].sort(
    (a, b) => reachedRung(b) - reachedRung(a) || s(a) - s(b) || a.index - b.index,
  );
}

/**
 * Runs successive halving. `train(trial, index, rung, slot)` trains a trial for one rung (from
 * scratch: each rung is its own budget). Returns every trial's state, best first.
 */
export async function successiveHalving<T, O>(
  trials: readonly T[],
  plan: readonly Rung[],
  train: (trial: T, index: number, rung: number, slot: number) => Promise<O>,
  score: (outcome: O) => number,
  options: {
    concurrency?: number;
    onRungEnd?: (rung: number, ranked: TrialState<T, O>[]) => void;
  } = {},
): Promise<TrialState<T, O>[]> {
  const states: TrialState<T, O>[] = trials.map((trial, index) => ({ index, trial, outcomes: [] }));
  let alive = states;
  for (let r = 0; r < plan.length; r++) {
    alive = alive.slice(0, (plan[r] as Rung).trials);
    await mapPool(alive, options.concurrency ?? 1, async (state, slot) => {
      state.outcomes[r] = await train(state.trial, state.index, r, slot);
    });
    alive = rankStates(alive, score);
    options.onRungEnd?.(r, alive);
  }
  return rankStates(states, score);
}
