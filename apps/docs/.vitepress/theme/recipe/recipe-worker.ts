/**
 * The Web Worker behind the in-browser recipe pages: nn-core's own code, off the page's thread so
 * that training never freezes it. Trains (overfit check, then a short run with per-epoch metrics
 * and the diagnosis) or classifies an image with a model saved by `labkit train`.
 */
import {
  type BackendInfo,
  DEFAULT_RECIPE,
  diagnose,
  formatOverfitResult,
  IMAGE_SIZE,
  type ImageSet,
  initBrowserBackend,
  modelFromJson,
  OVERFIT_DEFAULT_STEPS,
  parseCifarBatch,
  predictProbabilities,
  recipeContext,
  runOverfitCheck,
  toCifarImage,
  toEpochPoint,
  trainedModel,
  trainInMemory,
  VERDICT_TITLE,
} from '@labkit/nn-core/browser';
import type { WorkerReply, WorkerRequest } from './protocol.js';

const reply = (message: WorkerReply) => postMessage(message);

let backend: Promise<BackendInfo> | undefined;
function startBackend(wasm: string): Promise<BackendInfo> {
  backend ??= initBrowserBackend(wasm).then((info) => {
    reply({ kind: 'backend', info });
    return info;
  });
  return backend;
}

/** Images `from`..`from + count - 1` of a set. */
function slice(set: ImageSet, from: number, count: number): ImageSet {
  return {
    images: set.images.slice(from * IMAGE_SIZE, (from + count) * IMAGE_SIZE),
    labels: set.labels.slice(from, from + count),
    count,
  };
}

async function train(request: Extract<WorkerRequest, { kind: 'train' }>): Promise<void> {
  await startBackend(request.wasm);
  const all = parseCifarBatch(new Uint8Array(request.records), 'the CIFAR-10 images');
  if (all.count < request.trainImages + request.valImages)
    throw new Error(
      `the file holds ${all.count} images; ${request.trainImages} training and ${request.valImages} validation images were asked for`,
    );
  // The check `labkit train --overfit N` runs: the first N training images, the recipe's model.
  let lastStep = 0;
  const overfit = await runOverfitCheck({
    spec: DEFAULT_RECIPE.spec,
    images: slice(all, 0, request.overfitImages),
    maxSteps: OVERFIT_DEFAULT_STEPS,
    optimizer: DEFAULT_RECIPE.optimizer,
    seed: DEFAULT_RECIPE.seed,
    onEpoch(metrics, step) {
      if (step - lastStep >= 10) {
        lastStep = step;
        reply({
          kind: 'overfit-step',
          step,
          loss: metrics.trainLoss,
          accuracy: metrics.trainAccuracy,
        });
      }
    },
  });
  const { history: _history, spec: _spec, ...numbers } = overfit;
  reply({ kind: 'overfit', result: { ...numbers, text: formatOverfitResult(overfit) } });
  if (!overfit.passed) return;

  const recipe = { ...DEFAULT_RECIPE, epochs: request.epochs };
  const started = performance.now();
  const run = await trainInMemory({
    recipe,
    train: slice(all, 0, request.trainImages),
    val: slice(all, all.count - request.valImages, request.valImages),
    callbacks: [
      {
        onBatchEnd(info) {
          reply({
            kind: 'batch',
            epoch: info.epoch,
            batch: info.batch + 1,
            batches: info.batchesPerEpoch,
            loss: info.loss,
          });
        },
        onEpochEnd(metrics) {
          reply({ kind: 'epoch', metrics });
        },
      },
    ],
  });
  run.model.dispose();
  const diagnosis = diagnose(run.fit.history.map(toEpochPoint), recipeContext(recipe));
  reply({
    kind: 'trained',
    diagnosis,
    title: VERDICT_TITLE[diagnosis.verdict],
    seconds: (performance.now() - started) / 1000,
  });
}

/** CHW planes of a 32x32 CIFAR-layout image back to RGBA pixels, for display. */
function previewPixels(image: Uint8Array): Uint8ClampedArray {
  const plane = IMAGE_SIZE / 3;
  const out = new Uint8ClampedArray(plane * 4);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) out[p * 4 + c] = image[c * plane + p] as number;
    out[p * 4 + 3] = 255;
  }
  return out;
}

async function classify(request: Extract<WorkerRequest, { kind: 'classify' }>): Promise<void> {
  await startBackend(request.wasm);
  const loaded = await modelFromJson(request.modelJson, 'model.json', async (path) => {
    const name = path.split('/').pop() ?? path;
    const bytes = request.weights[name];
    if (!bytes)
      throw new Error(
        `model.json names the weight file ${name}, which was not given: drop the whole model/ folder (model.json and ${name})`,
      );
    return new Uint8Array(bytes);
  });
  const trained = trainedModel(loaded, 'model.json');
  try {
    const { image } = toCifarImage(
      new Uint8Array(request.rgba.buffer, request.rgba.byteOffset, request.rgba.byteLength),
      request.width,
      request.height,
      4,
    );
    const [probabilities] = predictProbabilities(trained, {
      images: image,
      labels: new Uint8Array(1),
      count: 1,
    });
    const ranked = Array.from(probabilities ?? [], (probability, c) => ({
      class: trained.classes[c] ?? String(c),
      probability,
    })).sort((a, b) => b.probability - a.probability);
    reply({
      kind: 'classified',
      ranked,
      preview: previewPixels(image),
      spec: `hidden ${trained.spec.hidden.join(', ')}, batch norm ${trained.spec.batchNorm}`,
    });
  } finally {
    trained.model.dispose();
  }
}

addEventListener('message', async (event: MessageEvent<WorkerRequest>) => {
  try {
    if (event.data.kind === 'train') await train(event.data);
    else await classify(event.data);
  } catch (error) {
    reply({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
