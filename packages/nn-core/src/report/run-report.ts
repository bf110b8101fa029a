/**
 * Gathers a run directory's records into the HTML report: curves and timings from `run.json` and
 * `metrics.jsonl`, the exact per-step learning rate from the stored schedule, the test confusion
 * matrix from `evaluation.json`, and misclassified test images by running the saved model.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fallbackSummary } from '../backend/startup/select.js';
import { augmentationOf } from '../data/augment.js';
import { loadCifar10 } from '../data/cifar10.js';
import { missingCifarFiles } from '../data/locate.js';
import { loadTrainedModel, predictProbabilities } from '../eval/predict.js';
import { writeFileAtomic } from '../model/atomic.js';
import { diagnoseRun } from '../recipe/run-diagnosis.js';
import { EVALUATION_JSON, MODEL_DIR, type RunRecord, runSchedule } from '../train/run.js';
import { REPORT_HTML } from '../train/run-files.js';
import { runStatusWords } from '../train/run-status.js';
import type { MisclassifiedImage, ReportInput } from './html.js';
import { renderReport } from './html.js';
import { hasLrFind, readLrFind } from './lr-find-view.js';
import { DEFAULT_MISCLASSIFIED } from './report-defaults.js';
import { readSearchView } from './search-view.js';
import { readStepLosses, stepsPerEpochOf } from './step-losses.js';
import { topLosses } from './test-set-views.js';

const AUGMENTATION_TEXT = {
  none: 'none',
  flip: 'horizontal flip',
  'crop-flip': 'random crop (4 px) + horizontal flip',
} as const;

export { DEFAULT_MISCLASSIFIED, REPORT_HTML };

/** The learning rate of every optimizer step of the run, from the schedule it trained with. */
export function scheduleCurve(record: RunRecord, epochsRun: number): number[] {
  const c = record.config;
  const stepsPerEpoch = stepsPerEpochOf(record);
  const totalSteps = stepsPerEpoch * c.epochs;
  const lrAt = runSchedule(c);
  const steps = stepsPerEpoch * epochsRun;
  return Array.from({ length: steps }, (_, step) =>
    lrAt({ step, stepsPerEpoch, totalSteps }, c.optimizer.lr),
  );
}

/** The `limit` misclassified test images of the saved model with the highest loss. */
async function findTopLosses(
  runDir: string,
  dataDir: string,
  limit: number,
): Promise<{ images: MisclassifiedImage[]; tested: number }> {
  const trained = await loadTrainedModel(join(runDir, MODEL_DIR));
  try {
    const test = await loadCifar10(dataDir, 'test');
    const probabilities = predictProbabilities(trained, test);
    const images = topLosses(probabilities, test.labels, limit).map((t) => ({
      pixels: test.images.slice(t.index * 3072, (t.index + 1) * 3072),
      index: t.index,
      trueLabel: t.trueLabel,
      predictedLabel: t.predictedLabel,
      loss: t.loss,
      trueProbability: t.trueProbability,
      confidence: t.predictedProbability,
    }));
    return { images, tested: test.count };
  } finally {
    trained.model.dispose();
  }
}

export interface RunReportOptions {
  /** CIFAR-10 directory for the misclassified images (default: the one the run trained on). */
  dataDir?: string;
  misclassified?: number;
  /** An `labkit lr-find` output directory to include (default: the run directory, if it holds one). */
  lrFindDir?: string;
  /** A `labkit search` directory to include. */
  searchDir?: string;
  log?: (line: string) => void;
}

