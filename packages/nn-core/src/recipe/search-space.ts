/**
 * What `labkit search` samples: each trial is a whole training recipe (architecture, optimiser
 * rate and schedule, batch size, regularisation, augmentation, input whitening), so the winner can
 * be trained on the full data exactly as it was searched. No TF.js here.
 */
import type { Augmentation } from '../data/augment.js';
import { createRng, deriveSeed } from '../data/rng.js';
import type { WhiteningSpec } from '../data/whitening-spec.js';
import type { BatchNormPlacement } from '../model/spec.js';
import { validateSpec } from '../model/spec.js';
import { DEFAULT_RECIPE, type TrainRecipe } from './recipe-file.js';

/** One point of the search space. */
export interface TrialParams {
  lr: number;
  batchSize: number;
  hidden: number[];
  /** Width of a linear bottleneck before every hidden layer after the first (0 = none). */
  bottleneck: number;
  dropout: number;
  /** L2 weight decay (the spec's `l2`). */
  l2: number;
  batchNorm: BatchNormPlacement;
  augment: Augmentation;
  /** ZCA regulariser, or 0 for no whitening. */
  zcaEpsilon: number;
  schedule: 'onecycle' | 'cosine';
}

export interface SearchSpace {
  lr: { min: number; max: number };
  batchSize: readonly number[];
  hidden: readonly (readonly number[])[];
  bottleneck: readonly number[];
  dropout: readonly number[];
  /** Weight decay: none with probability `noneProbability`, else log-uniform in [min, max]. */
  l2: { noneProbability: number; min: number; max: number };
  batchNorm: readonly BatchNormPlacement[];
  augment: readonly Augmentation[];
  zcaEpsilon: readonly number[];
  schedule: readonly ('onecycle' | 'cosine')[];
}

/**
 * The space searched, as data: ranges are sampled log-uniformly, lists uniformly. Widths reach
 * 4,096 and depth 3; bottlenecks follow Lin, Memisevic & Konda (2015); ZCA epsilons are on
 * channel-normalised pixels (0 = no whitening).
 */
export const SEARCH_SPACE: SearchSpace = {
  lr: { min: 2e-4, max: 3e-3 },
  batchSize: [64, 128, 256],
  hidden: [[1024, 512], [2048, 1024], [4096], [2048, 2048], [4096, 4096], [1024, 1024, 1024]],
  bottleneck: [0, 0, 256, 512],
  dropout: [0, 0.2, 0.3, 0.5],
  l2: { noneProbability: 1 / 2, min: 1e-6, max: 1e-4 },
  batchNorm: ['none', 'before', 'after'],
  augment: ['none', 'flip', 'crop-flip'],
  zcaEpsilon: [0, 1, 10, 30],
  schedule: ['onecycle', 'cosine'],
};

function pick<T>(rng: () => number, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)] as T;
}

function logUniform(rng: () => number, min: number, max: number): number {
  return Math.exp(Math.log(min) + rng() * (Math.log(max) - Math.log(min)));
}

/** Rounds to 3 significant digits so configurations read well and round-trip through CSV. */
const round3 = (x: number) => Number(x.toPrecision(3));

/** `count` seeded random configurations: the same seed gives the same list. */
export function sampleTrials(
  count: number,
  seed: number,
  space: SearchSpace = SEARCH_SPACE,
): TrialParams[] {
  const rng = createRng(deriveSeed(seed, 0x5ea7c4));
  const s = space;
  return Array.from({ length: count }, () => {
    const hidden = [...pick(rng, s.hidden)];
    const bottleneck = pick(rng, s.bottleneck);
    return {
      lr: round3(logUniform(rng, s.lr.min, s.lr.max)),
      batchSize: pick(rng, s.batchSize),
      hidden,
      bottleneck: hidden.length > 1 ? bottleneck : 0,
      dropout: pick(rng, s.dropout),
      l2: rng() < s.l2.noneProbability ? 0 : round3(logUniform(rng, s.l2.min, s.l2.max)),
      batchNorm: pick(rng, s.batchNorm),
      augment: pick(rng, s.augment),
      zcaEpsilon: pick(rng, s.zcaEpsilon),
      schedule: pick(rng, s.schedule),
    };
  });
}

export function whiteningOf(p: TrialParams): WhiteningSpec {
  return p.zcaEpsilon > 0 ? { kind: 'zca', epsilon: p.zcaEpsilon } : { kind: 'none' };
}

/**
 * The whole recipe of a trial, trained for `epochs`: `labkit search` trains trials with it and
 * writes the winner's as `recipe.json` (with the full-data epochs), so both train the same way.
 */
export function trialRecipe(
  p: TrialParams,
  epochs: number,
  base: TrainRecipe = DEFAULT_RECIPE,
): TrainRecipe {
  const spec = validateSpec(
    {
      hidden: p.hidden,
      bottleneck: p.bottleneck > 0 ? p.hidden.map((_, i) => (i === 0 ? 0 : p.bottleneck)) : null,
      dropout: p.dropout,
      l2: p.l2,
      batchNorm: p.batchNorm,
    },
    'search trial',
    { ...base.spec, bottleneck: undefined },
  );
  if (!spec.bottleneck) delete spec.bottleneck;
  return {
    ...base,
    spec,
    optimizer: { ...base.optimizer, lr: p.lr },
    schedule: p.schedule,
    epochs,
    batchSize: p.batchSize,
    augment: p.augment,
    whitening: whiteningOf(p),
    patience: null,
  };
}

/** The short label of a trial for progress lines and tables. */
export function describeTrial(p: TrialParams): string {
  const arch = p.hidden
    .map((w, i) => (i > 0 && p.bottleneck > 0 ? `(${p.bottleneck})-${w}` : String(w)))
    .join('-');
  return (
    `${arch} bn ${p.batchNorm} drop ${p.dropout} l2 ${p.l2} ${p.augment} ` +
    `${p.zcaEpsilon > 0 ? `zca ${p.zcaEpsilon}` : 'no-zca'} lr ${p.lr} ${p.schedule} batch ${p.batchSize}`
  );
}
