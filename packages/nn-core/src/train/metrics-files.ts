import { join } from 'node:path';
import { writeFileAtomic } from '../model/atomic.js';
import type { EpochMetrics } from './epoch-metrics.js';
import type { TrainCallbacks, TrainContext } from './fit.js';
import { METRICS_CSV, METRICS_JSONL, STEPS_CSV, STEPS_CSV_HEADER } from './run-files.js';

export { METRICS_CSV, METRICS_JSONL, STEPS_CSV, STEPS_CSV_HEADER };

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

/** `steps.csv` from the per-step losses; step `i + 1` belongs to epoch `floor(i / stepsPerEpoch) + 1`. */
export function stepsCsv(losses: readonly number[], stepsPerEpoch: number): string {
  const rows = losses.map((loss, i) => `${i + 1},${Math.floor(i / stepsPerEpoch) + 1},${loss}`);
  return `${[STEPS_CSV_HEADER, ...rows].join('\n')}\n`;
}

/**
 * Rewrites `metrics.csv`, `metrics.jsonl` and `steps.csv` in `dir` from the whole history and
 * step losses (which the checkpoint holds) when training begins, after every epoch and when it
 * ends (a pause inside an epoch), so a resumed run's files hold exactly what its checkpoint holds,
 * even when a kill came between a checkpoint and these writes.
 */
export function metricsFilesCallback(dir: string): TrainCallbacks {
  const write = async (ctx: TrainContext) => {
    await writeFileAtomic(join(dir, METRICS_CSV), metricsCsv(ctx.history));
    await writeFileAtomic(join(dir, METRICS_JSONL), metricsJsonl(ctx.history));
    if (ctx.stepLosses)
      await writeFileAtomic(join(dir, STEPS_CSV), stepsCsv(ctx.stepLosses, ctx.stepsPerEpoch));
  };
  return {
    onTrainBegin: (ctx) => write(ctx),
    onEpochEnd: (_metrics, ctx) => write(ctx),
    onTrainEnd: (_result, ctx) => write(ctx),
  };
}
