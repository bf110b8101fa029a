/**
 * The recipe's second step: a broad search on ~1,000 images whose ranking carries over to the full
 * data. Trials are whole recipes (search-space.ts) trained the way `labkit train` trains them
 * (search-trial.ts); successive halving prunes them while growing the training set (halving.ts);
 * the winner is written as `recipe.json` for `labkit train --config`. Every finished trial is
 * appended to `trials.jsonl` as it completes, so a killed search resumes where it stopped.
 */
import { existsSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageSet } from '../data/cifar10.js';
import { writeFileAtomic } from '../model/atomic.js';
import { withFsErrors } from '../train/fs-errors.js';
import { halvingPlan, type Rung, successiveHalving, type TrialState } from './halving.js';
import { DEFAULT_RECIPE, recipeJson, type TrainRecipe } from './recipe-file.js';
import { searchData, WhitenedViews } from './search-data.js';
import {
  imagesFingerprint,
  readStoredSearch,
  SEARCH_FILES,
  type SearchDataSource,
  SearchResumeError,
  type SearchSettings,
  searchRecordJson,
  trainCommand,
} from './search-dir.js';
import {
  SEARCH_SPACE,
  type SearchSpace,
  sampleTrials,
  type TrialParams,
  trialRecipe,
} from './search-space.js';
import { type TrialJob, type TrialOutcome, trainTrial, trialScore } from './search-trial.js';

export { SEARCH_DEFAULTS } from './search-defaults.js';

export {
  SEARCH_FILES,
  SearchResumeError,
  type SearchSettings,
  searchResumeCommand,
  trainCommand,
} from './search-dir.js';

export type SearchState = TrialState<TrialParams, TrialOutcome>;

export interface SearchOptions {
  settings: SearchSettings;
  /** The CIFAR-10 training images (validation and rung subsets come out of these). */
  images: ImageSet;
  /** The search's directory, new and empty or (with `resume`) holding this search; see search-dir.ts. */
  outDir: string;
  /** Where `images` came from, recorded in `search.json` for a resume. */
  source?: SearchDataSource;
  /**
   * Continue the search in `outDir`: finished trials in `trials.jsonl` are not trained again. The
   * settings and the images must be the ones it started with.
   */
  resume?: boolean;
  space?: SearchSpace;
  /** Trains a job; defaults to {@link trainTrial} in this process. Worker pools pass their own. */
  runJob?: (job: TrialJob, slot: number) => Promise<TrialOutcome>;
  concurrency?: number;
  onTrialEnd?: (job: TrialJob, outcome: TrialOutcome, cached: boolean) => void;
  onRungEnd?: (rung: number, plan: readonly Rung[], ranked: SearchState[]) => void;
}

export interface SearchResult {
  plan: Rung[];
  ranked: SearchState[];
  best: SearchState;
  recipe: TrainRecipe;
  files: { csv: string; recipe: string; best: string; trials: string };
  trainImages: number;
  valImages: number;
  /** Trials found finished in `trials.jsonl` and not trained again. */
  reused: number;
}

export function searchPlan(settings: SearchSettings): Rung[] {
  const poolSize = settings.images - settings.valImages;
  return halvingPlan(
    settings.trials,
    Math.min(settings.subset, poolSize),
    poolSize,
    settings.eta,
    settings.epochs,
  );
}

interface TrialRecord {
  trial: number;
  rung: number;
  images: number;
  epochs: number;
  params: TrialParams;
  outcome: TrialOutcome;
}

/** Writes a search file atomically; a file-system failure names the file and the cause. */
const save = (path: string, text: string) =>
  withFsErrors(path, 'write', () => writeFileAtomic(path, text));

/** JSON writes NaN (a diverged trial's scores) as null; read back, it is NaN again. */
function reviveOutcome(outcome: Record<keyof TrialOutcome, number | boolean | null>): TrialOutcome {
  return Object.fromEntries(
    Object.entries(outcome).map(([key, value]) => [key, value === null ? Number.NaN : value]),
  ) as unknown as TrialOutcome;
}

