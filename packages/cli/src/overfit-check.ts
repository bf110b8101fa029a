import type { CommandIO } from './define.js';

type NnCore = typeof import('@labkit/nn-core');

export interface OverfitRequest {
  spec: import('@labkit/nn-core').ModelSpec;
  optimizer: import('@labkit/nn-core').OptimizerSpec;
  images: number;
  maxSteps: number;
  seed: number;
  dataDir: string;
  /** Accept data files of another size than the official 10,000 records. */
  partialData: boolean;
  backend: import('@labkit/nn-core').BackendRequest;
  threads: { threads?: number };
  json: boolean;
}

/**
 * `labkit train --overfit N`: loads the first N training images, runs the overfit check and prints
 * PASS or FAIL. Resolves to the exit code: 0 on PASS, 1 on FAIL.
 */
export async function runOverfitFromCli(
  nn: NnCore,
  r: OverfitRequest,
  io: CommandIO,
): Promise<number> {
  const say = (line: string) => (r.json ? io.stderr : io.stdout).write(`${line}\n`);
  const backend = await nn.initBackend(r.backend, r.threads);
  say(`backend: ${nn.describeBackend(backend)}`);
  const images = await nn.loadCifar10(r.dataDir, 'train', {
    limit: r.images,
    fullFiles: !r.partialData,
  });
  if (images.count < r.images) say(`note: only ${images.count} training images in ${r.dataDir}`);
  say(
    `overfit check: ${images.count} images from ${r.dataDir}, budget ${r.maxSteps} steps, ${r.optimizer.kind} lr ${r.optimizer.lr}`,
  );
  let lastPrinted = 0;
  const result = await nn.runOverfitCheck({
    spec: r.spec,
    images,
    maxSteps: r.maxSteps,
    optimizer: r.optimizer,
    seed: r.seed,
    onEpoch(m, step) {
      if (step - lastPrinted >= 25 || step === r.maxSteps) {
        lastPrinted = step;
        io.stderr.write(
          `  step ${step}  loss ${m.trainLoss.toFixed(4)}  accuracy ${(m.trainAccuracy * 100).toFixed(1)}%\n`,
        );
      }
    },
  });
  (r.json ? io.stderr : io.stdout).write(nn.formatOverfitResult(result));
  if (r.json) {
    const { history: _history, spec: _spec, ...numbers } = result;
    io.stdout.write(`${JSON.stringify({ backend: backend.name, ...numbers })}\n`);
  }
  return result.passed ? 0 : 1;
}
