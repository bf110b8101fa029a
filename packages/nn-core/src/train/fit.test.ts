import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/startup/select.js';
import { epochOrder } from '../data/batches.js';
import { createRng } from '../data/rng.js';
import { buildModel } from '../model/build.js';
import { type ModelSpec, validateSpec } from '../model/spec.js';
import * as tf from '../tfjs.js';
import { checkpointFile } from './checkpoint.js';
import { TrainingDivergedError } from './errors.js';
import { type EpochMetrics, type FitOptions, fit } from './fit.js';
import { metricsFilesCallback, STEPS_CSV } from './metrics-files.js';
import { arraySource } from './source.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const WIDTH = 20;
const CLASSES = 3;

/**
 * Three Gaussian blobs in 20 dimensions, centres sqrt(14) apart with unit noise: a Bayes-optimal
 * classifier scores about 93%, chance is 1/3.
 */
function blobs(count: number, seed: number, noise = 1) {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const centres = Array.from({ length: CLASSES }, (_, c) =>
    Array.from({ length: WIDTH }, (_, d) => (d % CLASSES === c ? 1 : 0)),
  );
  const x = new Float32Array(count * WIDTH);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const c = i % CLASSES;
    y[i] = c;
    for (let d = 0; d < WIDTH; d++)
      x[i * WIDTH + d] = (centres[c]?.[d] as number) + noise * gauss();
  }
  return { x, y };
}

const spec: ModelSpec = validateSpec({
  inputSize: WIDTH,
  classes: CLASSES,
  hidden: [32, 16],
  batchNorm: 'before',
  dropout: 0.2,
  l2: 1e-4,
});
const trainData = blobs(240, 1);
const valData = blobs(90, 2);
const shuffled = (epoch: number) => epochOrder(trainData.y.length, true, 42, epoch);

function options(overrides: Partial<FitOptions> = {}): FitOptions {
  return {
    classes: CLASSES,
    l2: spec.l2,
    optimizer: { kind: 'adam', lr: 0.01 },
    schedule: { kind: 'onecycle' },
    epochs: 6,
    seed: 3,
    train: arraySource(trainData.x, trainData.y, 32, shuffled),
    val: arraySource(valData.x, valData.y, 64),
    ...overrides,
  };
}

/** Metrics without the wall-clock fields, which differ between any two runs. */
const learned = (history: EpochMetrics[]) =>
  history.map(({ epoch, trainLoss, trainAccuracy, valLoss, valAccuracy, lr }) => ({
    epoch,
    trainLoss,
    trainAccuracy,
    valLoss,
    valAccuracy,
    lr,
  }));

