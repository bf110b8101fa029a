import { join } from 'node:path';
import { writeFileAtomic } from '../model/atomic.js';
import type { EpochMetrics, TrainCallbacks } from './fit.js';

export const METRICS_CSV = 'metrics.csv';
export const METRICS_JSONL = 'metrics.jsonl';

const COLUMNS: readonly (keyof EpochMetrics)[] = [
  'epoch',
  'trainLoss',
  'trainAccuracy',
  'valLoss',
  'valAccuracy',
  'lr',
  'samplesPerSec',
  'seconds',
  'trainSeconds',
  'dataSeconds',
];

/** snake_case CSV header names, e.g. `train_loss`. */
const header = COLUMNS.map((c) => c.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`)).join(',');

export function metricsCsv(history: readonly EpochMetrics[]): string {
  const rows = history.map((m) =>
    COLUMNS.map((c) => (m[c] === null ? '' : String(m[c]))).join(','),
  );
  return `${[header, ...rows].join('\n')}\n`;
}

export function metricsJsonl(history: readonly EpochMetrics[]): string {
  return history.map((m) => `${JSON.stringify(m)}\n`).join('');
}

/**
 * Rewrites `metrics.csv` and `metrics.jsonl` in `dir` after every epoch from the whole history, so
 * a resumed run's files hold exactly the epochs its checkpoint holds.
 */
export function metricsFilesCallback(dir: string): TrainCallbacks {
  return {
    async onEpochEnd(_metrics, ctx) {
      await writeFileAtomic(join(dir, METRICS_CSV), metricsCsv(ctx.history));
      await writeFileAtomic(join(dir, METRICS_JSONL), metricsJsonl(ctx.history));
    },
  };
}
