import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/startup/select.js';
import { RECORD_SIZE } from '../data/cifar10.js';
import { makeCifarBatch, writeCifarDir } from '../data/testing.js';
import { loadLastCheckpoint } from '../eval/checkpoint-model.js';
import { formatDiagnosis } from '../recipe/diagnose.js';
import { diagnoseRun, readRunMetrics } from '../recipe/run-diagnosis.js';
import { TrainingDivergedError } from './errors.js';
import type { EpochMetrics } from './fit.js';
import { formatLoss } from './loss-format.js';
import { TrainingMemoryError } from './memory.js';
import { METRICS_CSV } from './metrics-files.js';
import {
  CHECKPOINT_FILE,
  DivergedRunError,
  finishedRunRecord,
  planResume,
  RUN_JSON,
  readRunRecord,
  runSchedule,
  type TrainRunConfig,
  trainRun,
} from './run.js';
import { LOCK_FILE, processStartTime, RunRequestError } from './run-dir.js';
import { stopAfterStep, tinyRunConfig } from './testing.js';

const backend = { name: 'cpu' as const };

/** Resumes the run in `dir`, collecting its log lines; the model is disposed. */
async function resumeLogged(dir: string) {
  const lines: string[] = [];
  const resumed = await trainRun({ runDir: dir, backend, resume: true, log: (l) => lines.push(l) });
  resumed.model.dispose();
  return { resumed, lines };
}
let root = '';
let dataDir = '';

const config = tinyRunConfig();

beforeAll(async () => {
  await initBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'labkit-run-'));
  dataDir = writeCifarDir(join(root, 'data'), { trainPerBatch: 12, test: 10 });
});

/** A run's learned metrics (wall-clock columns dropped) from its metrics.csv. */
const learned = (dir: string) =>
  readFileSync(join(dir, METRICS_CSV), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(',').slice(0, 6).join(','));

async function run(dir: string, overrides: Partial<TrainRunConfig> = {}, force = false) {
  const result = await trainRun({
    config: { ...config, ...overrides },
    dataDir,
    runDir: dir,
    backend,
    force,
  });
  result.model.dispose();
  return result;
}

