/**
 * The recipe's second step: a broad hyperparameter search on ~1,000 images. Random configurations
 * (learning rate, batch size, hidden sizes, dropout, weight decay, batch norm) are pruned by
 * successive halving; each trial continues from its own checkpoint between rungs, with a constant
 * learning rate so that a longer budget extends the run rather than changing it.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageSet } from '../data/cifar10.js';
import { createRng, deriveSeed } from '../data/rng.js';
import { splitValidation } from '../data/split.js';
import { type ChannelStats, channelStats } from '../data/stats.js';
import { writeFileAtomic } from '../model/atomic.js';
import { buildModel } from '../model/build.js';
import { DEFAULT_SPEC, type ModelSpec, validateSpec } from '../model/spec.js';
import { TrainingDivergedError } from '../train/errors.js';
import { type EpochMetrics, fit } from '../train/fit.js';
import type { OptimizerName } from '../train/optimizer.js';
import { evalSource } from '../train/run.js';
import { imageSetSource } from '../train/source.js';
import { halvingPlan, type Rung, successiveHalving, type TrialState } from './halving.js';

/** One point of the search space. */
export interface TrialParams {
  lr: number;
  batchSize: number;
  hidden: number[];
  dropout: number;
  /** L2 weight decay (the spec's `l2`). */
  l2: number;
  batchNorm: 'none' | 'before';
}

export interface SearchSpace {
  lr: { min: number; max: number };
  batchSize: readonly number[];
  hidden: readonly (readonly number[])[];
  dropout: readonly number[];
  /** Weight decay: none with probability `noneProbability`, else log-uniform in [min, max]. */
  l2: { noneProbability: number; min: number; max: number };
  batchNorm: readonly ('none' | 'before')[];
}

/** The space searched, as data: ranges are sampled log-uniformly, lists uniformly. */
export const SEARCH_SPACE: SearchSpace = {
  lr: { min: 1e-4, max: 3e-3 },
  batchSize: [64, 128, 256],
  hidden: [[256], [512], [1024], [512, 256], [1024, 512], [1024, 512, 256]],
  dropout: [0, 0.2, 0.3, 0.5],
  l2: { noneProbability: 1 / 3, min: 1e-5, max: 1e-3 },
  batchNorm: ['none', 'before'],
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
  return Array.from({ length: count }, () => ({
    lr: round3(logUniform(rng, s.lr.min, s.lr.max)),
    batchSize: pick(rng, s.batchSize),
    hidden: [...pick(rng, s.hidden)],
    dropout: pick(rng, s.dropout),
    l2: rng() < s.l2.noneProbability ? 0 : round3(logUniform(rng, s.l2.min, s.l2.max)),
    batchNorm: pick(rng, s.batchNorm),
  }));
}

/** The model spec of a trial: the default spec with the trial's architecture and regularisation. */
export function trialSpec(p: TrialParams, base: ModelSpec = DEFAULT_SPEC): ModelSpec {
  const { bottleneck: _none, ...rest } = base;
  return validateSpec(
    { ...rest, hidden: p.hidden, dropout: p.dropout, l2: p.l2, batchNorm: p.batchNorm },
    'search trial',
  );
}

/**
 * What ranks trials: the lowest validation loss (default), or the highest validation accuracy.
 * Accuracy is the fairer signal for short rungs with batch norm: its moving statistics (momentum
 * 0.99) are far from converged after a few dozen steps, which inflates the validation loss of
 * otherwise good models while barely changing which class wins.
 */
export type RankBy = 'loss' | 'accuracy';

export interface TrialOutcome {
  /** The ranking score, lower is better: the best validation loss, or minus the best accuracy. */
  score: number;
  valLoss: number;
  valAccuracy: number;
  trainLoss: number;
  trainAccuracy: number;
  /** Epoch (1-based) with the best validation loss or accuracy (see {@link RankBy}). */
  bestEpoch: number;
  seconds: number;
  /** Set when training stopped on a non-finite loss. */
  diverged: boolean;
  [key: string]: unknown;
}

export interface SearchData {
  train: ImageSet;
  val: ImageSet;
  stats: ChannelStats;
}

/** Splits the subset into training and validation parts (stratified) and computes the normalisation. */
export function searchData(subset: ImageSet, valSplit: number, seed: number): SearchData {
  const { train, val } = splitValidation(subset, valSplit, seed);
  if (val.count === 0)
    throw new Error(
      `a validation split of ${valSplit} leaves no validation images out of ${subset.count}`,
    );
  return { train, val, stats: channelStats(train) };
}

