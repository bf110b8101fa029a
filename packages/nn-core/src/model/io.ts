import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '../tfjs.js';
import { writeFileAtomic } from './atomic.js';
import { type LoadedModel, modelFromJson, weightBytes } from './model-json.js';

export type { LoadedModel } from './model-json.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/**
 * Saves a model in the standard TF.js layers format (`model.json` + `weights.bin`) into `dir`,
 * loadable in a browser with `tf.loadLayersModel('.../model.json')`. Each file is written
 * atomically; `metadata` lands in `userDefinedMetadata` (labkit keeps the spec and the
 * normalisation statistics there so that a saved model is self-describing).
 */
export async function saveModel(
  model: tf.LayersModel,
  dir: string,
  metadata: object = {},
): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = weightBytes(artifacts.weightData as ArrayBuffer | ArrayBuffer[] | undefined);
      const modelJson = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: metadata,
      };
      await writeFileAtomic(join(dir, WEIGHTS_BIN), weights);
      await writeFileAtomic(join(dir, MODEL_JSON), `${JSON.stringify(modelJson)}\n`);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/** Loads a model saved by {@link saveModel} (or any single-shard TF.js layers model) from `dir`. */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const jsonPath = join(dir, MODEL_JSON);
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch (error) {
    throw new Error(`cannot read model ${jsonPath}: ${(error as Error).message}`);
  }
  return modelFromJson(
    text,
    jsonPath,
    async (path) => new Uint8Array(await readFile(join(dir, path))),
  );
}
