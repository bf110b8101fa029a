import { batchNormForTraining } from '../backend/training-ops/batch-norm.js';
import { denseForTraining } from '../backend/training-ops/dense.js';
import { dropoutForTraining } from '../backend/training-ops/dropout.js';
import { deriveSeed } from '../data/rng.js';
import * as tf from '../tfjs.js';
import type { ModelSpec } from './spec.js';

/**
 * A TF.js random seed derived from `parts`. Never 0: TF.js treats a seed of 0 as "no seed" and
 * draws from Math.random instead, which would make a run with `--seed 0` irreproducible.
 */
export function tfSeed(...parts: number[]): number {
  return deriveSeed(...parts) || 1;
}

const INIT_STREAM = 101;

/** Name of the last dense layer; the model's output is its softmax. */
export const LOGITS_LAYER = 'logits';

function initializer(spec: ModelSpec, seed: number): ReturnType<typeof tf.initializers.heNormal> {
  const config = { seed };
  switch (spec.initializer) {
    case 'heNormal':
      return tf.initializers.heNormal(config);
    case 'heUniform':
      return tf.initializers.heUniform(config);
    case 'glorotNormal':
      return tf.initializers.glorotNormal(config);
    case 'glorotUniform':
      return tf.initializers.glorotUniform(config);
    case 'leCunNormal':
      return tf.initializers.leCunNormal(config);
  }
}

/**
 * Builds the spec's model as a `tf.sequential` of standard layers, so it saves in the TF.js
 * layers format and loads in a browser with `tf.loadLayersModel`. Output: class probabilities
 * (softmax over the `logits` layer). Kernels are initialised from `seed` (one seed per layer).
 */
export function buildModel(spec: ModelSpec, seed = 0): tf.Sequential {
  const model = tf.sequential({ name: 'labkit_mlp' });
  let layerIndex = 0;
  const nextSeed = () => tfSeed(seed, INIT_STREAM, layerIndex++);
  let first = true;
  const inputShape = (): { inputShape?: number[] } => {
    if (!first) return {};
    first = false;
    return { inputShape: [spec.inputSize] };
  };
  spec.hidden.forEach((units, i) => {
    const n = i + 1;
    const neck = spec.bottleneck?.[i] ?? 0;
    if (neck > 0) {
      model.add(
        tf.layers.dense({
          ...inputShape(),
          units: neck,
          useBias: false,
          kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }),
          name: `bottleneck${n}`,
        }),
      );
    }
    model.add(
      tf.layers.dense({
        ...inputShape(),
        units,
        kernelInitializer: initializer(spec, nextSeed()),
        name: `hidden${n}`,
      }),
    );
    const batchNorm = () => tf.layers.batchNormalization({ name: `hidden${n}_bn` });
    if (spec.batchNorm === 'before') model.add(batchNorm());
    model.add(
      tf.layers.activation({ activation: spec.activation, name: `hidden${n}_${spec.activation}` }),
    );
    if (spec.batchNorm === 'after') model.add(batchNorm());
    if (spec.dropout > 0)
      model.add(tf.layers.dropout({ rate: spec.dropout, name: `hidden${n}_dropout` }));
  });
  model.add(
    tf.layers.dense({
      ...inputShape(),
      units: spec.classes,
      kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }),
      name: LOGITS_LAYER,
    }),
  );
  model.add(tf.layers.activation({ activation: 'softmax', name: 'probabilities' }));
  return model;
}

/** Kernels of every dense layer: what the L2 penalty applies to. */
export function denseKernels(model: tf.LayersModel): tf.Variable[] {
  return model.layers
    .filter((layer) => layer.getClassName() === 'Dense')
    .map((layer) => {
      const kernel = layer.trainableWeights.find((w) => w.originalName.endsWith('/kernel'));
      if (!kernel) throw new Error(`dense layer ${layer.name} has no kernel`);
      return (kernel as unknown as { val: tf.Variable }).val;
    });
}

/** The model's trainable variables in layer order (a stable order matters for optimizer state). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
}

/**
 * Runs the model up to its logits. In training mode batch norm uses (and updates) batch
 * statistics, and dropout draws its mask from `dropoutSeed` so that a run is reproducible and a
 * resumed run draws the same masks; in inference mode dropout is the identity.
 */
export function forwardLogits(
  model: tf.LayersModel,
  x: tf.Tensor,
  { training = false, dropoutSeed = 0 }: { training?: boolean; dropoutSeed?: number } = {},
): tf.Tensor2D {
  let out = x;
  let dropoutIndex = 0;
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (kind === 'Dropout') {
      if (training) {
        const rate = (layer.getConfig().rate as number) ?? 0;
        const seed = tfSeed(dropoutSeed, dropoutIndex);
        out = dropoutForTraining(out, rate, seed) ?? tf.dropout(out, rate, undefined, seed);
      }
      dropoutIndex++;
      continue;
    }
    // In training, dense layers run as matMul + add (denseForTraining: skips an unused gradient)
    // and batch norm as one fused pass with a closed-form gradient (batchNormForTraining).
    out =
      (training ? (denseForTraining(layer, out) ?? batchNormForTraining(layer, out)) : undefined) ??
      (layer.apply(out, { training }) as tf.Tensor);
    if (layer.name === LOGITS_LAYER) return out as tf.Tensor2D;
  }
  throw new Error(`model has no '${LOGITS_LAYER}' layer`);
}
