import { resolve } from 'node:path';
import { defineCommand } from '../define.js';
import { loadNnCore } from '../nn-core.js';
import { asUsage } from '../nn-usage.js';
import {
  BACKEND_FLAG,
  backendOption,
  numberOption,
  THREADS_FLAG,
  threadsOption,
} from '../options.js';
import { CHECKPOINT_FLAG, checkpointOption } from '../recipe-flags.js';

export default defineCommand({
  path: ['predict'],
  args: '<run-dir> <input>',
  description:
    "Predict with a trained run's model: a PNG or JPEG image (resized to 32x32 with bilinear\n" +
    'interpolation if it is another size; alpha ignored) or a CIFAR-10 batch file (every record;\n' +
    'accuracy against its labels). The kind is read from the content, not the file name.',
  options: [
    { flags: '--top <k>', description: 'Show the k most probable classes per image', default: 1 },
    CHECKPOINT_FLAG,
    BACKEND_FLAG,
    THREADS_FLAG,
    { flags: '--json', description: 'Print one JSON object per image' },
  ],
  examples: [
    'labkit predict runs/wide cat.png',
    'labkit predict runs/wide data/test_batch.bin --top 3',
  ],
  async action(args, options, io) {
    const runDir = resolve(io.cwd, args[0] as string);
    const input = resolve(io.cwd, args[1] as string);
    const top = numberOption(options, 'top', { min: 1, max: 100, integer: true }) ?? 1;
    const backendRequest = backendOption(options) ?? 'auto';
    const checkpoint = checkpointOption(options);
    const nn = await loadNnCore();
    await asUsage(nn, () => (checkpoint ? nn.readRunRecord(runDir) : nn.finishedRunRecord(runDir)));
    // The backend first: decoding an image uses TF.js ops.
    const backend = await nn.initBackend(backendRequest, threadsOption(options));
    const { set, labelled, note } = await nn.readPredictionInput(input);
    const weights = checkpoint ? await nn.loadLastCheckpoint(runDir) : undefined;
    const trained = weights?.trained ?? (await nn.loadTrainedModel(resolve(runDir, nn.MODEL_DIR)));
    const probabilities = nn.predictProbabilities(trained, set);
    const json = Boolean(options.json);
    if (!json) {
      io.stdout.write(`backend: ${nn.describeBackend(backend)}\n${note ? `${note}\n` : ''}`);
      if (weights) io.stdout.write(`${weights.description}\n`);
    }
    let correct = 0;
    probabilities.forEach((probs, i) => {
      const ranked = Array.from(probs, (p, c) => ({
        class: trained.classes[c] ?? String(c),
        index: c,
        probability: p,
      }))
        .sort((a, b) => b.probability - a.probability)
        .slice(0, Math.min(top, probs.length));
      const best = ranked[0];
      const truth = labelled ? (set.labels[i] as number) : undefined;
      if (truth !== undefined && best?.index === truth) correct++;
      if (json) {
        io.stdout.write(
          `${JSON.stringify({ index: i, predicted: best?.class, probability: best?.probability, top: ranked, ...(truth !== undefined ? { label: trained.classes[truth] } : {}), backend: backend.name })}\n`,
        );
      } else {
        const shown = ranked
          .map((r) => `${r.class} ${(r.probability * 100).toFixed(1)}%`)
          .join(', ');
        const label = truth !== undefined ? `  (label: ${trained.classes[truth]})` : '';
        io.stdout.write(`${labelled ? `${i}: ` : ''}${shown}${label}\n`);
      }
    });
    if (labelled && !json) {
      io.stdout.write(
        `accuracy ${((correct / set.count) * 100).toFixed(2)}% on ${set.count} records\n`,
      );
    }
    return 0;
  },
});
