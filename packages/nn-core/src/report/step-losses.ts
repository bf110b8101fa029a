/**
 * The per-step training loss of a run (`steps.csv`, written by training) and its smoothed curve: an
 * exponential moving average debiased as TensorBoard does, so the first steps are not pulled
 * towards zero.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { smoothLosses } from '../recipe/lr-range.js';
import { STEPS_CSV, STEPS_CSV_HEADER } from '../train/metrics-files.js';
import type { RunRecord } from '../train/run.js';

/** Weight of the running average in the step-loss smoothing (TensorBoard's slider; 0 = none). */
export const STEP_LOSS_SMOOTHING = 0.95;

export interface StepLosses {
  /** Loss of step `i + 1`. */
  losses: number[];
  /** Epoch (1-based) of step `i + 1`. */
  epochs: number[];
}

/** A `steps.csv` that is not what training writes. */
export class StepsFileError extends Error {
  override name = 'StepsFileError';
}

/** Parses `steps.csv`; `path` names the file in errors (file:line, what was expected). */
export function parseStepsCsv(text: string, path: string): StepLosses {
  const lines = text.split('\n');
  if (lines[0]?.trim() !== STEPS_CSV_HEADER)
    throw new StepsFileError(
      `${path}:1: expected the header '${STEPS_CSV_HEADER}', found '${lines[0] ?? ''}'`,
    );
  const losses: number[] = [];
  const epochs: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    const [step, epoch, loss] = cells.map(Number);
    if (cells.length !== 3 || step !== losses.length + 1 || !Number.isInteger(epoch)) {
      throw new StepsFileError(
        `${path}:${i + 1}: expected 'step,epoch,loss' with step ${losses.length + 1}, found '${line}'`,
      );
    }
    if (!Number.isFinite(loss))
      throw new StepsFileError(
        `${path}:${i + 1}, column 3: the loss '${cells[2]}' is not a number`,
      );
    losses.push(loss as number);
    epochs.push(epoch as number);
  }
  return { losses, epochs };
}

/** The run's per-step losses, or undefined when it recorded none (runs before steps.csv). */
export async function readStepLosses(runDir: string): Promise<StepLosses | undefined> {
  const path = join(runDir, STEPS_CSV);
  if (!existsSync(path)) return undefined;
  return parseStepsCsv(await readFile(path, 'utf8'), path);
}

/** The debiased exponential moving average of `losses` (TensorBoard's smoothing). */
export function smoothStepLosses(
  losses: readonly number[],
  weight = STEP_LOSS_SMOOTHING,
): number[] {
  return smoothLosses(losses, weight);
}

/** Optimizer steps per epoch of a run (its last batch may be smaller: no batch is dropped). */
export const stepsPerEpochOf = (record: RunRecord) =>
  Math.ceil(record.trainSamples / record.config.batchSize);
