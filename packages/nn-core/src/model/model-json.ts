/**
 * A TF.js layers model from the text of its `model.json` and its weight files, without file
 * access: Node reads the files (io.ts), a browser hands over the files a user dropped.
 */
import * as tf from '../tfjs.js';

/** Joins the weight buffers TF.js hands over (one ArrayBuffer, or several in newer versions). */
export function weightBytes(data: ArrayBuffer | ArrayBuffer[] | undefined): Uint8Array {
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

export interface LoadedModel {
  model: tf.LayersModel;
  metadata: Record<string, unknown>;
}

/**
 * Builds the model described by `modelJson` (the text of a `model.json`; `source` names it in
 * errors), reading each weight file its manifest names with `readWeights`.
 */
export async function modelFromJson(
  modelJson: string,
  source: string,
  readWeights: (path: string) => Promise<Uint8Array>,
): Promise<LoadedModel> {
  let json: {
    modelTopology?: object;
    weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    userDefinedMetadata?: Record<string, unknown>;
  };
  try {
    json = JSON.parse(modelJson);
  } catch (error) {
    throw new Error(`cannot read model ${source}: ${(error as Error).message}`);
  }
  if (!json?.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error(`${source} is not a TF.js layers model (no modelTopology or weightsManifest)`);
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const path of group.paths) buffers.push(await readWeights(path));
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
