import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writeCifarDir } from '../../packages/nn-core/dist/data/testing.js';
import { labkit, labkitBin, repoRoot } from './labkit.js';

const work = mkdtempSync(join(tmpdir(), 'labkit-train-e2e-'));
/** 200 generated training images (5 x 40) and 50 test images in the real binary format. */
const fakeData = writeCifarDir(join(work, 'cifar'), { trainPerBatch: 40, test: 50 });
const small = [
  '--data',
  fakeData,
  '--partial-data',
  '--hidden',
  '32',
  '--batch-size',
  '32',
  '--val-split',
  '0.2',
  '--backend',
  'cpu',
];

/** `small` with some flags' values replaced (a flag given twice is a usage error). */
function smallWith(values: Record<string, string>): string[] {
  const out = [...small];
  for (const [flag, value] of Object.entries(values)) {
    const at = out.indexOf(flag);
    if (at === -1) out.push(flag, value);
    else out[at + 1] = value;
  }
  return out;
}

/** A minimal RGBA PNG encoder (8-bit, no filtering), so this test needs no PNG library. */
function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA
  const rows = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++)
    rows.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (1 + width * 4) + 1);
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) as string);
/** metrics.csv without the wall-clock columns (samples/s, seconds), which differ between runs. */
const learnedColumns = (csv: string) =>
  csv
    .trim()
    .split('\n')
    .map((line) => line.split(',').slice(0, 6).join(','));

