import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/startup/select.js';
import { loadCifar10 } from '../data/cifar10.js';
import { writeCifarDir } from '../data/testing.js';
import {
  CHECKPOINT_FILE,
  finishedRunRecord,
  RUN_JSON,
  trainRun,
  UnfinishedRunError,
} from '../train/run.js';
import { LOCK_FILE, processStartTime } from '../train/run-dir.js';
import { evalSource } from '../train/source.js';
import { stopAfterStep, tinyRunConfig } from '../train/testing.js';
import { loadLastCheckpoint } from './checkpoint-model.js';
import { evaluate } from './evaluate.js';
import { evaluateRun } from './predict.js';

const backend = { name: 'cpu' as const };
let root = '';
let dataDir = '';

const config = tinyRunConfig();

beforeAll(async () => {
  await initBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'labkit-ckpt-model-'));
  dataDir = writeCifarDir(join(root, 'data'), { trainPerBatch: 12, test: 30 });
});

describe('loadLastCheckpoint', { timeout: 60_000 }, () => {
  it("gives a stopped run's weights where it stopped, and says they are not a finished model", async () => {
    const dir = join(root, 'stopped');
    const stopped = await trainRun({
      config,
      dataDir,
      runDir: dir,
      backend,
      callbacks: [stopAfterStep(5)],
    });
    const at = stopped.fit.pausedAt;
    expect(at?.epoch).toBe(2);
    const fromCheckpoint = await loadLastCheckpoint(dir);
    expect(fromCheckpoint).toMatchObject({
      epochsDone: 1,
      batchesDone: at?.batchesDone,
      epochs: 3,
      finished: false,
    });
    expect(fromCheckpoint.description).toBe(
      `weights of the last checkpoint of an unfinished run (status stopped, batch ${at?.batchesDone} of epoch 2 of 3): not a finished model`,
    );
    // The model trainRun stopped with and the checkpoint's model score the test set identically.
    const test = await loadCifar10(dataDir, 'test');
    const source = evalSource(test, stopped.record.stats);
    const direct = evaluate(stopped.model, source, 10);
    const { evaluation } = await evaluateRun(dir, {
      dataDir,
      split: 'test',
      trained: fromCheckpoint.trained,
    });
    expect(evaluation).toEqual(direct);
    stopped.model.dispose();
    fromCheckpoint.trained.model.dispose();
  });

  it("equals a finished run's saved model", async () => {
    const dir = join(root, 'finished');
    const done = await trainRun({ config, dataDir, runDir: dir, backend });
    done.model.dispose();
    const fromCheckpoint = await loadLastCheckpoint(dir);
    expect(fromCheckpoint.finished).toBe(true);
    expect(fromCheckpoint.description).toBe(
      'weights of the last checkpoint of a finished run (the end of epoch 3 of 3)',
    );
    const options = { dataDir, split: 'test' as const };
    const saved = await evaluateRun(dir, options);
    const last = await evaluateRun(dir, { ...options, trained: fromCheckpoint.trained });
    expect(last.evaluation.accuracy).toBe(done.test?.accuracy);
    expect(last.evaluation.loss).toBeCloseTo(saved.evaluation.loss, 6);
    expect(last.evaluation.confusion).toEqual(saved.evaluation.confusion);
    fromCheckpoint.trained.model.dispose();
  });

  it('a run another process is still training: eval waits or takes the last checkpoint, no resume advice', async () => {
    const dir = join(root, 'live');
    const first = await trainRun({
      config: { ...config, epochs: 1 },
      dataDir,
      runDir: dir,
      backend,
    });
    first.model.dispose();
    const record = JSON.parse(readFileSync(join(dir, RUN_JSON), 'utf8'));
    writeFileSync(join(dir, RUN_JSON), JSON.stringify({ ...record, status: 'running' }));
    const trainer = spawn('sleep', ['60']);
    try {
      // What labkit writes: the pid and the start time that tells it from a later process.
      writeFileSync(
        join(dir, LOCK_FILE),
        `${trainer.pid} ${processStartTime(trainer.pid as number) ?? ''}\n`,
      );
      await expect(finishedRunRecord(dir)).rejects.toThrow(
        new RegExp(
          `is still training \\(process ${trainer.pid}; its last checkpoint is at the end of epoch 1 of 1\\), so it has no model to use yet; wait for it to finish, or evaluate its last checkpoint with 'labkit eval \\S+ --checkpoint last'$`,
        ),
      );
    } finally {
      trainer.kill();
    }
  });

  it('refuses a run without a checkpoint, naming the resume command', async () => {
    const dir = join(root, 'no-checkpoint');
    const done = await trainRun({
      config: { ...config, epochs: 1 },
      dataDir,
      runDir: dir,
      backend,
    });
    done.model.dispose();
    rmSync(join(dir, CHECKPOINT_FILE));
    await expect(loadLastCheckpoint(dir)).rejects.toThrow(UnfinishedRunError);
    await expect(loadLastCheckpoint(dir)).rejects.toThrow(
      /has no checkpoint: .* continue it with 'labkit train --resume /,
    );
  });
});
