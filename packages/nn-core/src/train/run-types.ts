/** What `run.json` holds, as plain types (no TF.js: the light entries read run records). */
import type { BackendInfo } from '../backend/startup/backend-info.js';
import type { ChannelStats } from '../data/stats.js';
import type { TrainRecipe } from '../recipe/recipe-file.js';
import type { RecordedDivergence } from './diverged-run.js';

/** Everything that defines a training run; stored in `run.json` so `--resume` can rebuild it. */
export interface TrainRunConfig extends TrainRecipe {
  /** Evaluate on the test split at the end. */
  test: boolean;
  /** Accept CIFAR-10 files of another size than the official 10,000 records (`--partial-data`). */
  partialData?: boolean;
  /**
   * Last epoch of each schedule segment when a run was extended (`--resume --epochs`), e.g.
   * `[30, 40]`: epochs 1-30 follow the schedule over 30 epochs, 31-40 a fresh one over 10.
   * Absent: one segment over all `epochs`.
   */
  scheduleSegments?: number[];
}

/** One continuation of a run, as recorded in `run.json`. */
export interface ResumeEntry {
  at: string;
  /** Epochs complete when it continued (and batches of the next, when paused inside it). */
  fromEpoch: number;
  batchesDone?: number;
  epochs: number;
  dataDir: string;
  backend: BackendInfo;
  /** What the flags given with `--resume` changed, in words. */
  changes: string[];
}

/** What `run.json` holds. */
export interface RunRecord {
  labkit: 'train-run';
  /**
   * `stopped`: paused by the user (Ctrl-C, SIGTERM); `running` is also what a killed run leaves;
   * `diverged`: its loss became NaN or infinite (see `divergedAt`), it will not continue.
   */
  status: 'running' | 'stopped' | 'finished' | 'diverged';
  /** Identifies the run; its checkpoint carries the same id (absent in older records). */
  runId?: string;
  /** Every continuation of the run, oldest first. */
  resumes?: ResumeEntry[];
  /** Where a stopped run stopped. */
  stoppedAt?: { epoch: number; batchesDone?: number };
  /** Where a diverged run diverged, and the checkpoint it kept from before. */
  divergedAt?: RecordedDivergence;
  config: TrainRunConfig;
  dataDir: string;
  backend: BackendInfo;
  stats: ChannelStats;
  classes: readonly string[];
  parameters: number;
  trainSamples: number;
  valSamples: number;
  startedAt: string;
  finishedAt?: string;
  /** SHA-256 of the images and labels the run read, training then test (absent in older records). */
  dataSha256?: string;
  /** Data loading and preparation before the first step. */
  setupSeconds: number;
  trainSeconds?: number;
  epochsRun?: number;
  stoppedEarly?: boolean;
  bestEpoch?: number | null;
  finalWeightsEpoch?: number;
  /** Mean training samples/s over all epochs. */
  trainSamplesPerSec?: number;
  /** Fraction of training time spent waiting for batches. */
  dataWaitFraction?: number;
  valAccuracy?: number | null;
  valLoss?: number | null;
  testAccuracy?: number | null;
  testLoss?: number | null;
}
