/**
 * One search trial at one rung: the trial's recipe trained from scratch on the rung's images for
 * the rung's epochs (the schedule spans exactly that budget, as in a full run), batch-norm
 * statistics recomputed on those images, then scored on the search's validation set.
 */
import { deriveSeed } from '../data/rng.js';
import { evaluate } from '../eval/evaluate.js';
import { buildModel } from '../model/build.js';
import { TrainingDivergedError } from '../train/errors.js';
import { fit } from '../train/fit.js';
import { recipeFitSettings } from '../train/in-memory-run.js';
import { evalSource, trainingSource } from '../train/source.js';
import { recalibrateBatchNorm } from './batch-norm-statistics.js';
import { rungImages, type SearchData, type WhitenedViews } from './search-data.js';
import { type TrialParams, trialRecipe } from './search-space.js';

/** What ranks trials: validation accuracy (the default) or validation loss. */
export type RankBy = 'accuracy' | 'loss';
export const RANK_BY: readonly RankBy[] = ['accuracy', 'loss'];

export interface TrialJob {
  params: TrialParams;
  /** 0-based trial index (seeds the trial's initialisation, order and dropout). */
  index: number;
  /** 0-based rung. */
  rung: number;
  images: number;
  epochs: number;
  seed: number;
}

export interface TrialOutcome {
  valAccuracy: number;
  valLoss: number;
  trainLoss: number;
  trainAccuracy: number;
  seconds: number;
  /** Set when training stopped on a non-finite loss. */
  diverged: boolean;
}

/** The ranking score, lower is better; a diverged trial ranks last. */
export function trialScore(outcome: TrialOutcome, rankBy: RankBy): number {
  if (outcome.diverged || !Number.isFinite(outcome.valLoss)) return Number.POSITIVE_INFINITY;
  return rankBy === 'loss' ? outcome.valLoss : -outcome.valAccuracy;
}

export async function trainTrial(
  job: TrialJob,
  data: SearchData,
  views: WhitenedViews,
): Promise<TrialOutcome> {
  const recipe = trialRecipe(job.params, job.epochs);
  const trialSeed = deriveSeed(job.seed, job.index);
  const epsilon = job.params.zcaEpsilon;
  const trainSet = epsilon > 0 ? views.set(epsilon, job.images) : rungImages(data, job.images);
  const valSet = epsilon > 0 ? views.set(epsilon, 'val') : data.val;
  const model = buildModel(recipe.spec, trialSeed);
  const started = performance.now();
  try {
    const result = await fit(model, {
      ...recipeFitSettings(recipe),
      seed: trialSeed,
      train: trainingSource(trainSet, { ...recipe, seed: trialSeed }, data.stats),
    });
    if (recipe.spec.batchNorm !== 'none')
      recalibrateBatchNorm(model, evalSource(trainSet, data.stats));
    const scored = evaluate(model, evalSource(valSet, data.stats), recipe.spec.classes);
    const last = result.history.at(-1);
    return {
      valAccuracy: scored.accuracy,
      valLoss: scored.loss,
      trainLoss: last?.trainLoss ?? Number.NaN,
      trainAccuracy: last?.trainAccuracy ?? Number.NaN,
      seconds: (performance.now() - started) / 1000,
      diverged: !Number.isFinite(scored.loss),
    };
  } catch (error) {
    if (!(error instanceof TrainingDivergedError)) throw error;
    return {
      valAccuracy: Number.NaN,
      valLoss: Number.NaN,
      trainLoss: Number.NaN,
      trainAccuracy: Number.NaN,
      seconds: (performance.now() - started) / 1000,
      diverged: true,
    };
  } finally {
    model.dispose();
  }
}