describe('trainRun owns its run directory', { timeout: 120_000 }, () => {
  it('refuses an existing run as --out unless forced, and then leaves nothing of the old one', async () => {
    const dir = join(root, 'owned');
    await run(dir, { epochs: 2 });
    writeFileSync(join(dir, 'report.html'), 'old report');
    await expect(run(dir)).rejects.toThrow(RunRequestError);
    await expect(run(dir)).rejects.toThrow(
      /already holds a run; continue it with 'labkit train --resume/,
    );
    await run(dir, { epochs: 1 }, true);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
    expect(learned(dir)).toHaveLength(2);
    expect((await readRunRecord(dir)).config.epochs).toBe(1);
  });

  it('never deletes a directory of other files, even with force', async () => {
    const dir = join(root, 'mine');
    mkdirSync(dir);
    writeFileSync(join(dir, 'thesis.tex'), 'precious');
    await expect(run(dir, {}, true)).rejects.toThrow(/not a labkit run \(it holds thesis\.tex\)/);
    expect(readFileSync(join(dir, 'thesis.tex'), 'utf8')).toBe('precious');
  });

  it('never deletes files a user added to a run directory: not with --force, not on resume', async () => {
    const dir = join(root, 'annotated');
    await run(dir, { epochs: 1 });
    writeFileSync(join(dir, 'notes.md'), 'my notes');
    writeFileSync(join(dir, 'my-plot.svg'), '<svg/>');
    writeFileSync(join(dir, 'loss.svg'), 'an old report plot');
    await expect(run(dir, {}, true)).rejects.toThrow(
      /holds a run and files labkit did not write \(my-plot\.svg, notes\.md\).*even with --force/,
    );
    expect(readFileSync(join(dir, 'notes.md'), 'utf8')).toBe('my notes');
    const resumed = await trainRun({ runDir: dir, backend, resume: { epochs: 2 } });
    resumed.model.dispose();
    expect(readFileSync(join(dir, 'notes.md'), 'utf8')).toBe('my notes');
    expect(readFileSync(join(dir, 'my-plot.svg'), 'utf8')).toBe('<svg/>');
    // The old report's plot described the run before the resume: it goes.
    expect(existsSync(join(dir, 'loss.svg'))).toBe(false);
  });

  it('gives each default-named run its own directory', async () => {
    const base = join(root, 'runs', 'train-same-second');
    const dirs = await Promise.all(
      [1, 2].map(async () => {
        const r = await trainRun({
          config: { ...config, epochs: 1 },
          dataDir,
          runDir: base,
          backend,
          uniqueDir: true,
        });
        r.model.dispose();
        return r.runDir;
      }),
    );
    expect(new Set(dirs).size).toBe(2);
    for (const dir of dirs) expect((await readRunRecord(dir)).status).toBe('finished');
  });

  it('refuses a resume into a checkpoint of another run', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    await run(a, { epochs: 1 });
    await run(b, { epochs: 2 });
    writeFileSync(join(b, CHECKPOINT_FILE), readFileSync(join(a, CHECKPOINT_FILE)));
    await expect(planResume(b)).rejects.toThrow(/was written by another run/);
  });

  it('rewrites the metrics from the checkpoint, removes stale temp files and a dead lock', async () => {
    const dir = join(root, 'killed');
    const whole = join(root, 'whole');
    await run(whole);
    await run(dir);
    // What a kill between the last checkpoint and its metrics write leaves behind:
    const rows = readFileSync(join(dir, METRICS_CSV), 'utf8').trim().split('\n');
    writeFileSync(join(dir, METRICS_CSV), `${rows.slice(0, -1).join('\n')}\n`);
    const record = JSON.parse(readFileSync(join(dir, RUN_JSON), 'utf8'));
    writeFileSync(join(dir, RUN_JSON), JSON.stringify({ ...record, status: 'running' }));
    writeFileSync(join(dir, '.checkpoint.ckpt.4242.0badf00d.tmp'), 'half a checkpoint');
    writeFileSync(join(dir, LOCK_FILE), '999999999\n');
    const { lines } = await resumeLogged(dir);
    expect(lines).toContain(
      `resuming ${dir}: all 3 epochs are trained (it stopped after its last checkpoint); saving the model and evaluating`,
    );
    expect(lines.some((l) => l.includes('removed 1 temporary file'))).toBe(true);
    expect(learned(dir)).toEqual(learned(whole));
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp') || n === LOCK_FILE)).toEqual([]);
  });

  it('a run stopped inside an epoch is not finished; its resume ends where an uninterrupted run does', async () => {
    const whole = join(root, 'whole-2');
    await run(whole);
    const dir = join(root, 'paused');
    const paused = await trainRun({
      config,
      dataDir,
      runDir: dir,
      backend,
      callbacks: [stopAfterStep(5)],
    });
    paused.model.dispose();
    expect(paused.record.status).toBe('stopped');
    await expect(finishedRunRecord(dir)).rejects.toThrow(
      /is not finished \(status stopped; its last checkpoint is at batch \d of epoch 2 of 3\), so it has no model to use; continue it with 'labkit train --resume \S+', or evaluate its last checkpoint with 'labkit eval \S+ --checkpoint last'$/,
    );
    const { resumed, lines } = await resumeLogged(dir);
    const at = paused.fit.pausedAt;
    expect(at?.epoch).toBe(2);
    expect(lines).toContain(`resuming ${dir} at epoch 2 of 3, after batch ${at?.batchesDone}`);
    expect(learned(dir)).toEqual(learned(whole));
    expect(resumed.test?.accuracy).toBe((await readRunRecord(whole)).testAccuracy);
  });

  it('extends a finished run with --epochs: a fresh schedule for the new epochs, recorded', async () => {
    const dir = join(root, 'extend');
    await run(dir, { epochs: 2 });
    await expect(planResume(dir)).rejects.toThrow(
      /is finished \(2 of 2 epochs\); to train it further, resume with --epochs N/,
    );
    await expect(planResume(dir, { epochs: 1 })).rejects.toThrow(/give more than 2/);
    const plan = await planResume(dir, { epochs: 4 });
    expect(plan.changes).toEqual([
      'epochs 2 -> 4: epochs 3-4 run a fresh onecycle schedule of their own over 2 epochs (a warm restart with peak learning rate 0.01); the earlier epochs keep theirs',
    ]);
    const extended = await trainRun({ runDir: dir, backend, resume: { epochs: 4 } });
    extended.model.dispose();
    const record = await readRunRecord(dir);
    expect(record).toMatchObject({ status: 'finished', epochsRun: 4 });
    expect(record.config.scheduleSegments).toEqual([2, 4]);
    expect(record.resumes?.[0]).toMatchObject({ fromEpoch: 2, epochs: 4 });
    // The first two epochs are exactly the 2-epoch run's; epoch 3 restarts the one-cycle warm-up.
    const twoEpochs = join(root, 'two');
    await run(twoEpochs, { epochs: 2 });
    expect(learned(dir).slice(0, 3)).toEqual(learned(twoEpochs));
    const lr = runSchedule(record.config);
    const clock = (step: number) => ({ step, stepsPerEpoch: 3, totalSteps: 12 });
    expect(lr(clock(6), 0.01)).toBe(lr(clock(0), 0.01));
    expect(lr(clock(6), 0.01)).toBeCloseTo(0.01 / 25, 12);
  });

  it('refuses to restart a run whose checkpoint is gone but whose epochs are recorded', async () => {
    const dir = join(root, 'lost-checkpoint');
    await run(dir, { epochs: 2 });
    rmSync(join(dir, CHECKPOINT_FILE));
    const before = readdirSync(dir).sort();
    await expect(planResume(dir, { epochs: 3 })).rejects.toThrow(RunRequestError);
    await expect(trainRun({ runDir: dir, backend, resume: { epochs: 3 } })).rejects.toThrow(
      `cannot resume ${dir}: ${join(dir, CHECKPOINT_FILE)} is missing, but its run.json and metrics record 2 finished epochs; its finished model in ${join(dir, 'model')} is intact and 'labkit eval ${dir}' still works on it`,
    );
    expect(readdirSync(dir).sort()).toEqual(before);
    // Without the model too (a run killed mid-way whose checkpoint was deleted): still refused.
    rmSync(join(dir, 'model'), { recursive: true });
    const record = JSON.parse(readFileSync(join(dir, RUN_JSON), 'utf8'));
    writeFileSync(
      join(dir, RUN_JSON),
      JSON.stringify({ ...record, status: 'running', epochsRun: undefined }),
    );
    await expect(planResume(dir)).rejects.toThrow(
      /is missing, but its run\.json and metrics record 2 finished epochs\. Starting over/,
    );
  });

  it('moves to new data with --data and says so', async () => {
    const dir = join(root, 'moved');
    await run(dir, { epochs: 1 });
    const moved = writeCifarDir(join(root, 'data-moved'), { trainPerBatch: 12, test: 10 });
    const gone = JSON.parse(readFileSync(join(dir, RUN_JSON), 'utf8'));
    writeFileSync(join(dir, RUN_JSON), JSON.stringify({ ...gone, dataDir: join(root, 'gone') }));
    await expect(planResume(dir, { epochs: 2 })).rejects.toThrow(
      /is no longer in .*gone; pass --data DIR/,
    );
    const plan = await planResume(dir, { epochs: 2, dataDir: moved });
    expect(plan.changes).toContain(`data ${join(root, 'gone')} -> ${moved}`);
    // Other images under the same layout are refused before anything changes.
    const other = writeCifarDir(join(root, 'data-other'), { trainPerBatch: 13, test: 10 });
    const before = readFileSync(join(dir, RUN_JSON), 'utf8');
    await expect(
      trainRun({ runDir: dir, backend, resume: { epochs: 2, dataDir: other } }),
    ).rejects.toThrow(
      /the images in .*data-other are not the ones .* was trained on \(their SHA-256 differs/,
    );
    expect(readFileSync(join(dir, RUN_JSON), 'utf8')).toBe(before);
    const resumed = await trainRun({ runDir: dir, backend, resume: { epochs: 2, dataDir: moved } });
    resumed.model.dispose();
    expect(resumed.record.status).toBe('finished');
  });
});

