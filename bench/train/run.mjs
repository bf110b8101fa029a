// Training speed (issue 5): `labkit bench train` (the seed MLP on the auto-selected backend at 1
// and 2 wasm threads, and on the cpu backend for contrast) against the same model in Debian's
// PyTorch (python3-torch, 1 and 2 threads) in the same run, same batch size, same warm-up rule.
// Each configuration runs REPEATS times, interleaved, so that load from other processes hits all of
// them alike; the median of the repeats is compared and the spread (min-max) printed.
// Also prints the data pipeline's own throughput against what training consumes.
// Run: `pnpm bench train` (builds first). Knobs: LABKIT_BENCH_REPEATS (3), LABKIT_BENCH_BATCHES (30).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const labkitBin = join(repo, 'packages/cli/dist/bin.js');
const python = '/usr/bin/python3';
const REPEATS = Number(process.env.LABKIT_BENCH_REPEATS ?? 3);
const BATCHES = Number(process.env.LABKIT_BENCH_BATCHES ?? 30);
const BATCH_SIZE = 128;
const WARMUP = 3;

if (!existsSync(labkitBin)) {
  console.error(`bench train: ${labkitBin} is missing; run 'pnpm build' first`);
  process.exit(1);
}

/** Runs a command whose last stdout line is one JSON object; returns it, or the failure text. */
function runJson(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 << 20,
  });
  const last = r.stdout?.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !last.startsWith('{')) {
    return {
      error: `${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}`,
    };
  }
  return JSON.parse(last);
}

/** The same batches, batch size and warm-up for every configuration, labkit's and PyTorch's. */
const shape = [
  '--batches',
  String(BATCHES),
  '--batch-size',
  String(BATCH_SIZE),
  '--warmup',
  String(WARMUP),
];
const common = [...shape, '--json'];
const hasTorch = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
// labkit and PyTorch each run at 1 and 2 threads; each is compared at its best thread count here.
const THREADS = [1, 2];
const plural = (n) => `${n} thread${n > 1 ? 's' : ''}`;
const configs = [
  ...THREADS.map((threads) => ({
    name: `labkit ${plural(threads)}`,
    threads,
    run: () =>
      runJson(process.execPath, [
        labkitBin,
        'bench',
        'train',
        '--backend',
        'auto',
        '--threads',
        String(threads),
        ...common,
      ]),
  })),
  ...(hasTorch
    ? THREADS.map((threads) => ({
        name: `pytorch ${plural(threads)}`,
        torch: true,
        // Debian's torch does its products in OpenBLAS (BLAS_INFO=generic), whose pthread pool
        // ignores torch.set_num_threads and spins a thread per core: unbounded, "1 thread" ran
        // two and fell to a few hundred samples/s whenever the other core was busy.
        run: () =>
          runJson(python, [join(here, 'torch_mlp.py'), '--threads', String(threads), ...shape], {
            OPENBLAS_NUM_THREADS: String(threads),
            OMP_NUM_THREADS: String(threads),
          }),
      }))
    : []),
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x) => Math.round(x).toLocaleString('en-US');

