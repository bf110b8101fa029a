// Issue 16, "own GEMM": labkit's register-blocked wasm GEMM kernel (packages/nn-core/src/backend/
// gemm, plain-SIMD and relaxed-SIMD twins) against XNNPACK's product on the wasm backend (TF.js's
// BatchMatMul kernel behind labkit's explicit-transpose override, as training ran it before this
// kernel), on 1 thread, for the 9 products of one training step of the seed MLP 3072-1024-512-10
// at batch 128 (forward x·W, dX = dy·Wᵀ, dW = xᵀ·dy per layer). Every call gets freshly made operands, as a training step does (new
// weights after each Adam update, so XNNPACK cannot reuse a packed copy of them); both sides pack
// what they need inside the timed call. The methods run interleaved, in a rotating order, for
// ROUNDS rounds; the median round (of CPU time) is reported. Each result is checked against XNNPACK's.
// Run after `pnpm build`: node bench/train/gemm.mjs   (LABKIT_BENCH_REPEATS rounds, default 7)
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const nnCore = join(repo, 'packages/nn-core');
const dist = (file) => import(pathToFileURL(join(nnCore, 'dist', file)).href);
const nn = await dist('index.js');
const { gemmOnHeap, gemmScratchBytes } = await dist('backend/gemm/gemm.js');
const { relaxedMaddFuses, relaxedSimdAvailable } = await dist('backend/gemm/relaxed-simd.js');
const { wasmMemoryOf } = await dist('backend/simd/float-store.js');
const require = createRequire(join(nnCore, 'package.json'));
// The same (CommonJS) TF.js instance that nn-core's src/tfjs.ts re-exports.
const tf = require('@tensorflow/tfjs-core');

const ROUNDS = Number(process.env.LABKIT_BENCH_REPEATS ?? 7);
/** Calls per timing: enough for ~40 MFLOP, so the small last layer is not all call overhead. */
const MIN_FLOP = 40e6;
const BATCH = 128;
const LAYERS = [
  [3072, 1024],
  [1024, 512],
  [512, 10],
];

const { withExplicitTransposes } = await dist('backend/wasm-kernels/index.js');
// TF.js's own BatchMatMul (XNNPACK), taken before labkit's overrides replace it.
require('@tensorflow/tfjs-backend-wasm');
const stockBatchMatMul = tf.getKernel('BatchMatMul', 'wasm').kernelFunc;
const backendText = nn.describeBackend(await nn.initBackend('wasm', { threads: 1 }));
const backend = tf.backend();
const memory = () => wasmMemoryOf(backend);
const offset = (t) => backend.dataIdMap.get(t.dataId).memoryOffset;

/** The products of one training step: a·b with TF.js's gradient transposes. */
const products = LAYERS.flatMap(([inputs, units], l) => {
  const name = `layer ${l + 1}`;
  return [
    { name: `${name} forward x·W`, a: [BATCH, inputs], b: [inputs, units], tA: false, tB: false },
    // Training never computes the first layer's input gradient (training-ops/dense.ts skips it).
    {
      name: `${name} dX = dy·Wᵀ`,
      a: [BATCH, units],
      b: [inputs, units],
      tA: false,
      tB: true,
      unused: l === 0,
    },
    { name: `${name} dW = xᵀ·dy`, a: [BATCH, inputs], b: [BATCH, units], tA: true, tB: false },
  ].map((p) => {
    const m = p.tA ? p.a[1] : p.a[0];
    const k = p.tA ? p.a[0] : p.a[1];
    const n = p.tB ? p.b[0] : p.b[1];
    return {
      ...p,
      m,
      n,
      k,
      flop: 2 * m * n * k,
      calls: Math.max(1, Math.ceil(MIN_FLOP / (2 * m * n * k))),
    };
  });
});

let seed = 1;
/** Fresh operands (new data ids, as after an optimizer step), made outside the timed region. */
const fresh = (p) => ({
  a: tf.randomUniform(p.a, -1, 1, 'float32', seed++),
  b: tf.randomUniform(p.b, -1, 1, 'float32', seed++),
});

/**
 * CPU milliseconds per call of `run` over p.calls calls, each on fresh operands. CPU time, not
 * wall time: on 1 thread they agree on an idle machine, and on a shared one the CPU time leaves
 * out the time slices other processes took (caches they share still slow it).
 */
function timeCalls(p, run) {
  let ms = 0;
  for (let i = 0; i < p.calls; i++) {
    const ops = fresh(p);
    const start = process.cpuUsage();
    const out = run(ops);
    const used = process.cpuUsage(start);
    ms += (used.user + used.system) / 1000;
    tf.dispose([ops.a, ops.b, out]);
  }
  return ms / p.calls;
}

/**
 * XNNPACK as labkit ran it before its own GEMM: the explicit-transpose override around TF.js's
 * kernel (tf.matMul itself now takes labkit's GEMM for the large products on 1 thread).
 */
