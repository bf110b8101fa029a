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
 * Rewrites `metrics.csv` and `metrics.jsonl` in `dir` from the whole history (which the checkpoint
 * holds) when training begins and after every epoch, so a resumed run's files hold exactly the
 * epochs its checkpoint holds, even when a kill came between a checkpoint and the metrics write.
 */
export function metricsFilesCallback(dir: string): TrainCallbacks {
  const write = async (history: readonly EpochMetrics[]) => {
    await writeFileAtomic(join(dir, METRICS_CSV), metricsCsv(history));
    await writeFileAtomic(join(dir, METRICS_JSONL), metricsJsonl(history));
  };
  return {
    onTrainBegin: (ctx) => write(ctx.history),
    onEpochEnd: (_metrics, ctx) => write(ctx.history),
  };
}