console.log(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (2 cores; other work skews every figure)`,
);
console.log(
  `batch ${BATCH_SIZE}, ${WARMUP} warm-up + ${BATCHES} timed batches per run, ${REPEATS} interleaved repeats`,
);
if (!hasTorch)
  console.log(
    `PyTorch is missing (${python} cannot import torch): apt-get install -y python3-torch`,
  );

const samples = new Map(configs.map((c) => [c.name, []]));
const details = new Map();
for (let r = 0; r < REPEATS; r++) {
  for (const c of configs) {
    process.stderr.write(`  repeat ${r + 1}/${REPEATS}: ${c.name}...\n`);
    const result = c.run();
    if (result.error) {
      console.log(`  ${c.name}: FAILED ${result.error}`);
      continue;
    }
    samples.get(c.name).push(result);
    details.set(c.name, result);
  }
}

const cpu = runJson(process.execPath, [
  labkitBin,
  'bench',
  'train',
  '--backend',
  'cpu',
  '--batches',
  '2',
  '--warmup',
  '1',
  '--batch-size',
  String(BATCH_SIZE),
  '--json',
]);

console.log(
  '\nconfiguration              train samples/s (median, min-max)   inference samples/s (median)',
);
const summary = new Map();
for (const c of configs) {
  const runs = samples.get(c.name);
  if (runs.length === 0) continue;
  const train = runs.map((x) => x.samplesPerSec);
  const infer = runs.map((x) => x.inferenceSamplesPerSec);
  summary.set(c.name, { train: median(train), infer: median(infer), torch: Boolean(c.torch) });
  const label = c.torch
    ? `${c.name} (torch ${runs[0].torch})`
    : `${c.name} (${runs[0].backend}, ${runs[0].threads ?? '-'} thr)`;
  console.log(
    `${label.padEnd(36)} ${fmt(median(train)).padStart(6)}  (${fmt(Math.min(...train))}-${fmt(Math.max(...train))})` +
      `        ${fmt(median(infer)).padStart(6)}`,
  );
}
if (cpu.error) console.log(`labkit cpu: FAILED ${cpu.error}`);
else
  console.log(
    `${'labkit cpu (contrast, 2 batches)'.padEnd(36)} ${fmt(cpu.samplesPerSec).padStart(6)}                ${fmt(cpu.inferenceSamplesPerSec).padStart(6)}`,
  );

const best = (torch) =>
  [...summary.entries()]
    .filter(([, s]) => s.torch === torch)
    .sort((a, b) => b[1].train - a[1].train)[0];
const labkitBest = best(false);
const labkitOneThread = summary.get('labkit 1 thread');
const torchBest = best(true);
if (labkitBest && torchBest) {
  console.log('\nratio labkit/PyTorch (medians, each at its best thread count here):');
  console.log(
    `  training: ${labkitBest[0]} / ${torchBest[0]} = ${(labkitBest[1].train / torchBest[1].train).toFixed(2)}`,
  );
  if (labkitOneThread && labkitBest[0] !== 'labkit 1 thread')
    console.log(
      `  training, labkit 1 thread / ${torchBest[0]} = ${(labkitOneThread.train / torchBest[1].train).toFixed(2)}`,
    );
  const inferBest = (torch) =>
    [...summary.values()]
      .filter((s) => s.torch === torch)
      .reduce((m, s) => Math.max(m, s.infer), 0);
  console.log(
    `  inference (best thread count each): ${(inferBest(false) / inferBest(true)).toFixed(2)}`,
  );
}

// The data pipeline's own throughput, through the data developer's API when it is built.
const throughputModule = join(repo, 'packages/nn-core/dist/data/throughput.js');
if (existsSync(throughputModule) && labkitBest) {
  const { pipelineThroughput } = await import(throughputModule);
  const { parseCifarBatch } = await import(join(repo, 'packages/nn-core/dist/data/cifar10.js'));
  const { makeCifarBatch } = await import(join(repo, 'packages/nn-core/dist/data/testing.js'));
  const { channelStats } = await import(join(repo, 'packages/nn-core/dist/data/stats.js'));
  const set = parseCifarBatch(makeCifarBatch(10_000), 'generated');
  const options = {
    batchSize: BATCH_SIZE,
    seed: 1,
    shuffle: true,
    augment: true,
    stats: channelStats(set),
  };
  const t = pipelineThroughput(set, options, { minSeconds: 2 });
  const consumed = labkitBest[1].train;
  console.log(
    `\ndata pipeline (shuffle + normalise + crop/flip, 10,000 generated images): ${fmt(t.imagesPerSec)} images/s` +
      ` = ${(t.imagesPerSec / consumed).toFixed(0)}x what the fastest labkit training consumes (goal >= 20x)`,
  );
} else {
  console.log(
    '\ndata pipeline throughput: packages/nn-core/dist/data/throughput.js not built; see `pnpm bench data`',
  );
}
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