describe('a run whose loss diverges', { timeout: 120_000 }, () => {
  /** Plain SGD at a rate far too high for this net: the loss becomes NaN within a few epochs. */
  const explosive = (lr: number) =>
    tinyRunConfig({
      optimizer: { kind: 'sgd', lr },
      schedule: 'constant',
      epochs: 6,
      spec: { ...config.spec, batchNorm: 'none', dropout: 0, l2: 0 },
    });

  async function diverge(dir: string, lr: number): Promise<TrainingDivergedError> {
    const error = await trainRun({ config: explosive(lr), dataDir, runDir: dir, backend }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TrainingDivergedError);
    return error as TrainingDivergedError;
  }

  it('is recorded as diverged; eval and resume refuse it with the way on; diagnose says DIVERGED', async () => {
    const dir = join(root, 'diverged');
    const error = await diverge(dir, 10);
    // It diverged on a step after some epochs: their checkpoint is from before.
    expect(error.atEpochEnd).toBeUndefined();
    expect(error.epoch).toBeGreaterThan(1);
    const record = await readRunRecord(dir);
    expect(record.status).toBe('diverged');
    // The losses of the checkpoint's epoch, as metrics.jsonl has them: a reader judges its weights.
    const last = (await readRunMetrics(dir)).at(-1) as EpochMetrics;
    expect(last.epoch).toBe(error.epoch - 1);
    expect(record.divergedAt).toEqual({
      loss: String(error.loss),
      epoch: error.epoch,
      step: error.step,
      lr: 10,
      checkpoint: { epochsDone: error.epoch - 1, trainLoss: last.trainLoss, valLoss: last.valLoss },
    });
    expect(record.epochsRun).toBe(error.epoch - 1);
    const where = `loss is ${error.loss} at epoch ${error.epoch}, step ${error.step} (learning rate 10)`;
    const wayOn =
      "start a new run with a lower --lr (e.g. --lr 1; 'labkit lr-find' helps choose it): a resume would repeat the same steps and diverge again; " +
      `its last checkpoint is from before the divergence (the end of epoch ${error.epoch - 1}; epoch ${error.epoch - 1} ended with train loss ${formatLoss(last.trainLoss)}, validation loss ${formatLoss(last.valLoss as number)}); evaluate it with 'labkit eval ${dir} --checkpoint last'`;
    const refusal = await finishedRunRecord(dir).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DivergedRunError);
    expect((refusal as Error).message).toBe(
      `${dir} diverged: ${where}, so it has no model to use; ${wayOn}`,
    );
    const resume = await planResume(dir).catch((e: unknown) => e);
    expect(resume).toBeInstanceOf(RunRequestError);
    expect((resume as Error).message).toBe(
      `${dir} diverged: ${where}, so it will not be resumed; ${wayOn}`,
    );
    await expect(planResume(dir, { epochs: 8 })).rejects.toThrow(RunRequestError);
    const { diagnosis, metrics } = await diagnoseRun(dir);
    expect(metrics).toHaveLength(error.epoch - 1);
    expect(diagnosis.verdict).toBe('diverged');
    expect(diagnosis.summary).toBe(`Training diverged: ${where}.`);
    expect(formatDiagnosis(diagnosis)).toContain('Diagnosis: DIVERGED');
    const fromCheckpoint = await loadLastCheckpoint(dir);
    fromCheckpoint.trained.model.dispose();
    expect(fromCheckpoint.description).toBe(
      `weights of the last checkpoint of a diverged run (the end of epoch ${error.epoch - 1} of 6), from before it diverged at epoch ${error.epoch}, step ${error.step}: not a finished model`,
    );
  });

  it('offers no checkpoint when it diverged before its first epoch ended', async () => {
    const dir = join(root, 'diverged-at-once');
    const error = await diverge(dir, 1e6);
    expect(error.epoch).toBe(1);
    const record = await readRunRecord(dir);
    expect(record).toMatchObject({ status: 'diverged', epochsRun: 0 });
    expect(record.divergedAt?.checkpoint).toBeNull();
    const refusal = await finishedRunRecord(dir).catch((e: unknown) => (e as Error).message);
    expect(refusal).toMatch(
      /diverged: .*, so it has no model to use; start a new run with a lower --lr \(e\.g\. --lr 100000;/,
    );
    expect(refusal).not.toContain('--checkpoint last');
    await expect(loadLastCheckpoint(dir)).rejects.toThrow(
      /diverged: .*, so it has no checkpoint of trained weights; start a new run with a lower --lr/,
    );
    const { diagnosis } = await diagnoseRun(dir);
    expect(diagnosis.verdict).toBe('diverged');
    expect(diagnosis.nextSteps).toHaveLength(1);
  });
});