const viaXnnpack = withExplicitTransposes(
  stockBatchMatMul,
  (args) => tf.getKernel('Transpose', 'wasm').kernelFunc(args),
  { mayTransposeResult: true },
);
const xnnpack = (p) => (ops) =>
  tf.engine().makeTensorFromTensorInfo(
    viaXnnpack({
      inputs: { a: ops.a, b: ops.b },
      backend,
      attrs: { transposeA: p.tA, transposeB: p.tB },
    }),
  );

/** A float32 tensor on the wasm heap, not zero-filled (as a kernel's output is made). */
const uninitialised = (shape) =>
  tf.engine().makeTensorFromTensorInfo(backend.makeOutput(shape, 'float32'), backend);

/** Own kernel: output and scratch allocated inside the timed call, as a kernel override would. */
const own = (p, variant) => (ops) => {
  const product = { m: p.m, n: p.n, k: p.k, a: 0, b: 0, c: 0, transposeA: p.tA, transposeB: p.tB };
  const out = uninitialised([p.m, p.n]);
  const scratch = uninitialised([gemmScratchBytes(product) / 4]);
  Object.assign(product, { a: offset(ops.a), b: offset(ops.b), c: offset(out) });
  if (!gemmOnHeap(memory(), variant, product, offset(scratch)))
    throw new Error(`the ${variant} GEMM kernel cannot run on this engine`);
  scratch.dispose();
  return out;
};

const methods = [
  { name: 'XNNPACK', make: xnnpack },
  { name: 'plain SIMD', make: (p) => own(p, 'plain') },
  ...(relaxedSimdAvailable() ? [{ name: 'relaxed madd', make: (p) => own(p, 'relaxed') }] : []),
];

/** Largest |own - XNNPACK| over the largest |XNNPACK| of each product, per own method. */
function checkAgainstMatMul(p) {
  const ops = fresh(p);
  const want = xnnpack(p)(ops);
  const ref = want.dataSync();
  const scale = ref.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
  const errors = methods.slice(1).map((method) => {
    const got = method.make(p)(ops);
    const values = got.dataSync();
    const worst = values.reduce((s, v, i) => Math.max(s, Math.abs(v - ref[i])), 0);
    got.dispose();
    return worst / scale;
  });
  tf.dispose([ops.a, ops.b, want]);
  return errors;
}

const load = loadavg();
console.log(
  `backend: ${backendText}; relaxed SIMD: ${relaxedSimdAvailable() ? `yes, relaxed_madd ${relaxedMaddFuses() ? 'fused (one rounding)' : 'not fused'}` : 'no'}`,
);
console.log(
  `load average ${load.map((x) => x.toFixed(2)).join(' ')}${load[0] > 0.5 ? ' — machine busy: these figures are indicative only' : ''}`,
);

const maxError = products.map(checkAgainstMatMul);
// Warm-up: one call of each method on each shape (compiles the kernels, grows the heap).
for (const p of products) for (const m of methods) timeCalls({ ...p, calls: 1 }, m.make(p));

const samples = products.map(() => methods.map(() => []));
for (let round = 0; round < ROUNDS; round++) {
  products.forEach((p, i) => {
    for (let j = 0; j < methods.length; j++) {
      const which = (j + round) % methods.length;
      samples[i][which].push(timeCalls(p, methods[which].make(p)));
    }
  });
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const medians = samples.map((perMethod) => perMethod.map(median));

const pad = (s, n) => String(s).padStart(n);
console.log(
  `\nGFLOP/s, median of ${ROUNDS} interleaved rounds (1 thread, CPU time, fresh operands per call); ratio = own / XNNPACK`,
);
console.log(
  `${'product'.padEnd(22)} ${pad('m x k x n', 16)} ${methods.map((m) => pad(m.name, 13)).join('')}${methods
    .slice(1)
    .map((m) => pad(`ratio ${m.name.split(' ')[0]}`, 14))
    .join('')} ${pad('max rel err vs XNNPACK', 24)}`,
);
products.forEach((p, i) => {
  const gflops = medians[i].map((ms) => p.flop / ms / 1e6);
  console.log(
    `${(p.name + (p.unused ? '*' : '')).padEnd(22)} ${pad(`${p.m}x${p.k}x${p.n}`, 16)} ${gflops.map((g) => pad(g.toFixed(2), 13)).join('')}${gflops
      .slice(1)
      .map((g) => pad(`${(g / gflops[0]).toFixed(2)}x`, 14))
      .join('')} ${pad(maxError[i].map((e) => e.toExponential(1)).join(' / '), 24)}`,
  );
});
const stepMs = methods.map((_, j) =>
  products.reduce((s, p, i) => s + (p.unused ? 0 : medians[i][j]), 0),
);
console.log(
  `\nthe 8 products a training step runs (* = not run in training): ${methods.map((m, j) => `${m.name} ${stepMs[j].toFixed(1)} ms`).join(', ')}`,
);
