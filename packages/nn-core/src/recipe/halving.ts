/**
 * Successive halving (Jamieson & Talwalkar 2016; one bracket of Hyperband, Li et al. 2017): train
 * every trial for a small budget, keep the best 1/eta, train those eta times longer, and so on, so
 * that bad configurations stop early. Pure scheduling: the training is a callback.
 */

export interface Rung {
  /** Total epochs a trial has trained for at the end of this rung. */
  epochs: number;
  /** Trials that train in this rung. */
  trials: number;
}

/**
 * The rungs for `trials` trials: budgets `minEpochs * eta^k` capped at `maxEpochs` (the last rung
 * always reaches `maxEpochs`), keeping `ceil(n / eta)` trials from one rung to the next.
 */
export function halvingPlan(trials: number, minEpochs: number, maxEpochs: number, eta = 3): Rung[] {
  if (!Number.isInteger(trials) || trials < 1)
    throw new RangeError(`trials must be a whole number >= 1, got ${trials}`);
  if (!Number.isInteger(minEpochs) || minEpochs < 1)
    throw new RangeError(`minEpochs must be a whole number >= 1, got ${minEpochs}`);
  if (!Number.isInteger(maxEpochs) || maxEpochs < minEpochs) {
    throw new RangeError(
      `maxEpochs must be a whole number >= minEpochs (${minEpochs}), got ${maxEpochs}`,
    );
  }
  if (!(eta >= 2)) throw new RangeError(`eta must be >= 2, got ${eta}`);
  const rungs: Rung[] = [];
  let epochs = minEpochs;
  let n = trials;
  for (;;) {
    rungs.push({ epochs, trials: n });
    if (epochs >= maxEpochs || n === 1) break;
    epochs = Math.min(maxEpochs, Math.round(epochs * eta));
    n = Math.max(1, Math.ceil(n / eta));
  }
  const last = rungs[rungs.length - 1] as Rung;
  last.epochs = maxEpochs;
  return rungs;
}

/** What one rung of training reports for a trial. Lower `score` is better (validation loss). */
export interface RungOutcome {
  score: number;
  [key: string]: unknown;
}

export interface TrialState<T, O extends RungOutcome> {
  index: number;
  trial: T;
  /** Outcome of the last rung the trial trained in. */
  outcome?: O;
  /** Rung (0-based) the trial reached; it was pruned after it unless it is the last rung. */
  rung: number;
  epochs: number;
}

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

/** Ranking: lower score first; ties (and NaN, which sorts last) broken by trial index. */
export function byScore<T, O extends RungOutcome>(
  a: TrialState<T, O>,
  b: TrialState<T, O>,
): number {
  const sa = a.outcome?.score ?? Number.POSITIVE_INFINITY;
  const sb = b.outcome?.score ?? Number.POSITIVE_INFINITY;
  const fa = Number.isNaN(sa) ? Number.POSITIVE_INFINITY : sa;
  const fb = Number.isNaN(sb) ? Number.POSITIVE_INFINITY : sb;
  return fa !== fb ? fa - fb : a.index - b.index;
}

/**
 * Runs successive halving. `train(trial, index, epochs, slot)` must continue the trial from where
 * it stopped (or start it) and train it to `epochs` total epochs. Returns every trial's final
 * state, best first.
 */
export async function successiveHalving<T, O extends RungOutcome>(
  trials: readonly T[],
  plan: readonly Rung[],
  train: (trial: T, index: number, epochs: number, slot: number) => Promise<O>,
  options: {
    concurrency?: number;
    onRungEnd?: (rung: number, ranked: TrialState<T, O>[]) => void;
  } = {},
): Promise<TrialState<T, O>[]> {
  const states: TrialState<T, O>[] = trials.map((trial, index) => ({
    index,
    trial,
    rung: 0,
    epochs: 0,
  }));
  let alive = states;
  for (let r = 0; r < plan.length; r++) {
    const rung = plan[r] as Rung;
    alive = alive.slice(0, rung.trials);
    await mapPool(alive, options.concurrency ?? 1, async (state, slot) => {
      state.outcome = await train(state.trial, state.index, rung.epochs, slot);
      state.rung = r;
      state.epochs = rung.epochs;
    });
    alive = [...alive].sort(byScore);
    options.onRungEnd?.(r, alive);
  }
  return [...states].sort((a, b) => b.rung - a.rung || byScore(a, b));
}