describe('trainRun checks its input before any work', { timeout: 60_000 }, () => {
  it('refuses a spec that does not fit CIFAR-10, a zero learning rate and a model too big to train', async () => {
    const dir = join(root, 'never');
    await expect(run(dir, { spec: { ...config.spec, inputSize: 100 } })).rejects.toThrow(
      /inputSize is 100, but a CIFAR-10 image has 3072 values/,
    );
    await expect(run(dir, { spec: { ...config.spec, classes: 5 } })).rejects.toThrow(
      /CIFAR-10 has 10/,
    );
    await expect(run(dir, { optimizer: { kind: 'adam', lr: 0 } })).rejects.toThrow(
      /a learning rate of 0 trains nothing/,
    );
    await expect(run(dir, { spec: { ...config.spec, hidden: [250000] } })).rejects.toThrow(
      /needs about \d+\.\d GiB to train, more than this machine's/,
    );
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses data files that are not exactly 10,000 records unless partial data is allowed, and leaves no directory', async () => {
    const dir = join(root, 'short-data');
    await expect(run(dir, { partialData: false })).rejects.toThrow(
      /test_batch\.bin holds 10 records; every CIFAR-10 batch file holds exactly 10000/,
    );
    expect(existsSync(dir)).toBe(false);
    const cut = writeCifarDir(join(root, 'cut'), { trainPerBatch: 12, test: 10 });
    writeFileSync(join(cut, 'data_batch_2.bin'), makeCifarBatch(12).subarray(0, 5 * RECORD_SIZE));
    const result = await trainRun({
      config: { ...config, epochs: 1 },
      dataDir: cut,
      runDir: dir,
      backend,
    });
    result.model.dispose();
    expect(result.record.trainSamples + result.record.valSamples).toBe(53);
  });

  it('checks --out (a file in the way, a live lock) before it reads the data', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const nowhere = join(root, 'no-data-here');
    const startOut = (runDir: string) => trainRun({ config, dataDir: nowhere, runDir, backend });
    await expect(startOut(join(file, 'sub'))).rejects.toThrow(
      `--out ${join(file, 'sub')}: ${file} is a file, not a directory`,
    );
    const started = processStartTime(process.ppid);
    if (started === undefined) return; // no /proc: a lock is a bare pid, tested elsewhere
    const locked = join(root, 'locked-by-parent');
    mkdirSync(locked);
    // The test runner's parent process is alive and is who the lock names.
    writeFileSync(join(locked, LOCK_FILE), `${process.ppid} ${started}\n`);
    await expect(startOut(locked)).rejects.toThrow(/is being written by another labkit process/);
  });

  it('leaves no directory when a new run fails before its first checkpoint, and names running out of memory', async () => {
    const failing = (error: Error) => [
      {
        onBatchEnd() {
          throw error;
        },
      },
    ];
    const dir = join(root, 'failed-early');
    await expect(
      trainRun({ config, dataDir, runDir: dir, backend, callbacks: failing(new Error('boom')) }),
    ).rejects.toThrow('boom');
    expect(existsSync(dir)).toBe(false);
    // A directory the user made stays, empty.
    mkdirSync(dir);
    const oom = trainRun({
      config,
      dataDir,
      runDir: dir,
      backend,
      callbacks: failing(new RangeError('memory access out of bounds')),
    });
    await expect(oom).rejects.toThrow(TrainingMemoryError);
    await expect(oom).rejects.toThrow(
      /training ran out of memory on the cpu backend \(memory access out of bounds\): the model has [\d,]+ parameters .*use a smaller --hidden .* or a smaller --batch-size/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('warns when no validation image is left, and refuses that with --patience', async () => {
    const lines: string[] = [];
    const r = await trainRun({
      config: { ...config, epochs: 1, trainLimit: 4, valSplit: 0.1 },
      dataDir,
      runDir: join(root, 'no-val'),
      backend,
      log: (l) => lines.push(l),
    });
    r.model.dispose();
    expect(lines).toContain(
      'warning: --val-split 0.1 of 4 images holds out no validation image: the run will have no validation metrics',
    );
    expect(lines).toContain(
      'loaded 4 training images (4 to train on, 0 held out for validation) and 10 test images',
    );
    await expect(
      run(join(root, 'no-val-2'), { trainLimit: 4, valSplit: 0.1, patience: 2 }),
    ).rejects.toThrow(/holds out no validation image, and --patience needs them/);
  });
});