/** Outcome of a trial from its full history (the checkpoint keeps earlier rungs' epochs). */
export function outcomeOf(
  history: readonly EpochMetrics[],
  seconds: number,
  diverged: boolean,
  rankBy: RankBy = 'loss',
): TrialOutcome {
  const better = (m: EpochMetrics, b: EpochMetrics) =>
    rankBy === 'loss'
      ? (m.valLoss as number) < (b.valLoss as number)
      : (m.valAccuracy as number) > (b.valAccuracy as number);
  let best: EpochMetrics | undefined;
  for (const m of history) if (m.valLoss !== null && (!best || better(m, best))) best = m;
  const last = history[history.length - 1];
  const score = rankBy === 'loss' ? (best?.valLoss as number) : -(best?.valAccuracy as number);
  return {
    score: diverged || !best ? Number.POSITIVE_INFINITY : score,
    valLoss: best?.valLoss ?? Number.NaN,
    valAccuracy: best?.valAccuracy ?? Number.NaN,
    trainLoss: last?.trainLoss ?? Number.NaN,
    trainAccuracy: last?.trainAccuracy ?? Number.NaN,
    bestEpoch: best?.epoch ?? 0,
    seconds,
    diverged,
  };
}

export interface TrialJob {
  params: TrialParams;
  index: number;
  epochs: number;
  seed: number;
  optimizer: OptimizerName;
  checkpointPath: string;
  rankBy?: RankBy;
}

/**
 * Trains one trial to `job.epochs` total epochs, continuing from its checkpoint. Used in-process
 * and by the search worker processes, so both paths train identically.
 */
export async function trainTrial(job: TrialJob, data: SearchData): Promise<TrialOutcome> {
  const trialSeed = deriveSeed(job.seed, job.index);
  const spec = trialSpec(job.params);
  const model = buildModel(spec, trialSeed);
  const started = performance.now();
  let history: EpochMetrics[] = [];
  let diverged = false;
  try {
    const result = await fit(model, {
      classes: spec.classes,
      l2: spec.l2,
      optimizer: { kind: job.optimizer, lr: job.params.lr },
      epochs: job.epochs,
      seed: trialSeed,
      train: imageSetSource(data.train, {
        batchSize: job.params.batchSize,
        shuffle: true,
        seed: trialSeed,
        stats: data.stats,
      }),
      val: evalSource(data.val, data.stats),
      checkpointPath: job.checkpointPath,
      resume: true,
      callbacks: [
        {
          onTrainBegin(ctx) {
            history = ctx.history;
          },
        },
      ],
    });
    history = result.history;
  } catch (error) {
    if (!(error instanceof TrainingDivergedError)) throw error;
    diverged = true;
  } finally {
    model.dispose();
  }
  return outcomeOf(history, (performance.now() - started) / 1000, diverged, job.rankBy);
}

export interface SearchOptions {
  subset: ImageSet;
  trials: number;
  seed: number;
  /** Where `search.csv`, `best-spec.json`, `best.json` and the trial checkpoints go. */
  outDir: string;
  minEpochs?: number;
  maxEpochs?: number;
  eta?: number;
  valSplit?: number;
  optimizer?: OptimizerName;
  rankBy?: RankBy;
  space?: SearchSpace;
  /** Trains a job; defaults to {@link trainTrial} in this process. Worker pools pass their own. */
  runJob?: (job: TrialJob, slot: number) => Promise<TrialOutcome>;
  concurrency?: number;
  /** Called as each trial finishes a rung (progress output). */
  onTrialEnd?: (job: TrialJob, outcome: TrialOutcome) => void;
  onRungEnd?: (
    rung: number,
    plan: readonly Rung[],
    ranked: TrialState<TrialParams, TrialOutcome>[],
  ) => void;
  /** Keep the per-trial checkpoints (default: deleted at the end). */
  keepCheckpoints?: boolean;
}

export const SEARCH_DEFAULTS = {
  minEpochs: 2,
  maxEpochs: 18,
  eta: 3,
  valSplit: 0.2,
  optimizer: 'adam' as OptimizerName,
};

export interface SearchResult {
  plan: Rung[];
  ranked: TrialState<TrialParams, TrialOutcome>[];
  best: TrialState<TrialParams, TrialOutcome>;
  files: { csv: string; bestSpec: string; best: string };
  trainImages: number;
  valImages: number;
}

const CSV_HEADER =
  'rank,trial,lr,batch_size,hidden,dropout,l2,batch_norm,epochs,status,best_epoch,val_loss,val_accuracy,train_loss,train_accuracy,seconds';

/** `search.csv`: one row per trial, best first; `hidden` as `1024x512` so no field needs quoting. */
export function searchCsv(
  ranked: readonly TrialState<TrialParams, TrialOutcome>[],
  lastRung: number,
): string {
  const rows = ranked.map((s, i) => {
    const p = s.trial;
    const o = s.outcome;
    const status = o?.diverged
      ? 'diverged'
      : s.rung === lastRung
        ? 'finished'
        : `pruned after rung ${s.rung + 1}`;
    const n = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '' : String(x));
    return [
      i + 1,
      s.index + 1,
      p.lr,
      p.batchSize,
      p.hidden.join('x'),
      p.dropout,
      p.l2,
      p.batchNorm,
      s.epochs,
      status,
      o?.bestEpoch ?? '',
      n(o?.valLoss),
      n(o?.valAccuracy),
      n(o?.trainLoss),
      n(o?.trainAccuracy),
      n(o?.seconds),
    ].join(',');
  });
  return `${[CSV_HEADER, ...rows].join('\n')}\n`;
}

