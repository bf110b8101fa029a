// Per-kernel profile of one training step of the seed MLP (3072-1024-512-10, batch norm, ReLU,
// dropout 0.3, Adam, batch 128) on the wasm backend, with labkit's kernel overrides or, with
// --plain, TF.js's stock wasm kernels. Kernel times are wall times around each kernel (tf.profile),
// summed per kernel and input shapes over --steps profiled steps after 3 warm-up steps.
// Run after `pnpm build`: node bench/train/profile.mjs [--plain] [--threads N] [--steps N] [--top N]
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    plain: { type: 'boolean', default: false },
    threads: { type: 'string', default: '1' },
    steps: { type: 'string', default: '3' },
    top: { type: 'string', default: '25' },
  },
});
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const nnCore = join(repo, 'packages/nn-core');
const nn = await import(pathToFileURL(join(nnCore, 'dist/index.js')).href);
const require = createRequire(join(nnCore, 'package.json'));
// The same (CommonJS) TF.js instance that nn-core's src/tfjs.ts re-exports from '@tensorflow/tfjs-core'.
const tf = require('@tensorflow/tfjs-core');

let backendText;
if (args.plain) {
  require('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
  backendText = 'wasm, stock TF.js kernels, 1 thread';
} else {
  backendText = nn.describeBackend(await nn.initBackend('wasm', { threads: Number(args.threads) }));
}
const B = 128;
const model = nn.buildModel(nn.DEFAULT_SPEC, 1);
const optimizer = nn.createOptimizer({ kind: 'adam', lr: 1e-3 });
const x = tf.randomNormal([B, 3072], 0, 1, 'float32', 1);
const y = tf.randomUniform([B], 0, 10, 'int32', 2);
let seed = 0;
const step = () =>
  nn.trainStep(model, optimizer, x, y, { l2: 0, classes: 10, dropoutSeed: seed++ });
for (let i = 0; i < 3; i++) tf.dispose(Object.values(step()));

const steps = Number(args.steps);
const perKernel = new Map();
let wallMs = 0;
for (let s = 0; s < steps; s++) {
  const start = performance.now();
  const info = await tf.profile(async () => {
    const r = step();
    await r.loss.data();
    tf.dispose([r.loss, r.correct]);
  });
  wallMs += performance.now() - start;
  for (const k of info.kernels) {
    if (k.name.endsWith('__op')) continue; // op wrappers: their kernels are listed themselves
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    const entry = perKernel.get(key) ?? { ms: 0, calls: 0 };
    entry.ms += k.kernelTimeMs;
    entry.calls++;
    perKernel.set(key, entry);
  }
}
const rows = [...perKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((sum, [, e]) => sum + e.ms, 0) / steps;
console.log(
  `backend: ${backendText}; ${steps} profiled steps; per step: ${(wallMs / steps).toFixed(1)} ms wall, ${total.toFixed(1)} ms in kernels`,
);
console.log('  ms/step  calls  kernel [input shapes]');
for (const [key, e] of rows.slice(0, Number(args.top))) {
  console.log(
    `${(e.ms / steps).toFixed(2).padStart(9)} ${String(e.calls / steps).padStart(6)}  ${key}`,
  );
}
