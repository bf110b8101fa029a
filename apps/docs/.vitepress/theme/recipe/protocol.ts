/** Messages between the in-browser recipe pages and their Web Worker (recipe-worker.ts). */
import type { BackendInfo, Diagnosis, EpochMetrics } from '@labkit/nn-core/browser';

/** What the page asks the worker to do. */
export type WorkerRequest =
  | {
      kind: 'train';
      /** URL prefix of TF.js's wasm binaries. */
      wasm: string;
      /** CIFAR-10 records (label byte + 3072 pixel bytes each): training images first. */
      records: ArrayBuffer;
      trainImages: number;
      valImages: number;
      epochs: number;
      overfitImages: number;
    }
  | {
      kind: 'classify';
      wasm: string;
      /** The text of `model.json` and the weight files it names, by file name. */
      modelJson: string;
      weights: Record<string, ArrayBuffer>;
      /** Decoded RGBA pixels of the image. */
      rgba: Uint8ClampedArray;
      width: number;
      height: number;
    };

/** The numbers of the overfit check the page shows (the result without its history). */
export interface OverfitSummary {
  passed: boolean;
  images: number;
  steps: number;
  maxSteps: number;
  passedAtStep?: number;
  initialLoss: number;
  finalLoss: number;
  finalAccuracy: number;
  inferenceAccuracy: number;
  seconds: number;
  causes: string[];
  /** `labkit train --overfit`'s own report, word for word. */
  text: string;
}

export interface ClassProbability {
  class: string;
  probability: number;
}

/** What the worker reports, in order. */
export type WorkerReply =
  | { kind: 'backend'; info: BackendInfo }
  | { kind: 'overfit-step'; step: number; loss: number; accuracy: number }
  | { kind: 'overfit'; result: OverfitSummary }
  | { kind: 'batch'; epoch: number; batch: number; batches: number; loss: number }
  | { kind: 'epoch'; metrics: EpochMetrics }
  | { kind: 'trained'; diagnosis: Diagnosis; title: string; seconds: number }
  | {
      kind: 'classified';
      /** Every class, most probable first. */
      ranked: ClassProbability[];
      /** The 32x32 image the model saw, RGBA, for display. */
      preview: Uint8ClampedArray;
      spec: string;
    }
  | { kind: 'error'; message: string };
