/**
 * The model of a run's last checkpoint (`labkit eval RUN --checkpoint last`): a stopped or killed
 * run has no saved model yet, but its checkpoint holds the weights it had reached.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel } from '../model/build.js';
import { foldWhitening } from '../model/fold-whitening.js';
import { readCheckpoint } from '../train/checkpoint.js';
import { divergedRunMessage, divergencePlace } from '../train/diverged-run.js';
import { restoreWeights } from '../train/fit.js';
import {
  CHECKPOINT_FILE,
  checkpointPlace,
  DivergedRunError,
  readRunRecord,
  readRunWhitening,
  UnfinishedRunError,
} from '../train/run.js';
import { resumeCommand } from '../train/run-dir.js';
import type { TrainedModel } from './trained-model.js';

/** A checkpoint's model, and where in its run the weights come from. */
export interface CheckpointModel {
  trained: TrainedModel;
  /** Epochs complete, and batches of the next one when the run was paused inside it. */
  epochsDone: number;
  batchesDone?: number;
  /** Epochs the run was started (or extended) for. */
  epochs: number;
  /** The run ended; its `model/` then holds the weights it reports (the best epoch's, with early stopping). */
  finished: boolean;
  /** One line saying whose weights these are, e.g. `the last checkpoint of an unfinished run: ...`. */
  description: string;
}

/** Builds the run's model and sets the weights of its last checkpoint (whitening folded in, as saved models are). */
export async function loadLastCheckpoint(runDir: string): Promise<CheckpointModel> {
  const record = await readRunRecord(runDir);
  const path = join(runDir, CHECKPOINT_FILE);
  if (!existsSync(path)) {
    if (record.divergedAt) {
      throw new DivergedRunError(
        divergedRunMessage(runDir, record.divergedAt, 'it has no checkpoint of trained weights'),
      );
    }
    throw new UnfinishedRunError(
      `${runDir} has no checkpoint: it stopped before its first epoch ended, so there are no trained weights to use; continue it with '${resumeCommand(runDir)}'`,
    );
  }
  const checkpoint = await readCheckpoint<{
    epochsDone: number;
    runId?: string;
    partial?: { batchesDone: number };
  }>(path);
  const { state } = checkpoint;
  if (record.runId && state.runId !== record.runId) {
    throw new Error(
      `${path} was written by another run than ${join(runDir, 'run.json')} describes; it will not be used`,
    );
  }
  const { spec } = record.config;
  const model = buildModel(spec, record.config.seed);
  try {
    restoreWeights(model, checkpoint.tensors.model ?? []);
    if (record.config.whitening?.kind === 'zca') {
      const whitening = await readRunWhitening(runDir);
      if (!whitening) throw new Error(`${runDir} has a checkpoint but lost its whitening files`);
      foldWhitening(model, whitening);
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  const done = {
    epochsDone: state.epochsDone,
    ...(state.partial ? { batchesDone: state.partial.batchesDone } : {}),
  };
  const finished = record.status === 'finished';
  const epochs = record.config.epochs;
  const place = `${checkpointPlace(done)} of ${epochs}`;
  return {
    trained: { model, spec, stats: record.stats, classes: record.classes },
    ...done,
    epochs,
    finished,
    description: finished
      ? `weights of the last checkpoint of a finished run (${place})`
      : record.divergedAt
        ? `weights of the last checkpoint of a diverged run (${place}), from before it diverged at ${divergencePlace(record.divergedAt)}: not a finished model`
        : `weights of the last checkpoint of an unfinished run (status ${record.status}, ${place}): not a finished model`,
  };
}
