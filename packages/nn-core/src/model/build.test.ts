import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/startup/select.js';
import * as tf from '../tfjs.js';
import { buildModel, forwardLogits } from './build.js';
import { loadModel, saveModel } from './io.js';
import { countParameters, validateSpec } from './spec.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const layerKinds = (model: tf.LayersModel) => model.layers.map((l) => l.getClassName());

describe('buildModel', () => {
  it('places batch norm before the activation and dropout after it', () => {
    const model = buildModel(
      validateSpec({
        inputSize: 12,
        classes: 3,
        hidden: [8, 4],
        batchNorm: 'before',
        dropout: 0.2,
      }),
    );
    expect(layerKinds(model)).toEqual([
      'Dense',
      'BatchNormalization',
      'Activation',
      'Dropout',
      'Dense',
      'BatchNormalization',
      'Activation',
      'Dropout',
      'Dense',
      'Activation',
    ]);
    model.dispose();
  });

  it('places batch norm after the activation, skips dropout at rate 0, inserts linear bottlenecks', () => {
    const spec = validateSpec({
      inputSize: 12,
      classes: 3,
      hidden: [8, 4],
      bottleneck: [0, 2],
      batchNorm: 'after',
      dropout: 0,
    });
    const model = buildModel(spec);
    expect(layerKinds(model)).toEqual([
      'Dense',
      'Activation',
      'BatchNormalization',
      'Dense',
      'Dense',
      'Activation',
      'BatchNormalization',
      'Dense',
      'Activation',
    ]);
    const bottleneck = model.getLayer('bottleneck2');
    expect(bottleneck.getConfig()).toMatchObject({
      units: 2,
      useBias: false,
      activation: 'linear',
    });
    const trainable = model.trainableWeights.reduce(
      (n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1),
      0,
    );
    expect(trainable).toBe(countParameters(spec));
    // countParams also counts batch norm's moving mean and variance (2 per unit, not trained).
    expect(model.countParams()).toBe(countParameters(spec) + 2 * (8 + 4));
    model.dispose();
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const spec = validateSpec({ inputSize: 6, classes: 2, hidden: [5] });
    const weights = (seed: number) => {
      const m = buildModel(spec, seed);
      const values = m.getWeights().map((w) => Array.from(w.dataSync()));
      m.dispose();
      return values;
    };
    expect(weights(3)).toEqual(weights(3));
    // Seed 0 too: TF.js would read a raw 0 as "unseeded".
    expect(weights(0)).toEqual(weights(0));
    expect(weights(3)).not.toEqual(weights(4));
  });

  it('outputs softmax probabilities of the logits layer', () => {
    const model = buildModel(
      validateSpec({ inputSize: 6, classes: 4, hidden: [5], dropout: 0.5 }),
      1,
    );
    const x = tf.randomNormal([3, 6], 0, 1, 'float32', 7);
    const probs = model.predict(x) as tf.Tensor;
    const fromLogits = tf.softmax(forwardLogits(model, x));
    expect(Array.from(probs.dataSync())).toEqual(
      Array.from(fromLogits.dataSync()).map((v) => expect.closeTo(v, 6)),
    );
    expect(Array.from(probs.sum(1).dataSync())).toEqual([1, 1, 1].map((v) => expect.closeTo(v, 5)));
  });

  it('draws the same dropout mask for the same seed and another one for another seed', () => {
    const model = buildModel(
      validateSpec({ inputSize: 6, classes: 2, hidden: [64], dropout: 0.5, batchNorm: 'none' }),
      1,
    );
    const x = tf.ones([2, 6]);
    const run = (seed: number) =>
      Array.from(forwardLogits(model, x, { training: true, dropoutSeed: seed }).dataSync());
    expect(run(11)).toEqual(run(11));
    expect(run(0)).toEqual(run(0));
    expect(run(11)).not.toEqual(run(12));
    // Inference ignores dropout: two calls agree with each other.
    expect(Array.from(forwardLogits(model, x).dataSync())).toEqual(
      Array.from(forwardLogits(model, x).dataSync()),
    );
  });
});

describe('saveModel / loadModel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'labkit-model-'));
  const spec = validateSpec({
    inputSize: 10,
    classes: 3,
    hidden: [16, 8],
    bottleneck: [4, 0],
    dropout: 0.3,
  });
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      try {
        res.end(readFileSync(join(dir, req.url?.slice(1) ?? '')));
      } catch {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it('writes the standard TF.js layers format and round-trips to identical predictions', async () => {
    const model = buildModel(spec, 5);
    // Move the batch-norm moving statistics off their initial values so they are checked too.
    const x = tf.randomNormal([32, 10], 0, 1, 'float32', 9);
    forwardLogits(model, x, { training: true, dropoutSeed: 1 });
    await saveModel(model, dir, { labkit: { note: 'hello' } });

    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(json.modelTopology.class_name ?? json.modelTopology.config?.name).toBeDefined();
    const bytes = json.weightsManifest[0].weights.reduce(
      (n: number, w: { shape: number[] }) => n + 4 * w.shape.reduce((a, b) => a * b, 1),
      0,
    );
    expect(readFileSync(join(dir, 'weights.bin')).length).toBe(bytes);

    const loaded = await loadModel(dir);
    expect(loaded.metadata).toEqual({ labkit: { note: 'hello' } });
    const before = (model.predict(x) as tf.Tensor).dataSync();
    const after = (loaded.model.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(after)).toEqual(Array.from(before));
  });

  it('loads over HTTP with tf.loadLayersModel, as a browser would', async () => {
    const model = buildModel(spec, 6);
    await saveModel(model, dir);
    const remote = await tf.loadLayersModel(`${baseUrl}/model.json`);
    const x = tf.randomNormal([4, 10], 0, 1, 'float32', 2);
    expect(Array.from((remote.predict(x) as tf.Tensor).dataSync())).toEqual(
      Array.from((model.predict(x) as tf.Tensor).dataSync()),
    );
  });

  it('names the file when the model is missing or malformed', async () => {
    await expect(loadModel(join(dir, 'nope'))).rejects.toThrow(
      /cannot read model .*nope\/model\.json/,
    );
  });
});
