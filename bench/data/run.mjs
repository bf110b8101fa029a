// Data pipeline throughput: images/s and batches/s that `batches()` gathers, normalises and (with
// --augment) crops and flips, on one core. Compared with a naive baseline in the same run (per-pixel
// arithmetic instead of the lookup table) and with what training consumes (issue 5: the pipeline
// must deliver at least 20x the trainer's samples/s; the trainers' measured samples/s are in
// results/measurements.json).
// Uses the real CIFAR-10 training set when present (LABKIT_CIFAR10_DIR or ../shared/data/cifar10),
// else 10,000 generated images. Run: `pnpm bench data` (after `pnpm build`).
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const dist = join(repo, 'packages/nn-core/dist/data');
const { loadCifar10, parseCifarBatch, IMAGE_SIZE } = await import(join(dist, 'cifar10.js'));
const { missingCifarFiles } = await import(join(dist, 'locate.js'));
const { channelStats } = await import(join(dist, 'stats.js'));
const { pipelineThroughput } = await import(join(dist, 'throughput.js'));
const { makeCifarBatch } = await import(join(dist, 'testing.js'));

const { readRecord, findQuantity } = await import(join(repo, 'tools/measurements/dist/index.js'));
// The fastest training recorded here (PyTorch, 1 thread): the best median of its repeats.
const fastestTrainer = findQuantity(
  readRecord(join(repo, 'results/measurements.json')),
  'bench-train-pytorch-1-thread.train',
);
const TRAINER_SAMPLES_PER_SEC = Math.max(...fastestTrainer.repeats.map((r) => r.median));
const BATCH = 128;
const dir = process.env.LABKIT_CIFAR10_DIR ?? resolve(repo, '../shared/data/cifar10');
const real = existsSync(dir) && missingCifarFiles(dir).length === 0;
const set = real
  ? await loadCifar10(dir, 'train')
  : parseCifarBatch(makeCifarBatch(10_000), 'generated');
const stats = channelStats(set);
console.log(
  `data: ${real ? `real CIFAR-10 training set (${dir})` : 'generated'}, ${set.count} images, batch ${BATCH}`,
);

/** Naive pipeline for comparison: same gather and output, per-pixel arithmetic, no augmentation. */
function* naiveBatches(epoch) {
  const x = new Float32Array(BATCH * IMAGE_SIZE);
  const y = new Int32Array(BATCH);
  for (let start = 0; start < set.count; start += BATCH) {
    const size = Math.min(BATCH, set.count - start);
    for (let i = 0; i < size; i++) {
      const index = (start + i + epoch) % set.count;
      y[i] = set.labels[index];
      for (let p = 0; p < IMAGE_SIZE; p++) {
        const c = Math.floor(p / 1024);
        x[i * IMAGE_SIZE + p] =
          (set.images[index * IMAGE_SIZE + p] / 255 - stats.mean[c]) / stats.std[c];
      }
    }
    yield { x, y, size };
  }
}

/** Times the naive baseline the same way `pipelineThroughput` times the real pipeline. */
function measureNaive() {
  let sink = 0;
  for (const b of naiveBatches(0)) sink += b.x[0];
  let images = 0;
  let count = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let epoch = 1; performance.now() - t0 < 3000; epoch++) {
    for (const b of naiveBatches(epoch)) {
      images += b.size;
      count++;
      sink += b.x[b.size];
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (Number.isNaN(sink)) console.log('(sink)');
  return {
    imagesPerSec: images / seconds,
    batchesPerSec: count / seconds,
    imagesPerCpuSec: images / ((cpu.user + cpu.system) / 1e6),
  };
}

const options = { batchSize: BATCH, shuffle: true, seed: 1, stats };
const rows = [
  { label: 'naive baseline (no LUT, no shuffle)', ...measureNaive() },
  { label: 'batches(), shuffle', ...pipelineThroughput(set, options) },
  {
    label: 'batches(), shuffle + augment',
    ...pipelineThroughput(set, { ...options, augment: true }),
  },
];
const baseline = rows[0].imagesPerSec;
const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(9);
for (const r of rows) {
  console.log(
    `${r.label.padEnd(38)} ${fmt(r.imagesPerSec)} images/s ${r.batchesPerSec.toFixed(0).padStart(5)} batches/s ` +
      `${fmt(r.imagesPerCpuSec)} images/CPU-s  x${(r.imagesPerSec / baseline).toFixed(2)} baseline  ` +
      `x${(r.imagesPerSec / TRAINER_SAMPLES_PER_SEC).toFixed(0)} of ${TRAINER_SAMPLES_PER_SEC} samples/s training`,
  );
}
// Wall-clock rates fall when other processes share the cores; per-CPU-second rates do not.
console.log(`load average (1 min): ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`);
const augmented = rows[2];
const goal = 20 * TRAINER_SAMPLES_PER_SEC;
const verdict = (v) => (v >= goal ? 'met' : 'NOT met');
console.log(
  `goal: augmented >= ${goal.toLocaleString('en-US')} images/s: wall ${verdict(augmented.imagesPerSec)}, ` +
    `per CPU-second ${verdict(augmented.imagesPerCpuSec)}`,
);
