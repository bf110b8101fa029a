/**
 * The names of the files labkit writes into a run directory, in one place: ownership checks
 * (`run-dir.ts`) tell them from a user's files, which are never deleted.
 */

export const RUN_JSON = 'run.json';
export const METRICS_CSV = 'metrics.csv';
export const METRICS_JSONL = 'metrics.jsonl';
/** Training loss of every optimizer step: `step,epoch,loss`. */
export const STEPS_CSV = 'steps.csv';
export const STEPS_CSV_HEADER = 'step,epoch,loss';
export const CHECKPOINT_FILE = 'checkpoint.ckpt';
export const MODEL_DIR = 'model';
export const EVALUATION_JSON = 'evaluation.json';
export const WHITENING_JSON = 'whitening.json';
export const WHITENING_BIN = 'whitening.bin';
export const REPORT_HTML = 'report.html';

/** What `labkit report` writes into a run directory: derived from the run, rebuilt on demand. */
export const REPORT_FILES: readonly string[] = [
  REPORT_HTML,
  'loss.svg',
  'accuracy.svg',
  'lr.svg',
  'confusion.svg',
  'confusion-counts.svg',
  'per-class.svg',
];

/** The overlay plots of a comparison of several runs (`labkit report A B --out DIR`). */
export const COMPARISON_SVGS = {
  trainLoss: 'compare-train-loss.svg',
  valLoss: 'compare-val-loss.svg',
  valAccuracy: 'compare-val-accuracy.svg',
} as const;

/** What a comparison of several runs writes into its own directory. */
export const COMPARISON_FILES: readonly string[] = [...Object.values(COMPARISON_SVGS), REPORT_HTML];

/** What `labkit lr-find` writes into its own directory (never a run directory). */
export const LR_FIND_FILES = {
  svg: 'lr-find.svg',
  csv: 'lr-find.csv',
  json: 'lr-find.json',
} as const;

/** Every name a labkit run directory may hold at its top level. */
export const RUN_DIR_FILES: ReadonlySet<string> = new Set([
  RUN_JSON,
  METRICS_CSV,
  METRICS_JSONL,
  STEPS_CSV,
  CHECKPOINT_FILE,
  MODEL_DIR,
  EVALUATION_JSON,
  WHITENING_JSON,
  WHITENING_BIN,
  ...REPORT_FILES,
  ...Object.values(LR_FIND_FILES),
]);

/** What `labkit search` writes into its directory. */
export const SEARCH_FILES = {
  settings: 'search.json',
  trials: 'trials.jsonl',
  csv: 'search.csv',
  recipe: 'recipe.json',
  /** Written last: its presence marks a finished search. */
  best: 'best.json',
} as const;
