import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '../tfjs.js';
import { writeFileAtomic } from './atomic.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** Joins the weight buffers TF.js hands over (one ArrayBuffer, or several in newer versions). */
function weightBytes(data: ArrayBuffer | ArrayBuffer[] | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  const parts = Array.isArray(data) ? data : [data];
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out;
}

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

export interface LoadedModel {
  model: tf.LayersModel;
  metadata: Record<string, unknown>;
}

/** Loads a model saved by {@link saveModel} (or any single-shard TF.js layers model) from `dir`. */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const jsonPath = join(dir, MODEL_JSON);
  let json: {
    modelTopology?: object;
    weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    userDefinedMetadata?: Record<string, unknown>;
  };
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read model ${jsonPath}: ${(error as Error).message}`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error(
      `${jsonPath} is not a TF.js layers model (no modelTopology or weightsManifest)`,
    );
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const path of group.paths) buffers.push(new Uint8Array(await readFile(join(dir, path))));
  }
  const data = weightBytes(
    buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer),
  );
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: specs,
      weightData: data.buffer as ArrayBuffer,
    }),
  );
  return { model, metadata: json.userDefinedMetadata ?? {} };
}
