/**
 * Runs the learning-rate range test through the training loop (`fit` with a per-step schedule
 * function and a stopping callback) and writes its plot and numbers.
 */
import { join } from 'node:path';
import type { Spec } from 'vega-typings';
import type { Augmentation } from '../data/augment.js';
import type { ImageSet } from '../data/cifar10-format.js';
import { channelStats } from '../data/stats.js';
import { writeFileAtomic } from '../model/atomic.js';
import { buildModel } from '../model/build.js';
import type { ModelSpec } from '../model/spec.js';
import { lineChartSpec, type Marker, renderSvg } from '../report/charts.js';
import { TrainingDivergedError } from '../train/errors.js';
import { fit } from '../train/fit.js';
import type { OptimizerName } from '../train/optimizer.js';
import { LR_FIND_FILES } from '../train/run-files.js';
import { imageSetSource } from '../train/source.js';
import {
  checkLrRange,
  hasDiverged,
  LR_RANGE_DEFAULTS,
  type LrRangeOptions,
  type LrSuggestion,
  lrAtStep,
  smoothLosses,
  suggestLearningRate,
} from './lr-range.js';

export interface LrFindOptions {
  spec: ModelSpec;
  images: ImageSet;
  batchSize: number;
  optimizer?: OptimizerName;
  range?: Partial<LrRangeOptions>;
  augment?: boolean | Augmentation;
  seed?: number;
  onStep?: (step: number, lr: number, loss: number) => void;
}

export interface LrFindResult {
  lrs: number[];
  losses: number[];
  smoothed: number[];
  suggestion: LrSuggestion;
  /** True when the test stopped because the loss blew up (the usual end). */
  diverged: boolean;
  range: LrRangeOptions;
  seconds: number;
}

export async function runLrFinder(options: LrFindOptions): Promise<LrFindResult> {
  const range: LrRangeOptions = { ...LR_RANGE_DEFAULTS, ...options.range };
  checkLrRange(range);
  const seed = options.seed ?? 0;
  const stats = channelStats(options.images);
  const train = imageSetSource(options.images, {
    batchSize: options.batchSize,
    shuffle: true,
    seed,
    stats,
    augment: options.augment ?? false,
  });
  const model = buildModel(options.spec, seed);
  const lrs: number[] = [];
  const losses: number[] = [];
  let diverged = false;
  const started = performance.now();
  try {
    await fit(model, {
      classes: options.spec.classes,
      l2: options.spec.l2,
      optimizer: { kind: options.optimizer ?? 'adam', lr: range.minLr },
      schedule: (clock) => lrAtStep(range, clock.step),
      epochs: Math.ceil(range.steps / train.batchesPerEpoch),
      maxSteps: range.steps,
      seed,
      train,
      callbacks: [
        {
          onBatchEnd(info, ctx) {
            lrs.push(info.lr);
            losses.push(info.loss);
            options.onStep?.(info.step, info.lr, info.loss);
            if (hasDiverged(smoothLosses(losses))) {
              diverged = true;
              ctx.stopTraining = true;
            }
          },
        },
      ],
    });
  } catch (error) {
    // A NaN loss ends the test the same way a blown-up loss does.
    if (!(error instanceof TrainingDivergedError)) throw error;
    diverged = true;
  } finally {
    model.dispose();
  }
  return {
    lrs,
    losses,
    smoothed: smoothLosses(losses),
    suggestion: suggestLearningRate(lrs, losses),
    diverged,
    range,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The loss-vs-rate plot with the suggestion (steepest fall) and the loss minimum marked. */
export function lrFindChart(
  r: Pick<LrFindResult, 'lrs' | 'losses' | 'smoothed' | 'suggestion'>,
): Spec {
  return lineChartSpec({
    title: 'Learning-rate range test',
    xTitle: 'learning rate (log scale)',
    yTitle: 'training loss',
    xLog: true,
    series: [
      {
        name: 'loss',
        points: r.lrs.map((lr, i) => [lr, r.losses[i] as number] as const),
        faint: true,
      },
      { name: 'smoothed', points: r.lrs.map((lr, i) => [lr, r.smoothed[i] as number] as const) },
    ],
    markers: lrFindMarkers(r.suggestion),
  });
}

/** The two rates `labkit lr-find` prints: the steepest fall (suggested) and the loss minimum. */
export function lrFindMarkers(s: LrSuggestion): Marker[] {
  return [
    { x: s.steepest, label: `suggested ${s.steepest.toExponential(1)}`, labelAt: 'bottom' },
    { x: s.minimumLr, label: `minimum ${s.minimumLr.toExponential(1)}`, labelAt: 'top' },
  ];
}

export { LR_FIND_FILES };
export const LR_FIND_CSV_HEADER = 'step,lr,loss,smoothed_loss';

/** Writes `lr-find.svg`, `lr-find.csv` (step, lr, loss, smoothed) and `lr-find.json` into `dir`. */
export async function writeLrFindFiles(dir: string, r: LrFindResult): Promise<string[]> {
  const rows = r.lrs.map((lr, i) => `${i + 1},${lr},${r.losses[i]},${r.smoothed[i]}`);
  const files = {
    [LR_FIND_FILES.svg]: await renderSvg(lrFindChart(r)),
    [LR_FIND_FILES.csv]: `${LR_FIND_CSV_HEADER}\n${rows.join('\n')}\n`,
    [LR_FIND_FILES.json]: `${JSON.stringify({ suggestion: r.suggestion, diverged: r.diverged, range: r.range, steps: r.lrs.length }, null, 2)}\n`,
  };
  for (const [name, text] of Object.entries(files)) await writeFileAtomic(join(dir, name), text);
  return Object.keys(files).map((name) => join(dir, name));
}

/** Terminal summary: a coarse table of the curve and the suggestion. */
export function formatLrFind(r: LrFindResult): string {
  const lines = [
    `Learning-rate range test: ${r.lrs.length} steps from ${r.range.minLr.toExponential(0)}${r.diverged ? ', stopped when the loss blew up' : ''} (${r.seconds.toFixed(1)} s)`,
  ];
  lines.push('  learning rate   smoothed loss');
  const every = Math.max(1, Math.floor(r.lrs.length / 12));
  for (let i = 0; i < r.lrs.length; i += every) {
    lines.push(
      `  ${(r.lrs[i] as number).toExponential(2).padStart(13)}   ${(r.smoothed[i] as number).toFixed(4)}`,
    );
  }
  const s = r.suggestion;
  lines.push(`Suggested learning rate: ${s.steepest.toExponential(2)} (steepest fall of the loss)`);
  lines.push(
    `  loss minimum at ${s.minimumLr.toExponential(2)}; a tenth of it, ${s.minimumOver10.toExponential(2)}, is the conservative choice`,
  );
  return `${lines.join('\n')}\n`;
}