/** Builds the report input of a run directory. */
export async function gatherRunReport(
  runDir: string,
  options: RunReportOptions = {},
): Promise<ReportInput> {
  const log = options.log ?? (() => {});
  const { record, metrics, diagnosis } = await diagnoseRun(runDir);
  const evaluationPath = join(runDir, EVALUATION_JSON);
  const evaluation = existsSync(evaluationPath)
    ? (JSON.parse(await readFile(evaluationPath, 'utf8')) as {
        accuracy: number;
        confusion: number[][];
        epoch?: number;
      })
    : undefined;
  let misclassified: MisclassifiedImage[] | undefined;
  const limit = options.misclassified ?? DEFAULT_MISCLASSIFIED;
  const dataDir = options.dataDir ?? record.dataDir;
  if (limit > 0 && existsSync(join(runDir, MODEL_DIR))) {
    if (missingCifarFiles(dataDir).length === 0) {
      log(`finding misclassified test images with the saved model (data: ${dataDir})`);
      misclassified = (await findTopLosses(runDir, dataDir, limit)).images;
    } else {
      log(
        `no misclassified-image grid: the CIFAR-10 test batch is not in ${dataDir} (pass --data DIR)`,
      );
    }
  }
  const lrFindDir = options.lrFindDir ?? (hasLrFind(runDir) ? runDir : undefined);
  const lrFind = lrFindDir ? await readLrFind(lrFindDir) : undefined;
  const search = options.searchDir ? await readSearchView(options.searchDir) : undefined;
  const steps = await readStepLosses(runDir);
  const sum = (f: (m: (typeof metrics)[number]) => number) => metrics.reduce((s, m) => s + f(m), 0);
  const facts: Record<string, string | number> = {
    parameters: record.parameters.toLocaleString('en-US'),
    'training / validation images': `${record.trainSamples} / ${record.valSamples}`,
    optimizer: `${record.config.optimizer.kind}, lr ${record.config.optimizer.lr}, ${record.config.schedule} schedule, batch ${record.config.batchSize}`,
    augmentation: AUGMENTATION_TEXT[augmentationOf(record.config.augment)],
    'data set': record.dataDir,
    started: record.startedAt,
    'setup (data loading)': `${record.setupSeconds.toFixed(1)} s`,
    'training wall time': `${sum((m) => m.seconds).toFixed(1)} s over ${metrics.length} epochs`,
    'training throughput': `${Math.round(sum((m) => m.samplesPerSec) / Math.max(1, metrics.length))} samples/s (mean of epochs)`,
  };
  if (!steps)
    facts['per-step loss'] = 'not recorded (the run predates steps.csv): curves are per epoch';
  if (record.dataWaitFraction !== undefined)
    facts['waiting for data'] = `${(record.dataWaitFraction * 100).toFixed(1)}% of training time`;
  if (record.bestEpoch != null) facts['best epoch (early stopping)'] = record.bestEpoch;
  if (record.finalWeightsEpoch !== undefined)
    facts['weights saved from epoch'] = record.finalWeightsEpoch;
  if (record.status !== 'finished')
    facts.status = `${runStatusWords(runDir, record)}: unfinished, a report of the epochs so far`;
  return {
    title: `labkit run: ${runDir}`,
    epochs: metrics.map((m) => ({
      epoch: m.epoch,
      trainLoss: m.trainLoss,
      trainAccuracy: m.trainAccuracy,
      ...(m.valLoss === null ? {} : { valLoss: m.valLoss }),
      ...(m.valAccuracy === null ? {} : { valAccuracy: m.valAccuracy }),
      learningRate: m.lr,
      seconds: m.seconds,
      samplesPerSec: m.samplesPerSec,
    })),
    classNames: record.classes,
    diagnosis,
    lrPerStep: scheduleCurve(record, metrics.length),
    ...(steps
      ? {
          steps: {
            losses: steps.losses,
            stepsPerEpoch: stepsPerEpochOf(record),
          },
        }
      : {}),
    ...(lrFind ? { lrFind } : {}),
    ...(search ? { search } : {}),
    ...(evaluation ? { confusion: evaluation.confusion, testAccuracy: evaluation.accuracy } : {}),
    ...(misclassified ? { misclassified } : {}),
    spec: record.config,
    backend: record.backend.fallbackReason
      ? `${record.backend.name} (${fallbackSummary(record.backend.fallbackReason)}; details in run.json)`
      : record.backend.name,
    facts,
  };
}

/** Writes `report.html` and the standalone SVG plots into the run directory; returns their paths. */
export async function writeRunReport(
  runDir: string,
  options: RunReportOptions = {},
): Promise<string[]> {
  const { html, svgs } = await renderReport(await gatherRunReport(runDir, options));
  const written: string[] = [];
  for (const [name, svg] of Object.entries(svgs)) {
    await writeFileAtomic(join(runDir, name), svg);
    written.push(join(runDir, name));
  }
  await writeFileAtomic(join(runDir, REPORT_HTML), html);
  written.push(join(runDir, REPORT_HTML));
  return written;
}