describe('labkit train / eval / predict on generated data', { timeout: 180_000 }, () => {
  const runDir = join(work, 'run');
  let summary: Record<string, unknown>;

  it('trains, prints the backend, and ends stdout with one JSON object', () => {
    const r = labkit(['train', ...small, '--epochs', '2', '--out', runDir, '--json']);
    expect(r.stderr).toMatch(/backend: cpu/);
    expect(r.status).toBe(0);
    summary = lastJson(r.stdout);
    expect(summary).toMatchObject({ backend: 'cpu', epochs: 2, runDir });
    for (const key of ['trainSamplesPerSec', 'valAccuracy', 'testAccuracy'])
      expect(typeof summary[key]).toBe('number');
    for (const file of [
      'run.json',
      'metrics.csv',
      'metrics.jsonl',
      'checkpoint.ckpt',
      'model/model.json',
      'model/weights.bin',
      'evaluation.json',
    ]) {
      expect(existsSync(join(runDir, file)), file).toBe(true);
    }
    const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    expect(record).toMatchObject({
      status: 'finished',
      backend: { name: 'cpu' },
      trainSamples: 160,
      valSamples: 40,
      epochsRun: 2,
    });
    expect(record.config.spec.hidden).toEqual([32]);
    // The default recipe flips images at random.
    expect(record.config.augment).toBe('flip');
    expect(readFileSync(join(runDir, 'metrics.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('trains to the same numbers on 1 and 2 wasm threads (threads change speed, not results)', () => {
    const metrics = (threads: number) => {
      const out = join(work, `threads-${threads}`);
      // Batch and hidden layer of 128: on 1 thread the products with both sides >= 128 run
      // labkit's own GEMM kernel, on 2 XNNPACK's pool; the numbers must not differ.
      const wide = smallWith({ '--hidden': '128', '--batch-size': '128' });
      const onWasm = [...wide.slice(0, -1), 'wasm', '--threads', String(threads)];
      const r = labkit(['train', ...onWasm, '--epochs', '2', '--out', out]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`wasm, ${threads} thread`);
      return learnedColumns(readFileSync(join(out, 'metrics.csv'), 'utf8'));
    };
    expect(metrics(2)).toEqual(metrics(1));
  });

  it.each([
    [['--augment'], 'crop-flip'],
    [['--augment', 'crop-flip'], 'crop-flip'],
    [['--no-augment'], 'none'],
    [['--augment', 'none'], 'none'],
  ])('records the augmentation %j asks for', (flags, expected) => {
    const out = join(work, `augment-${expected}-${flags.length}`);
    const r = labkit([
      'train',
      ...small,
      '--epochs',
      '1',
      '--train-limit',
      '50',
      ...flags,
      '--out',
      out,
    ]);
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).config.augment).toBe(expected);
  });

  it('eval recomputes the same test accuracy from the saved model', () => {
    const r = labkit(['eval', runDir, '--backend', 'cpu', '--json']);
    expect(r.status).toBe(0);
    // stdout is the JSON alone; the backend line goes to stderr, once, as train --json does.
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.match(/^backend: .*$/gm)).toEqual(['backend: cpu']);
    const evaluation = lastJson(r.stdout);
    expect(evaluation.count).toBe(50);
    expect(evaluation.accuracy).toBe(summary.testAccuracy);
    const matrixTotal = evaluation.confusion.flat().reduce((a: number, b: number) => a + b, 0);
    expect(matrixTotal).toBe(50);
    const table = labkit(['eval', runDir, '--backend', 'cpu']);
    expect(table.stdout.match(/^backend: .*$/gm)).toEqual(['backend: cpu']);
    expect(table.stdout).toMatch(/confusion matrix \(rows: true class, columns: predicted\)/);
    expect(table.stdout).toMatch(/^ {2}airplane +\d+\.\d\d%$/m);
  });

  it('report says which backend runs the saved model for the misclassified images (stderr)', () => {
    const r = labkit(['report', runDir, '--misclassified', '5', '--threads', '1']);
    expect(r.status).toBe(0);
    expect(r.stderr.match(/^backend: .*$/gm)).toHaveLength(1);
    expect(r.stderr).toMatch(/^backend: .*\(run trained on cpu\)$/m);
    expect(r.stdout).not.toContain('backend');
  });

  it('predict scores every record of a batch file, agreeing with eval', () => {
    const r = labkit(['predict', runDir, join(fakeData, 'test_batch.bin'), '--backend', 'cpu']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => /^\d+: \w+ \d+\.\d% {2}\(label: \w+\)$/.test(l))).toHaveLength(50);
    expect(lines.at(-1)).toBe(
      `accuracy ${((summary.testAccuracy as number) * 100).toFixed(2)}% on 50 records`,
    );
  });

  it('predict reads a PNG of another size, says it resized it, and gives probabilities that sum to 1', () => {
    const rgba = Uint8Array.from({ length: 64 * 48 * 4 }, (_, i) => (i * 7) % 256);
    const file = join(work, 'photo.png');
    writeFileSync(file, encodePng(64, 48, rgba));
    const r = labkit(['predict', runDir, file, '--backend', 'cpu', '--top', '10', '--json']);
    expect(r.status).toBe(0);
    const result = lastJson(r.stdout);
    expect(result.top).toHaveLength(10);
    const sum = result.top.reduce((s: number, t: { probability: number }) => s + t.probability, 0);
    expect(sum).toBeCloseTo(1, 5);
    expect(labkit(['predict', runDir, file, '--backend', 'cpu']).stdout).toContain(
      'resized 64x48 to 32x32 (bilinear)',
    );
  });

  it('resumes a killed run and ends with the metrics of an uninterrupted one', async () => {
    const args = [...small, '--epochs', '8'];
    const whole = join(work, 'whole');
    expect(labkit(['train', ...args, '--out', whole]).status).toBe(0);

    const killed = join(work, 'killed');
    const child = spawn(process.execPath, [labkitBin, 'train', ...args, '--out', killed], {
      cwd: repoRoot,
      stdio: 'ignore',
    });
    await new Promise<void>((done, fail) => {
      const poll = setInterval(() => {
        if (existsSync(join(killed, 'checkpoint.ckpt'))) {
          clearInterval(poll);
          child.kill('SIGKILL');
          done();
        }
      }, 5);
      child.on('exit', () => {
        clearInterval(poll);
        fail(new Error('the run finished before it could be killed'));
      });
    });
    await new Promise((done) => child.on('exit', done));
    expect(JSON.parse(readFileSync(join(killed, 'run.json'), 'utf8')).status).toBe('running');

    const r = labkit(['train', '--resume', killed, '--json']);
    expect(r.status).toBe(0);
    expect(lastJson(r.stdout).epochs).toBe(8);
    expect(learnedColumns(readFileSync(join(killed, 'metrics.csv'), 'utf8'))).toEqual(
      learnedColumns(readFileSync(join(whole, 'metrics.csv'), 'utf8')),
    );
  });

  it('rejects bad input with a clear message and the right exit code', () => {
    const zero = labkit(['train', ...small, '--epochs', '0']);
    expect(zero.status).toBe(2);
    expect(zero.stderr).toContain('--epochs must be between 1 and 100000, got 0');

    const noVal = labkit(['train', '--data', fakeData, '--val-split', '0', '--patience', '2']);
    expect(noVal.status).toBe(2);
    expect(noVal.stderr).toContain('--patience needs a validation set');

    const spec = join(work, 'bad.json');
    writeFileSync(spec, '{\n  "hidden": [64,\n}\n');
    const bad = labkit(['train', ...small, '--config', spec]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/bad\.json:3:1: invalid JSON/);

    writeFileSync(spec, '{ "hidden": [64, 0] }');
    expect(labkit(['train', ...small, '--config', spec]).stderr).toContain(
      'hidden[1]: expected a positive whole number, got 0',
    );

    // Data that is not where it was said to be is a configuration error: exit 2, as for flags.
    const missing = labkit(['train', '--data', join(work, 'nowhere'), '--epochs', '1']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(
      /CIFAR-10 not found: .*nowhere \(given with --data\) does not exist; check the path, or run 'labkit data fetch cifar10'/,
    );
    expect(missing.stderr).not.toContain('pass --data');

    const nowhere = labkit(['eval', join(work, 'nowhere')]);
    expect(nowhere.stderr).toMatch(/nowhere does not exist/);
    expect(nowhere.status).toBe(2);
  });

  it('owns its run directory: refuses an existing run, --force starts over, default names never collide', () => {
    const out = join(work, 'owned');
    expect(labkit(['train', ...small, '--epochs', '1', '--out', out]).status).toBe(0);
    writeFileSync(join(out, 'report.html'), 'a report of the old run');
    const again = labkit(['train', ...small, '--epochs', '1', '--out', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(
      `--out ${out} already holds a run; continue it with 'labkit train --resume ${out}'`,
    );
    const forced = labkit(['train', ...small, '--epochs', '2', '--out', out, '--force']);
    expect(forced.status).toBe(0);
    expect(existsSync(join(out, 'report.html'))).toBe(false);
    const cwd = mkdtempSync(join(work, 'cwd-'));
    const dirs = [0, 1].map(() => {
      const r = labkit(['train', ...small, '--epochs', '1', '--train-limit', '40', '--json'], {
        cwd,
      });
      expect(r.status).toBe(0);
      return lastJson(r.stdout).runDir as string;
    });
    expect(dirs[1]).not.toBe(dirs[0]);
  });

  it('resume applies --epochs and --data, refuses other flags, and says where it continues', () => {
    const out = join(work, 'extend');
    expect(labkit(['train', ...small, '--epochs', '2', '--out', out]).status).toBe(0);
    const finished = labkit(['train', '--resume', out]);
    expect(finished.status).toBe(2);
    expect(finished.stderr).toContain(
      'is finished (2 of 2 epochs); to train it further, resume with --epochs N (N > 2)',
    );
    const lr = labkit(['train', '--resume', out, '--lr', 'abc']);
    expect(lr.status).toBe(2);
    expect(lr.stderr).toContain('--lr cannot be used with --resume');
    const moved = join(work, 'cifar-moved');
    writeCifarDir(moved, { trainPerBatch: 40, test: 50 });
    const r = labkit(['train', '--resume', out, '--epochs', '3', '--data', moved]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`with --resume: data ${fakeData} -> ${moved}`);
    expect(r.stdout).toContain(
      'with --resume: epochs 2 -> 3: epoch 3 runs a fresh onecycle schedule of its own over 1 epoch',
    );
    expect(r.stdout).toContain(`resuming ${out} at epoch 3 of 3`);
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(record).toMatchObject({ status: 'finished', epochsRun: 3, dataDir: moved });
    expect(record.resumes).toHaveLength(1);
  });

  it('checks input before any work: full-size data files, the spec against the data, lr 0', () => {
    const full = labkit([
      'train',
      ...small.filter((a) => a !== '--partial-data'),
      '--out',
      join(work, 'x1'),
    ]);
    expect(full.status).toBe(1);
    expect(full.stderr).toMatch(
      /test_batch\.bin holds 50 records; every CIFAR-10 batch file holds exactly 10000/,
    );
    expect(existsSync(join(work, 'x1'))).toBe(false);
    const spec = join(work, 'narrow.json');
    writeFileSync(spec, '{"inputSize": 100}');
    const narrow = labkit(['train', ...small, '--config', spec, '--out', join(work, 'x2')]);
    expect(narrow.status).toBe(2);
    expect(narrow.stderr).toContain(
      "the spec's inputSize is 100, but a CIFAR-10 image has 3072 values",
    );
    const zero = labkit(['train', ...small, '--lr', '0', '--out', join(work, 'x3')]);
    expect(zero.status).toBe(2);
    expect(zero.stderr).toContain('--lr must be greater than 0 and at most 10, got 0');
    const negative = labkit(['train', ...small, '--lr', '-1', '--out', join(work, 'x3')]);
    expect(negative.status).toBe(2);
    expect(negative.stderr).toContain('--lr must be greater than 0 and at most 10, got -1');
    const recipe = join(work, 'zero-lr.json');
    writeFileSync(recipe, '{"labkit": "recipe", "optimizer": {"kind": "adam", "lr": 0}}');
    const zeroInFile = labkit(['train', ...small, '--config', recipe, '--out', join(work, 'x3')]);
    expect(zeroInFile.stderr).toContain(
      'zero-lr.json: optimizer.lr: expected a number in (0, 10], got 0',
    );
    expect(zeroInFile.status).toBe(2);
    const noConfig = labkit(['train', ...small, '--config', join(work, 'none.json')]);
    expect(noConfig.stderr).toContain(
      `cannot read --config ${join(work, 'none.json')}: no such file`,
    );
    expect(noConfig.status).toBe(2);
    // lr-find and the overfit check read data like train: official file sizes unless told.
    for (const command of [['lr-find'], ['train', '--overfit', '10']]) {
      const r = labkit([
        ...command,
        '--data',
        fakeData,
        '--backend',
        'cpu',
        '--out',
        join(work, 'x5'),
      ]);
      expect(r.stderr).toMatch(/data_batch_1\.bin holds 40 records; .* or pass --partial-data/);
      expect(r.status).toBe(1);
    }
    expect(existsSync(join(work, 'x3'))).toBe(false);
    const huge = labkit([
      'train',
      ...smallWith({ '--hidden': '250000' }),
      '--out',
      join(work, 'x4'),
    ]);
    expect(huge.status).toBe(2);
    expect(huge.stderr).toMatch(/needs about \d+\.\d GiB to train, more than this machine's/);
  });

  it('keeps training when the reader of its output goes away (| head), and releases its lock', async () => {
    const out = join(work, 'piped');
    const child = spawn(
      process.execPath,
      [labkitBin, 'train', ...smallWith({ '--epochs': '4', '--batch-size': '8' }), '--out', out],
      { cwd: repoRoot },
    );
    // Like head -1: read one chunk, then close the pipe; later writes fail with EPIPE.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((done) => child.on('exit', (c) => done(c)));
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).status).toBe('finished');
    expect(existsSync(join(out, '.labkit-run.lock'))).toBe(false);
  });

  it('Ctrl-C stops with one line naming the checkpoint and the resume command; eval refuses the unfinished run; the resume matches an uninterrupted run', async () => {
    const args = smallWith({ '--epochs': '6', '--batch-size': '8' });
    const whole = join(work, 'whole-int');
    expect(labkit(['train', ...args, '--out', whole]).status).toBe(0);
    const out = join(work, 'interrupted');
    const child = spawn(process.execPath, [labkitBin, 'train', ...args, '--out', out], {
      cwd: repoRoot,
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.on('data', (d) => {
      if (String(d).includes('epoch 2/6')) child.kill('SIGINT');
    });
    const code = await new Promise((done) => child.on('exit', (c) => done(c)));
    expect(code).toBe(130);
    const lines = stderr.split('\n').filter((l) => l.startsWith('interrupted'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^interrupted \\(SIGINT\\): stopped at .* of 6; checkpoint saved in ${out}/checkpoint\\.ckpt; resume with 'labkit train --resume ${out}'$`,
      ),
    );
    const ev = labkit(['eval', out, '--backend', 'cpu']);
    expect(ev.status).toBe(1);
    expect(ev.stderr).toContain(`is not finished (status stopped;`);
    // The message names two commands; both exist and work as it says.
    const named = [...ev.stderr.matchAll(/'(labkit [^']+)'/g)].map((m) => m[1] as string);
    expect(named).toEqual([`labkit train --resume ${out}`, `labkit eval ${out} --checkpoint last`]);
    const last = labkit([...(named[1] as string).split(' ').slice(1), '--backend', 'cpu']);
    expect(last.status, last.stderr).toBe(0);
    expect(last.stdout).toMatch(
      /weights of the last checkpoint of an unfinished run \(status stopped, batch \d+ of epoch \d of 6\): not a finished model\naccuracy \d+\.\d\d% on 50 images/,
    );
    // No TF.js banner asking to install tfjs-node on the cpu backend.
    expect(last.stderr).toBe('');
    // The interrupted process released its lock; a report of the curves needs no model.
    expect(existsSync(join(out, '.labkit-run.lock'))).toBe(false);
    const curves = labkit(['report', out, '--misclassified', '0']);
    expect(curves.status, curves.stderr).toBe(0);
    expect(curves.stderr).toContain(`${out} is unfinished (status stopped): the report shows`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('unfinished');
    const withImages = labkit(['report', out]);
    expect(withImages.status).toBe(1);
    expect(withImages.stderr).toMatch(
      /report its curves without misclassified images .*: add --misclassified 0/,
    );
    // A killed run's record still says "running"; with its process gone it is called stopped.
    const killed = join(work, 'killed');
    cpSync(out, killed, { recursive: true });
    const record = JSON.parse(readFileSync(join(killed, 'run.json'), 'utf8'));
    writeFileSync(join(killed, 'run.json'), JSON.stringify({ ...record, status: 'running' }));
    expect(labkit(['eval', killed, '--backend', 'cpu']).stderr).toContain(
      'status stopped (the process ended without finishing: killed or crashed)',
    );
    const lastJson = labkit(['eval', out, '--checkpoint', 'last', '--backend', 'cpu', '--json']);
    expect(JSON.parse(lastJson.stdout).checkpoint).toMatchObject({ epochs: 6, finished: false });
    expect(labkit((named[0] as string).split(' ').slice(1)).status).toBe(0);
    expect(learnedColumns(readFileSync(join(out, 'metrics.csv'), 'utf8'))).toEqual(
      learnedColumns(readFileSync(join(whole, 'metrics.csv'), 'utf8')),
    );
  });
});

const realData = process.env.LABKIT_CIFAR10_DIR ?? resolve(repoRoot, '../shared/data/cifar10');
const haveRealData =
  existsSync(join(realData, 'data_batch_1.bin')) && existsSync(join(realData, 'test_batch.bin'));
if (!haveRealData)
  console.warn(
    `train e2e: skipping the real CIFAR-10 test, no data set at ${realData} (set LABKIT_CIFAR10_DIR)`,
  );

describe.skipIf(!haveRealData)('labkit train on real CIFAR-10', { timeout: 600_000 }, () => {
  it('one epoch on 4,000 images clearly beats chance (10%) on the 10,000 test images', () => {
    const out = join(work, 'real');
    const r = labkit([
      'train',
      '--data',
      realData,
      '--train-limit',
      '4000',
      '--epochs',
      '1',
      '--out',
      out,
      '--json',
    ]);
    expect(r.status).toBe(0);
    const summary = lastJson(r.stdout);
    expect(summary.testAccuracy).toBeGreaterThan(0.2);
    expect(summary.trainSamplesPerSec).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8')).count).toBe(10000);
  });
});

describe('a run whose loss diverges, on generated data', { timeout: 180_000 }, () => {
  /** Plain SGD at a rate far too high, without batch norm: the loss becomes NaN. */
  const explosive = (lr: string, out: string) =>
    smallWith({ '--hidden': '256,256' }).concat(
      ['--lr', lr, '--optimizer', 'sgd', '--schedule', 'constant', '--weight-decay', '1'],
      ['--no-batchnorm', '--dropout', '0', '--epochs', '6', '--out', out],
    );

  /** Trains until it diverges; returns where, in the words train printed, and the record. */
  function diverge(lr: string, out: string) {
    const r = labkit(['train', ...explosive(lr, out)]);
    expect(r.status).toBe(1);
    const said = r.stderr.match(/labkit: error: training diverged: (.*); try a lower --lr\n/);
    expect(said, r.stderr).not.toBeNull();
    expect(r.stdout).not.toMatch(/loss NaN/);
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(record.status).toBe('diverged');
    expect(record.divergedAt.lr).toBe(Number(lr));
    expect(['NaN', 'Infinity', '-Infinity']).toContain(record.divergedAt.loss);
    return { where: (said as RegExpMatchArray)[1] as string, at: record.divergedAt };
  }

  it('is recorded as diverged; eval, predict, report and resume refuse it with the way on; diagnose says DIVERGED', () => {
    const out = join(work, 'diverged');
    const { where, at } = diverge('1', out);
    // On this data, rate 1 diverges on a step after two epochs: their checkpoint is from before.
    expect(where).toBe(`loss is NaN at epoch ${at.epoch}, step ${at.step} (learning rate 1)`);
    const lastEpoch = JSON.parse(
      readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').at(-1) as string,
    );
    expect(at.checkpoint).toEqual({
      epochsDone: at.epoch - 1,
      trainLoss: lastEpoch.trainLoss,
      valLoss: lastEpoch.valLoss,
    });
    expect(at.epoch).toBeGreaterThan(1);

    const wayOn = `${out} diverged: ${where}, so it has no model to use; start a new run with a lower --lr (e.g. --lr 0.1;`;
    const fromBefore = `its last checkpoint is from before the divergence (the end of epoch ${at.epoch - 1}; epoch ${at.epoch - 1} ended with train loss `;
    const evalLast = `evaluate it with 'labkit eval ${out} --checkpoint last'`;
    const png = join(work, 'diverged-input.png');
    writeFileSync(png, encodePng(32, 32, new Uint8Array(32 * 32 * 4).fill(128)));
    for (const command of [
      ['eval', out],
      ['predict', out, png],
      ['report', out],
    ]) {
      const refused = labkit([...command, '--threads', '1']);
      expect(refused.status, command.join(' ')).toBe(1);
      expect(refused.stderr).toContain(wayOn);
      expect(refused.stderr).toContain(fromBefore);
      expect(refused.stderr).toContain(evalLast);
      expect(refused.stderr).not.toContain('--resume');
    }
    const resumed = labkit(['train', '--resume', out]);
    expect(resumed.status).toBe(2);
    expect(resumed.stderr).toContain(`${out} diverged: ${where}, so it will not be resumed;`);

    const diagnosis = labkit(['diagnose', out]);
    expect(diagnosis.status).toBe(0);
    expect(diagnosis.stdout).toContain(`Diagnosis: DIVERGED\n  Training diverged: ${where}.`);
    expect(diagnosis.stdout).toContain('start a new run with a lower --lr');
    expect(diagnosis.stdout).toContain(fromBefore);
    expect(diagnosis.stdout).toContain(evalLast);

    const last = labkit(['eval', out, '--checkpoint', 'last', '--backend', 'cpu']);
    expect(last.status).toBe(0);
    expect(last.stdout).toContain(
      `weights of the last checkpoint of a diverged run (the end of epoch ${at.epoch - 1} of 6), from before it diverged at epoch ${at.epoch}, step ${at.step}`,
    );
  });

  it('a validation loss that is not finite at an epoch end is divergence too: no checkpoint is kept or offered', () => {
    const out = join(work, 'diverged-val');
    const { where, at } = diverge('5', out);
    expect(where).toBe(
      `validation loss is NaN at the end of epoch 1 (after step ${at.step}, learning rate 5)`,
    );
    expect(at.checkpoint).toBeNull();
    expect(existsSync(join(out, 'checkpoint.ckpt'))).toBe(false);
    const refused = labkit(['eval', out, '--checkpoint', 'last', '--backend', 'cpu']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${out} diverged: ${where}, so it has no checkpoint`);
    expect(refused.stderr).not.toContain('--resume');
    const diagnosis = labkit(['diagnose', out, '--json']);
    expect(JSON.parse(diagnosis.stdout)).toMatchObject({ verdict: 'diverged', epochs: 0 });
  });
});
