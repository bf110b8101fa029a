// Probe for the training loop (not part of `pnpm bench`'s figures): one seed-MLP training step with
// Dense layers applied as TF.js layers do (fused matMul + bias, whose gradient is computed eagerly
// for every input, including the first layer's input gradient dy·Wᵀ that nobody uses) against the
// same maths written as matMul + add (registered gradients are lazy, so the unused one is skipped).
// Same weights, data and dropout seeds; interleaved; prints per-step ms and the max loss difference.
// Run after `pnpm build`: node bench/train/unfused-dense-probe.mjs [rounds]
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const nnCore = join(repo, 'packages/nn-core');
const nn = await import(pathToFileURL(join(nnCore, 'dist/index.js')).href);
const tf = createRequire(join(nnCore, 'package.json'))('@tensorflow/tfjs-core');
const info = await nn.initBackend('wasm', { threads: 1 });
console.log(`backend: ${nn.describeBackend(info)}`);

const rounds = Number(process.argv[2] ?? 5);
const x = tf.randomNormal([128, 3072], 0, 1, 'float32', 1);
const y = tf.oneHot(tf.randomUniform([128], 0, 10, 'int32', 2), 10);

function forward(model, input, seed, unfused) {
  let out = input;
  let dropoutIndex = 0;
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (kind === 'Dropout') {
      out = tf.dropout(out, 0.3, undefined, seed * 16 + dropoutIndex++);
    } else if (kind === 'Dense' && unfused) {
      const [kernel, bias] = layer.trainableWeights.map((w) => w.val);
      out = bias ? tf.add(tf.matMul(out, kernel), bias) : tf.matMul(out, kernel);
    } else {
      out = layer.apply(out, { training: true });
    }
    if (layer.name === 'logits') return out;
  }
  throw new Error('no logits layer');
}

function trainer(unfused) {
  const model = nn.buildModel(nn.DEFAULT_SPEC, 1);
  const optimizer = nn.createOptimizer({ kind: 'adam', lr: 1e-3 });
  const variables = model.trainableWeights.map((w) => w.val);
  let seed = 0;
  return () =>
    tf.tidy(() => {
      const s = seed++;
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(y, forward(model, x, s, unfused)),
        variables,
      );
      optimizer.applyGradients(grads);
      return value;
    });
}

const steps = { layers: trainer(false), unfused: trainer(true) };
const ms = { layers: [], unfused: [] };
const losses = { layers: [], unfused: [] };
for (let r = 0; r < rounds + 2; r++) {
  for (const name of ['layers', 'unfused']) {
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      const loss = steps[name]();
      losses[name].push((await loss.data())[0]);
      if (r >= 2) ms[name].push(performance.now() - start);
      loss.dispose();
    }
  }
}
const median = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
for (const name of ['layers', 'unfused']) {
  console.log(
    `${name.padEnd(8)} median ${median(ms[name]).toFixed(1)} ms/step, min ${Math.min(...ms[name]).toFixed(1)}`,
  );
}
const diff = Math.max(...losses.layers.map((l, i) => Math.abs(l - losses.unfused[i]) / l));
console.log(
  `max relative loss difference over ${losses.layers.length} steps: ${diff.toExponential(2)}`,
);