/** Finished jobs of an earlier segment; a line cut short by a kill (the last one) is dropped. */
async function readTrialRecords(path: string): Promise<Map<string, TrialRecord>> {
  const records = new Map<string, TrialRecord>();
  if (!existsSync(path)) return records;
  const lines = (await readFile(path, 'utf8')).split('\n');
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as TrialRecord;
      record.outcome = reviveOutcome(record.outcome as never);
      records.set(`${record.trial}:${record.rung}`, record);
    } catch {
      // An interrupted append: that job runs again.
    }
  }
  await save(path, [...records.values()].map((r) => `${JSON.stringify(r)}\n`).join(''));
  return records;
}

/**
 * A new search records its settings and images in `search.json`; a resumed one must have the same
 * settings and (when recorded) the same images, so no trial is ever ranked against another's data.
 */
async function checkSettings(options: SearchOptions, fingerprint: string): Promise<void> {
  const { outDir, settings } = options;
  const path = join(outDir, SEARCH_FILES.settings);
  if (!options.resume) {
    const source = options.source ?? { dir: '', partialData: false };
    await save(path, searchRecordJson(settings, { ...source, fingerprint }));
    return;
  }
  if (!existsSync(path))
    throw new SearchResumeError(
      `${outDir} holds no search to resume (no ${SEARCH_FILES.settings})`,
    );
  const stored = await readStoredSearch(outDir);
  if (stored.data && stored.data.fingerprint !== fingerprint) {
    throw new SearchResumeError(
      `the training images given to resume ${outDir} are not the ones it started on ` +
        `(${stored.data.dir || 'unrecorded'}, ${stored.settings.images} images${stored.data.partialData ? ', partial files' : ''}); resume with --data pointing at that data`,
    );
  }
  const before = stored.settings;
  const differs = (Object.keys(settings) as (keyof SearchSettings)[]).filter(
    (k) => before[k] !== settings[k],
  );
  if (differs.length > 0) {
    throw new SearchResumeError(
      `${path} was started with other settings (${differs.map((k) => `${k} ${before[k]}, now ${settings[k]}`).join('; ')}); resume with the same flags`,
    );
  }
}

/** Runs the whole search and writes its files. */
export async function runSearch(options: SearchOptions): Promise<SearchResult> {
  const { settings, outDir } = options;
  const plan = searchPlan(settings);
  await checkSettings(options, imagesFingerprint(options.images));
  const trialsPath = join(outDir, SEARCH_FILES.trials);
  const done = options.resume ? await readTrialRecords(trialsPath) : new Map<string, TrialRecord>();
  if (!options.resume) await save(trialsPath, '');
  const trials = sampleTrials(settings.trials, settings.seed, options.space ?? SEARCH_SPACE);
  const data = searchData(options.images, settings.valImages, settings.seed);
  const views = new WhitenedViews(data);
  const runJob = options.runJob ?? ((job: TrialJob) => trainTrial(job, data, views));
  let reused = 0;
  const ranked = await successiveHalving(
    trials,
    plan,
    async (params, index, rung, slot) => {
      const { images, epochs } = plan[rung] as Rung;
      const job: TrialJob = { params, index, rung, images, epochs, seed: settings.seed };
      const previous = done.get(`${index + 1}:${rung}`);
      if (previous && JSON.stringify(previous.params) !== JSON.stringify(params)) {
        throw new SearchResumeError(
          `${trialsPath}: trial ${index + 1} holds another recipe than this labkit samples for seed ${settings.seed} ` +
            '(was the search started by another labkit version?); start a new search',
        );
      }
      if (previous) {
        reused++;
        options.onTrialEnd?.(job, previous.outcome, true);
        return previous.outcome;
      }
      const outcome = await runJob(job, slot);
      const record: TrialRecord = { trial: index + 1, rung, images, epochs, params, outcome };
      await withFsErrors(trialsPath, 'append a finished trial to', () =>
        appendFile(trialsPath, `${JSON.stringify(record)}\n`),
      );
      options.onTrialEnd?.(job, outcome, false);
      return outcome;
    },
    (outcome) => trialScore(outcome, settings.rankBy),
    {
      concurrency: options.concurrency ?? 1,
      onRungEnd: (r, list) => options.onRungEnd?.(r, plan, list),
    },
  );
  const best = ranked[0] as SearchState;
  const recipe = trialRecipe(best.trial, settings.trainEpochs, {
    ...DEFAULT_RECIPE,
    seed: settings.seed,
  });
  const files = {
    csv: join(outDir, SEARCH_FILES.csv),
    recipe: join(outDir, SEARCH_FILES.recipe),
    best: join(outDir, SEARCH_FILES.best),
    trials: trialsPath,
  };
  await save(files.csv, searchCsv(ranked, plan));
  await save(files.recipe, recipeJson(recipe));
  const bestJson = {
    trial: best.index + 1,
    params: best.trial,
    outcomes: best.outcomes,
    settings,
    plan,
    train: trainCommand(files.recipe),
  };
  await save(files.best, `${JSON.stringify(bestJson, null, 2)}\n`);
  return {
    plan,
    ranked,
    best,
    recipe,
    files,
    trainImages: data.pool.count,
    valImages: data.val.count,
    reused,
  };
}