/** Runs the whole search and writes its files. */
export async function runSearch(options: SearchOptions): Promise<SearchResult> {
  const minEpochs = options.minEpochs ?? SEARCH_DEFAULTS.minEpochs;
  const maxEpochs = options.maxEpochs ?? SEARCH_DEFAULTS.maxEpochs;
  const plan = halvingPlan(
    options.trials,
    minEpochs,
    maxEpochs,
    options.eta ?? SEARCH_DEFAULTS.eta,
  );
  const data = searchData(
    options.subset,
    options.valSplit ?? SEARCH_DEFAULTS.valSplit,
    options.seed,
  );
  const trials = sampleTrials(options.trials, options.seed, options.space);
  const checkpoints = join(options.outDir, 'trials');
  await rm(checkpoints, { recursive: true, force: true });
  await mkdir(checkpoints, { recursive: true });
  const optimizer = options.optimizer ?? SEARCH_DEFAULTS.optimizer;
  const runJob = options.runJob ?? ((job: TrialJob) => trainTrial(job, data));
  const ranked = await successiveHalving(
    trials,
    plan,
    async (params, index, epochs, slot) => {
      const job = {
        params,
        index,
        epochs,
        seed: options.seed,
        optimizer,
        checkpointPath: join(checkpoints, `trial-${index + 1}.ckpt`),
        rankBy: options.rankBy ?? 'loss',
      };
      const outcome = await runJob(job, slot);
      options.onTrialEnd?.(job, outcome);
      return outcome;
    },
    {
      concurrency: options.concurrency ?? 1,
      onRungEnd: (r, list) => options.onRungEnd?.(r, plan, list),
    },
  );
  if (!options.keepCheckpoints) await rm(checkpoints, { recursive: true, force: true });
  const best = ranked[0] as TrialState<TrialParams, TrialOutcome>;
  const files = {
    csv: join(options.outDir, 'search.csv'),
    bestSpec: join(options.outDir, 'best-spec.json'),
    best: join(options.outDir, 'best.json'),
  };
  await writeFileAtomic(files.csv, searchCsv(ranked, plan.length - 1));
  await writeFileAtomic(files.bestSpec, `${JSON.stringify(trialSpec(best.trial), null, 2)}\n`);
  const bestJson = {
    trial: best.index + 1,
    params: best.trial,
    outcome: best.outcome,
    epochs: best.epochs,
    subset: options.subset.count,
    seed: options.seed,
    rankBy: options.rankBy ?? 'loss',
    plan,
    train: trainCommand(best.trial, files.bestSpec),
  };
  await writeFileAtomic(files.best, `${JSON.stringify(bestJson, null, 2)}\n`);
  return { plan, ranked, best, files, trainImages: data.train.count, valImages: data.val.count };
}

/** The `labkit train` command line that trains the best configuration on the full data. */
export function trainCommand(p: TrialParams, specPath: string): string {
  return `labkit train --config ${specPath} --lr ${p.lr} --batch-size ${p.batchSize}`;
}

/** The sorted results table for the terminal. */
export function formatSearchTable(
  ranked: readonly TrialState<TrialParams, TrialOutcome>[],
  lastRung: number,
  limit = 15,
): string {
  const head = [
    'rank',
    'trial',
    'lr',
    'batch',
    'hidden',
    'drop',
    'l2',
    'bn',
    'epochs',
    'val loss',
    'val acc',
    'status',
  ];
  const rows = ranked.slice(0, limit).map((s, i) => {
    const p = s.trial;
    const o = s.outcome;
    return [
      String(i + 1),
      String(s.index + 1),
      p.lr.toExponential(2),
      String(p.batchSize),
      p.hidden.join('x'),
      String(p.dropout),
      p.l2 === 0 ? '0' : p.l2.toExponential(1),
      p.batchNorm === 'none' ? 'no' : 'yes',
      String(s.epochs),
      o && Number.isFinite(o.valLoss) ? o.valLoss.toFixed(4) : '-',
      o && Number.isFinite(o.valAccuracy) ? `${(o.valAccuracy * 100).toFixed(1)}%` : '-',
      o?.diverged ? 'diverged' : s.rung === lastRung ? 'finished' : `pruned@${s.rung + 1}`,
    ];
  });
  const widths = head.map((h, c) =>
    Math.max(h.length, ...rows.map((r) => (r[c] as string).length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, c) => cell.padStart(widths[c] as number)).join('  ');
  const more = ranked.length > limit ? `\n  ... ${ranked.length - limit} more in search.csv` : '';
  return `${[line(head), ...rows.map(line)].join('\n')}${more}\n`;
}
