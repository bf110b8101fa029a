import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCifar10 } from '../data/cifar10.js';
import { writeCifarDir } from '../data/testing.js';
import { loadTrainedModel, predictProbabilities } from '../eval/predict.js';
import { DEFAULT_SPEC } from '../model/spec.js';
import { diagnoseRun, readRunMetrics } from '../recipe/run-diagnosis.js';
import * as tf from '../tfjs.js';
import { type TrainRunConfig, trainRun } from '../train/run.js';
import { REPORT_FILES } from '../train/run-files.js';
import { differingSettings, gatherComparison, renderComparison } from './compare.js';
import { gatherRunReport, scheduleCurve, writeRunReport } from './run-report.js';

let root = '';
let runDir = '';
let dataDir = '';
let trainSamples = 0;

const config: TrainRunConfig = {
  spec: { ...DEFAULT_SPEC, hidden: [16], batchNorm: 'none', dropout: 0 },
  optimizer: { kind: 'adam', lr: 0.01 },
  schedule: 'cosine',
  epochs: 4,
  batchSize: 32,
  augment: false,
  trainLimit: null,
  valSplit: 0.2,
  seed: 1,
  patience: null,
  test: true,
  partialData: true,
};

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'labkit-run-report-'));
  dataDir = writeCifarDir(join(root, 'data'), { trainPerBatch: 20, test: 30 });
  runDir = join(root, 'run');
  const result = await trainRun({ config, dataDir, runDir, backend: { name: 'cpu' } });
  trainSamples = result.record.trainSamples;
  result.model.dispose();
}, 120_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('a real (tiny) run directory', () => {
  it('diagnoses the recorded curves', async () => {
    const { diagnosis, metrics } = await diagnoseRun(runDir);
    expect(metrics.map((m) => m.epoch)).toEqual([1, 2, 3, 4]);
    expect(diagnosis.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(diagnosis.summary.length).toBeGreaterThan(10);
  });

  it('plots the exact per-step schedule the run used', async () => {
    const { record } = await diagnoseRun(runDir);
    const lrs = scheduleCurve(record, 4);
    // 80 training images / batch 32 = 3 steps per epoch, 12 in all; cosine from 0.01 to 0.
    expect(lrs).toHaveLength(12);
    expect(lrs[0]).toBeCloseTo(0.01, 12);
    expect(lrs[11]).toBeCloseTo(0, 12);
    expect(lrs[5]).toBeCloseTo(0.005 * (1 + Math.cos((Math.PI * 5) / 11)), 12);
    // The loop recorded the rate of each epoch's last step: the same curve.
    const metrics = await readRunMetrics(runDir);
    metrics.forEach((m, e) => {
      expect(m.lr).toBeCloseTo(lrs[e * 3 + 2] as number, 9);
    });
  });

  it('finds the same mistakes as the evaluation and writes the report files', async () => {
    const input = await gatherRunReport(runDir, { misclassified: 1000 });
    const evaluation = JSON.parse(await readFile(join(runDir, 'evaluation.json'), 'utf8'));
    const offDiagonal = (evaluation.confusion as number[][]).reduce(
      (s, row, t) => s + row.reduce((a, n, p) => a + (p === t ? 0 : n), 0),
      0,
    );
    expect(input.misclassified).toHaveLength(offDiagonal);
    for (const m of input.misclassified ?? []) expect(m.predictedLabel).not.toBe(m.trueLabel);
    // Top losses: highest loss first, each the cross-entropy of the model's own softmax.
    const trained = await loadTrainedModel(join(runDir, 'model'));
    const test = await loadCifar10(dataDir, 'test', { fullFiles: false });
    const softmax = predictProbabilities(trained, test);
    trained.model.dispose();
    const shown = input.misclassified ?? [];
    for (const [k, m] of shown.entries()) {
      const p = softmax[m.index as number] as Float32Array;
      expect(m.trueLabel).toBe(test.labels[m.index as number]);
      expect(m.trueProbability).toBe(p[m.trueLabel]);
      expect(m.confidence).toBe(p[m.predictedLabel]);
      expect(m.loss).toBeCloseTo(-Math.log(p[m.trueLabel] as number), 12);
      if (k > 0) expect(m.loss).toBeLessThanOrEqual(shown[k - 1]?.loss as number);
    }
    // Every step's loss is in the report: 4 epochs of ceil(train images / 32) steps.
    const stepsPerEpoch = Math.ceil(trainSamples / 32);
    expect(input.steps?.stepsPerEpoch).toBe(stepsPerEpoch);
    expect(input.steps?.losses).toHaveLength(4 * stepsPerEpoch);
    expect(input.testAccuracy).toBe(evaluation.accuracy);
    expect(input.backend).toBe('cpu');

    const files = await writeRunReport(runDir, { misclassified: 5 });
    const names = files.map((f) => f.slice(runDir.length + 1)).sort();
    expect(names).toEqual([
      'accuracy.svg',
      'confusion-counts.svg',
      'confusion.svg',
      'loss.svg',
      'lr.svg',
      'per-class.svg',
      'report.html',
    ]);
    // The run directory's ownership check must know them, or --force would refuse a reported run.
    expect([...REPORT_FILES].sort()).toEqual(names);
    const html = await readFile(join(runDir, 'report.html'), 'utf8');
    expect(html.match(/<img src="data:image\/png/g)?.length).toBe(Math.min(5, offDiagonal));
    expect(html).toContain('Diagnosis');
  });

  it('overlays two runs: one line per run in every chart and the settings that differ', async () => {
    const other = join(root, 'run-lr');
    const second = await trainRun({
      config: { ...config, optimizer: { kind: 'adam', lr: 0.003 }, epochs: 3 },
      dataDir,
      runDir: other,
      backend: { name: 'cpu' },
    });
    second.model.dispose();
    const runs = await gatherComparison([runDir, other]);
    expect(runs.map((r) => r.name)).toEqual(['run', 'run-lr']);
    const { html, svgs } = await renderComparison(runs);
    for (const svg of Object.values(svgs)) {
      // Vega draws each series of a faceted line chart as its own line mark.
      expect(svg.match(/class="mark-line role-mark"/g)).toHaveLength(2);
      expect(svg).toContain('>run<');
      expect(svg).toContain('>run-lr<');
    }
    expect(differingSettings(runs)).toEqual([
      { key: 'epochs', values: ['4', '3'] },
      { key: 'optimizer.lr', values: ['0.01', '0.003'] },
    ]);
    expect(html).toContain(
      `<th>test accuracy</th><td>${(100 * (runs[0]?.record.testAccuracy as number)).toFixed(2)}%</td>`,
    );
    expect(html).toContain('<th>optimizer.lr</th><td>0.01</td><td>0.003</td>');
  });

  it('names the file and line of a corrupt metrics.jsonl', async () => {
    const path = join(runDir, 'metrics.jsonl');
    const good = await readFile(path, 'utf8');
    await writeFile(path, `${good}{"epoch": 5, oops\n`);
    try {
      await expect(readRunMetrics(runDir)).rejects.toThrow(/metrics\.jsonl:5: not a JSON object/);
    } finally {
      await writeFile(path, good);
    }
  });
});