const CSV_HEADER =
  'rank,trial,status,images,epochs,val_accuracy,val_loss,train_accuracy,train_loss,seconds,hidden,bottleneck,batch_norm,dropout,l2,augment,zca_epsilon,lr,schedule,batch_size,rung_val_accuracies';

function status(state: SearchState, plan: readonly Rung[]): string {
  const last = state.outcomes.at(-1);
  if (last?.diverged) return 'diverged';
  return state.outcomes.length === plan.length
    ? 'finished'
    : `pruned after rung ${state.outcomes.length}`;
}

const num = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? '' : String(Number(x.toPrecision(6)));

/** `search.csv`: one row per trial, best first; lists as `1024x512` so no field needs quoting. */
export function searchCsv(ranked: readonly SearchState[], plan: readonly Rung[]): string {
  const rows = ranked.map((s, i) => {
    const p = s.trial;
    const o = s.outcomes.at(-1);
    const rung = plan[s.outcomes.length - 1];
    return [
      i + 1,
      s.index + 1,
      status(s, plan),
      rung?.images ?? '',
      rung?.epochs ?? '',
      num(o?.valAccuracy),
      num(o?.valLoss),
      num(o?.trainAccuracy),
      num(o?.trainLoss),
      num(s.outcomes.reduce((t, x) => t + x.seconds, 0)),
      p.hidden.join('x'),
      p.bottleneck,
      p.batchNorm,
      p.dropout,
      p.l2,
      p.augment,
      p.zcaEpsilon,
      p.lr,
      p.schedule,
      p.batchSize,
      s.outcomes.map((x) => num(x.valAccuracy)).join('/'),
    ].join(',');
  });
  return `${[CSV_HEADER, ...rows].join('\n')}\n`;
}

/** The sorted results table for the terminal. */
export function formatSearchTable(
  ranked: readonly SearchState[],
  plan: readonly Rung[],
  limit = 15,
): string {
  const head = [
    'rank',
    'trial',
    'hidden',
    'neck',
    'bn',
    'drop',
    'l2',
    'augment',
    'zca',
    'lr',
    'sched',
    'batch',
    'images',
    'val acc',
    'status',
  ];
  const rows = ranked.slice(0, limit).map((s, i) => {
    const p = s.trial;
    const o = s.outcomes.at(-1);
    return [
      String(i + 1),
      String(s.index + 1),
      p.hidden.join('x'),
      p.bottleneck > 0 ? String(p.bottleneck) : '-',
      p.batchNorm,
      String(p.dropout),
      p.l2 === 0 ? '0' : p.l2.toExponential(1),
      p.augment,
      p.zcaEpsilon > 0 ? String(p.zcaEpsilon) : '-',
      p.lr.toExponential(2),
      p.schedule,
      String(p.batchSize),
      String(plan[s.outcomes.length - 1]?.images ?? '-'),
      o && Number.isFinite(o.valAccuracy) ? `${(o.valAccuracy * 100).toFixed(1)}%` : '-',
      status(s, plan),
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