describe('fit', { timeout: 60_000 }, () => {
  it('drives the loss down and the accuracy up on a learnable problem', async () => {
    const model = buildModel(spec, 1);
    const result = await fit(model, options({ epochs: 8 }));
    const first = result.history[0] as EpochMetrics;
    const last = result.history.at(-1) as EpochMetrics;
    expect(result.history).toHaveLength(8);
    expect(last.trainLoss).toBeLessThan(first.trainLoss * 0.7);
    expect(last.valAccuracy).toBeGreaterThan(0.8); // chance is 1/3
    expect(result.steps).toBe(8 * 8);
    expect(last.samplesPerSec).toBeGreaterThan(0);
    model.dispose();
  });

  it('is reproducible: the same seed gives the same metrics', async () => {
    const a = await fit(buildModel(spec, 1), options({ epochs: 2 }));
    const b = await fit(buildModel(spec, 1), options({ epochs: 2 }));
    expect(learned(b.history)).toEqual(learned(a.history));
  });

  it('leaks no tensors: the tensor count is flat from epoch to epoch', async () => {
    const model = buildModel(spec, 1);
    const counts: number[] = [];
    await fit(
      model,
      options({
        epochs: 5,
        earlyStopping: { patience: 10 },
        callbacks: [{ onEpochEnd: () => void counts.push(tf.memory().numTensors) }],
      }),
    );
    // Epoch 1 creates the optimizer's moment variables; after that nothing may accumulate.
    expect(counts.slice(1)).toEqual([counts[1], counts[1], counts[1], counts[1]]);
    model.dispose();
  });

  it('resumes a stopped run from its checkpoint and reproduces the uninterrupted run exactly', async () => {
    for (const optimizer of [
      { kind: 'adam', lr: 0.01 },
      { kind: 'sgd', lr: 0.05, momentum: 0.9 },
    ] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'labkit-resume-'));
      const full = await fit(
        buildModel(spec, 1),
        options({ optimizer, checkpoint: checkpointFile(join(dir, 'full.ckpt')) }),
      );

      const path = join(dir, 'part.ckpt');
      // "Kill" the run after epoch 2: the checkpoint is written before the epoch's callbacks run.
      const killed = await fit(
        buildModel(spec, 1),
        options({
          optimizer,
          checkpoint: checkpointFile(path),
          callbacks: [
            {
              onEpochEnd: (m, ctx) => {
                if (m.epoch === 2) ctx.stopTraining = true;
              },
            },
          ],
        }),
      );
      expect(killed.history).toHaveLength(2);
      // A fresh model with other initial weights: everything must come from the checkpoint.
      const resumedModel = buildModel(spec, 99);
      const resumed = await fit(
        resumedModel,
        options({ optimizer, checkpoint: checkpointFile(path), resume: true }),
      );
      expect(resumed.resumedFromEpoch).toBe(2);
      expect(learned(resumed.history)).toEqual(learned(full.history));
      expect(resumed.steps).toBe(full.steps);
    }
  });

  it('pauses inside an epoch and a resume trains the rest of that epoch bit for bit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labkit-pause-'));
    const full = await fit(
      buildModel(spec, 1),
      options({
        checkpoint: checkpointFile(join(dir, 'full.ckpt')),
        callbacks: [metricsFilesCallback(dir)],
      }),
    );
    const fullSteps = readFileSync(join(dir, STEPS_CSV), 'utf8');
    expect(fullSteps.trim().split('\n')).toHaveLength(full.steps + 1);
    for (const pauseAtStep of [3, 8 + 5, 8 * 5 + 7]) {
      const path = join(dir, `paused-${pauseAtStep}.ckpt`);
      const filesDir = mkdtempSync(join(tmpdir(), 'labkit-pause-files-'));
      const paused = await fit(
        buildModel(spec, 1),
        options({
          checkpoint: checkpointFile(path),
          runId: 'run-a',
          callbacks: [
            metricsFilesCallback(filesDir),
            {
              onBatchEnd: (b, ctx) => {
                if (b.step === pauseAtStep) ctx.stopTraining = true;
              },
            },
          ],
        }),
      );
      const epoch = Math.ceil(pauseAtStep / 8);
      expect(paused.completed).toBe(false);
      expect(paused.pausedAt).toEqual({ epoch, batchesDone: pauseAtStep - (epoch - 1) * 8 });
      // The unfinished epoch is not in the history: it is not done.
      expect(paused.history).toHaveLength(epoch - 1);
      // The paused run's steps.csv holds every step it trained, the unfinished epoch's too.
      const pausedRows = readFileSync(join(filesDir, STEPS_CSV), 'utf8').trim().split('\n');
      expect(pausedRows).toHaveLength(pauseAtStep + 1);
      expect(pausedRows.at(-1)).toBe(fullSteps.split('\n')[pauseAtStep]);
      const resumed = await fit(
        buildModel(spec, 99),
        options({
          checkpoint: checkpointFile(path),
          resume: true,
          runId: 'run-a',
          callbacks: [metricsFilesCallback(filesDir)],
        }),
      );
      expect(resumed.completed).toBe(true);
      expect(learned(resumed.history)).toEqual(learned(full.history));
      expect(resumed.steps).toBe(full.steps);
      expect(readFileSync(join(filesDir, STEPS_CSV), 'utf8')).toBe(fullSteps);
    }
  });

  it('refuses to resume from a checkpoint written for another run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labkit-other-'));
    const path = join(dir, 'run.ckpt');
    await fit(
      buildModel(spec, 1),
      options({ epochs: 1, checkpoint: checkpointFile(path), runId: 'old' }),
    );
    await expect(
      fit(
        buildModel(spec, 1),
        options({ checkpoint: checkpointFile(path), resume: true, runId: 'new' }),
      ),
    ).rejects.toThrow(/run\.ckpt belongs to another run \(old, not new\)/);
  });

  it('stops early, restores the best epoch and says so', async () => {
    const model = buildModel(spec, 1);
    // A constant, far too high rate makes validation loss worsen after the first epochs.
    const result = await fit(
      model,
      options({
        epochs: 30,
        optimizer: { kind: 'adam', lr: 0.05 },
        schedule: { kind: 'constant' },
        train: arraySource(trainData.x.subarray(0, 30 * WIDTH), trainData.y.subarray(0, 30), 10),
        earlyStopping: { patience: 2 },
      }),
    );
    const best = Math.min(...result.history.map((m) => m.valLoss as number));
    const bestEpoch = result.history.findIndex((m) => m.valLoss === best) + 1;
    expect(result.stoppedEarly).toBe(true);
    expect(result.bestEpoch).toBe(bestEpoch);
    expect(result.history).toHaveLength(bestEpoch + 2);
    expect(result.finalWeightsEpoch).toBe(bestEpoch);
    // Resuming an early-stopped run does not train on.
    const dir = mkdtempSync(join(tmpdir(), 'labkit-stopped-'));
    const stoppedOptions = options({
      epochs: 30,
      optimizer: { kind: 'adam', lr: 0.05 },
      schedule: { kind: 'constant' },
      train: arraySource(trainData.x.subarray(0, 30 * WIDTH), trainData.y.subarray(0, 30), 10),
      earlyStopping: { patience: 2 },
      checkpoint: checkpointFile(join(dir, 'run.ckpt')),
    });
    const first = await fit(buildModel(spec, 1), stoppedOptions);
    const again = await fit(buildModel(spec, 1), { ...stoppedOptions, resume: true });
    expect(again.history).toHaveLength(first.history.length);
    expect(again.stoppedEarly).toBe(true);
    expect(again.finalWeightsEpoch).toBe(first.finalWeightsEpoch);
    // The model holds the best epoch's weights: evaluating it again gives the best validation loss.
    const { evaluate } = await import('../eval/evaluate.js');
    expect(evaluate(model, arraySource(valData.x, valData.y, 64), CLASSES).loss).toBeCloseTo(
      best,
      5,
    );
  });

  it('calls every hook in order, passes batch facts and honours stopTraining mid-epoch', async () => {
    const events: string[] = [];
    const result = await fit(
      buildModel(spec, 1),
      options({
        epochs: 3,
        callbacks: [
          {
            onTrainBegin: (ctx) => void events.push(`begin ${ctx.epochs}x${ctx.stepsPerEpoch}`),
            onEpochBegin: (e) => void events.push(`epoch ${e}`),
            onBatchEnd: (b, ctx) => {
              events.push(`batch ${b.epoch}.${b.batch} size ${b.size}`);
              if (b.step === 10) ctx.stopTraining = true;
            },
            onEpochEnd: (m) => void events.push(`end ${m.epoch}`),
            onTrainEnd: (r) => void events.push(`done ${r.steps}`),
          },
        ],
      }),
    );
    expect(events.slice(0, 3)).toEqual(['begin 3x8', 'epoch 1', 'batch 1.0 size 32']);
    expect(events.slice(-4)).toEqual([
      'batch 2.0 size 32',
      'batch 2.1 size 32',
      'end 2',
      'done 10',
    ]);
    expect(events).toContain('batch 1.7 size 16'); // 240 = 7 * 32 + 16
    expect(result.history).toHaveLength(2);
  });

  it('fails clearly when the loss diverges', async () => {
    await expect(
      fit(
        buildModel(spec, 1),
        options({ optimizer: { kind: 'sgd', lr: 1e30 }, schedule: { kind: 'constant' } }),
      ),
    ).rejects.toThrow(
      /training diverged: loss is (NaN|Infinity) at epoch 1, step \d+ \(learning rate 1e\+30\)/,
    );
  });

  it('says where it diverged as a TrainingDivergedError (epoch, step, lr, loss)', async () => {
    const error = await fit(
      buildModel(spec, 1),
      options({ optimizer: { kind: 'sgd', lr: 1e30 }, schedule: { kind: 'constant' } }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const diverged = error as TrainingDivergedError;
    expect(diverged.epoch).toBe(1);
    expect(diverged.step).toBeGreaterThanOrEqual(1);
    expect(diverged.lr).toBe(1e30);
    expect(Number.isFinite(diverged.loss)).toBe(false);
    expect(diverged.message).toContain(`step ${diverged.step} (learning rate 1e+30)`);
  });

  it('stops as diverged when the validation loss is not finite at an epoch end, keeping no checkpoint of those weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labkit-val-nan-'));
    const badVal = Float32Array.from(valData.x, (v, i) => (i === 5 ? Number.NaN : v));
    const error = await fit(
      buildModel(spec, 1),
      options({
        val: arraySource(badVal, valData.y, 64),
        checkpoint: checkpointFile(join(dir, 'checkpoint.ckpt')),
        callbacks: [metricsFilesCallback(dir)],
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const diverged = error as TrainingDivergedError;
    expect(diverged).toMatchObject({ epoch: 1, step: 8, atEpochEnd: 'validation' });
    expect(diverged.loss).toBeNaN();
    expect(diverged.message).toBe(
      'training diverged: validation loss is NaN at the end of epoch 1 (after step 8, learning rate ' +
        `${diverged.lr}); try a lower --lr`,
    );
    expect(existsSync(join(dir, 'checkpoint.ckpt'))).toBe(false);
    // No epoch was recorded: the diverged epoch's metrics are not a result.
    expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim()).toBe('');
  });

  it('writes metrics.csv and metrics.jsonl with one row per epoch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labkit-metrics-'));
    const result = await fit(
      buildModel(spec, 1),
      options({ epochs: 2, callbacks: [metricsFilesCallback(dir)] }),
    );
    const csv = readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,samples_per_sec,seconds,train_seconds,data_seconds',
    );
    expect(csv).toHaveLength(3);
    expect(Number(csv[2]?.split(',')[1])).toBe(result.history[1]?.trainLoss);
    const jsonl = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(jsonl).toEqual(result.history);
    expect(existsSync(join(dir, 'metrics.csv'))).toBe(true);
    // steps.csv: one row per optimizer step; each epoch's batch-size-weighted mean is its train loss.
    const steps = readFileSync(join(dir, STEPS_CSV), 'utf8').trim().split('\n');
    expect(steps[0]).toBe('step,epoch,loss');
    expect(steps).toHaveLength(result.steps + 1);
    const rows = steps.slice(1).map((r) => r.split(',').map(Number));
    expect(rows.map((r) => r[0])).toEqual(rows.map((_, i) => i + 1));
    for (const m of result.history) {
      const epochRows = rows.filter((r) => r[1] === m.epoch);
      expect(epochRows).toHaveLength(8);
      // 240 samples in batches of 32: seven full batches and a last one of 16.
      const weighted = epochRows.reduce((s, r, i) => s + (r[2] as number) * (i === 7 ? 16 : 32), 0);
      expect(weighted / 240).toBeCloseTo(m.trainLoss, 10);
    }
  });
});
