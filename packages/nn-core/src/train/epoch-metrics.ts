/** One row of the training history (also a row of `metrics.csv` / `metrics.jsonl`). */
export interface EpochMetrics {
  /** 1-based epoch number. */
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  /** Learning rate of the epoch's last step. */
  lr: number;
  /** Training samples per second over the epoch's steps (validation excluded). */
  samplesPerSec: number;
  /** Wall time of the epoch including validation. */
  seconds: number;
  /** Wall time of the training steps alone (data waits included, validation excluded). */
  trainSeconds: number;
  /** Part of the training time spent waiting for the next batch from the data pipeline. */
  dataSeconds: number;
}
