// A/B of the training step with TF.js's stock Adam against labkit's fused Adam
// (packages/nn-core/src/backend/training-ops/fused-adam.ts) on the seed MLP, wasm backend, same process,
// alternating blocks of steps so that load from other processes hits both alike.
// Run after `pnpm build`: node bench/train/optimizer-ab.mjs [--threads N] [--blocks N] [--steps N]
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    threads: { type: 'string', default: '1' },
    blocks: { type: 'string', default: '4' },
    steps: { type: 'string', default: '8' },
  },
});
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const nnCore = join(repo, 'packages/nn-core');
const nn = await import(pathToFileURL(join(nnCore, 'dist/index.js')).href);
const tf = createRequire(join(nnCore, 'package.json'))('@tensorflow/tfjs-core');

const info = await nn.initBackend('wasm', { threads: Number(args.threads) });
console.log(
  `backend: ${nn.describeBackend(info)}; load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const B = 128;
const x = tf.randomNormal([B, 3072], 0, 1, 'float32', 1);
const y = tf.randomUniform([B], 0, 10, 'int32', 2);
const variants = {
  'tf.train.adam': () => tf.train.adam(1e-3, 0.9, 0.999, 1e-7),
  'fused adam': () => nn.createOptimizer({ kind: 'adam', lr: 1e-3 }),
};
const setups = Object.entries(variants).map(([name, make]) => ({
  name,
  model: nn.buildModel(nn.DEFAULT_SPEC, 1),
  optimizer: make(),
  ms: [],
  seed: 0,
}));
const step = async (s) => {
  const r = nn.trainStep(s.model, s.optimizer, x, y, { l2: 0, classes: 10, dropoutSeed: s.seed++ });
  await r.loss.data();
  tf.dispose([r.loss, r.correct]);
};
for (const s of setups) for (let i = 0; i < 3; i++) await step(s);
for (let b = 0; b < Number(args.blocks); b++) {
  for (const s of setups) {
    for (let i = 0; i < Number(args.steps); i++) {
      const start = performance.now();
      await step(s);
      s.ms.push(performance.now() - start);
    }
  }
}
const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[v.length >> 1] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
for (const s of setups) {
  const m = median(s.ms);
  console.log(
    `${s.name.padEnd(14)} median ${m.toFixed(1)} ms/step = ${Math.round((B * 1000) / m)} samples/s (min ${Math.min(...s.ms).toFixed(1)}, max ${Math.max(...s.ms).toFixed(1)})`,
  );
}
console.log(
  `load after ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
