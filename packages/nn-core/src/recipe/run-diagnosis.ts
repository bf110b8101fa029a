/** Diagnosis of a finished (or running) `labkit train` run directory from its recorded files. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  divergedRunSteps,
  divergenceWords,
  type RecordedDivergence,
} from '../train/diverged-run.js';
import type { EpochMetrics } from '../train/epoch-metrics.js';
import { METRICS_JSONL } from '../train/run-files.js';
import { readRunRecord } from '../train/run-record.js';
import type { RunRecord } from '../train/run-types.js';
import { type Diagnosis, diagnose, type RunContext } from './diagnose.js';
import { recipeContext, toEpochPoint } from './run-context.js';

export { recipeContext, toEpochPoint } from './run-context.js';

/** Reads `metrics.jsonl`; a malformed line is an error naming the file and line. */
export async function readRunMetrics(runDir: string): Promise<EpochMetrics[]> {
  const path = join(runDir, METRICS_JSONL);
  if (!existsSync(path))
    throw new Error(
      `${runDir} has no ${METRICS_JSONL}: no epoch has finished yet, or it is not a labkit run directory`,
    );
  const lines = (await readFile(path, 'utf8')).split('\n');
  const out: EpochMetrics[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let row: EpochMetrics;
    try {
      row = JSON.parse(line) as EpochMetrics;
    } catch (error) {
      throw new Error(`${path}:${i + 1}: not a JSON object (${(error as Error).message})`);
    }
    if (
      typeof row.epoch !== 'number' ||
      typeof row.trainLoss !== 'number' ||
      typeof row.trainAccuracy !== 'number'
    ) {
      throw new Error(`${path}:${i + 1}: expected numbers epoch, trainLoss and trainAccuracy`);
    }
    out.push(row);
  });
  return out;
}

/** What the run already used, so that the advice does not repeat it. */
export function runContext(record: RunRecord): RunContext {
  return {
    ...recipeContext(record.config),
    valSplit: record.config.valSplit,
    trainImages: record.trainSamples + record.valSamples,
  };
}

export interface RunDiagnosis {
  record: RunRecord;
  metrics: EpochMetrics[];
  diagnosis: Diagnosis;
}

/** A diverged run's verdict: where it diverged and the way on, whatever its earlier curves say. */
function divergedDiagnosis(runDir: string, at: RecordedDivergence, epochs: number): Diagnosis {
  return {
    verdict: 'diverged',
    summary: `Training diverged: ${divergenceWords(at)}.`,
    evidence: [
      `${epochs} epoch${epochs === 1 ? '' : 's'} finished with a finite loss before it diverged`,
    ],
    nextSteps: divergedRunSteps(runDir, at),
  };
}

export async function diagnoseRun(runDir: string): Promise<RunDiagnosis> {
  const record = await readRunRecord(runDir);
  if (record.status === 'diverged' && record.divergedAt) {
    // It may have diverged before its first epoch ended: then there are no metrics to read.
    const metrics = existsSync(join(runDir, METRICS_JSONL)) ? await readRunMetrics(runDir) : [];
    return {
      record,
      metrics,
      diagnosis: divergedDiagnosis(runDir, record.divergedAt, metrics.length),
    };
  }
  const metrics = await readRunMetrics(runDir);
  return { record, metrics, diagnosis: diagnose(metrics.map(toEpochPoint), runContext(record)) };
}
