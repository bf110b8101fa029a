/**
 * The CIFAR-10 images the in-browser training page ships: the first records of the training and
 * test batch files, copied whole (label byte + 3072 pixel bytes, the official record layout) so
 * that the page reads them with the same parser as a user's own batch file. Generated at build
 * time from a local copy of the data set, never committed (the data set's licence is its own).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RECORD_SIZE } from '@labkit/nn-core/browser';

/** Images the page trains on, and the images it validates on (from the test batch). */
export const SAMPLE_TRAIN = 2000;
export const SAMPLE_TEST = 1000;
export const SAMPLE_FILE = 'cifar10-sample.bin';
export const SAMPLE_MANIFEST = 'cifar10-sample.json';

export type SampleManifest =
  | { available: true; file: string; train: number; test: number; bytes: number; source: string }
  | { available: false; reason: string };

/** `LABKIT_CIFAR10_DIR`, else the CI machine's `../shared/data/cifar10` beside the repository. */
export function sampleDataDir(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.LABKIT_CIFAR10_DIR || resolve(repoRoot, '../shared/data/cifar10');
}

/** The first `train` records of the training batch and `test` of the test batch, back to back. */
export function sampleRecords(
  trainBatch: Uint8Array,
  testBatch: Uint8Array,
  train: number,
  test: number,
): Uint8Array {
  for (const [bytes, count, name] of [
    [trainBatch, train, 'data_batch_1.bin'],
    [testBatch, test, 'test_batch.bin'],
  ] as const) {
    if (bytes.length < count * RECORD_SIZE)
      throw new Error(
        `${name} holds ${Math.floor(bytes.length / RECORD_SIZE)} records, fewer than the ${count} the sample needs`,
      );
  }
  const out = new Uint8Array((train + test) * RECORD_SIZE);
  out.set(trainBatch.subarray(0, train * RECORD_SIZE), 0);
  out.set(testBatch.subarray(0, test * RECORD_SIZE), train * RECORD_SIZE);
  return out;
}

/** The sample's bytes and manifest from `dataDir`, or a manifest saying why there is none. */
export function buildSample(dataDir: string): { bytes?: Uint8Array; manifest: SampleManifest } {
  const trainPath = join(dataDir, 'data_batch_1.bin');
  const testPath = join(dataDir, 'test_batch.bin');
  const missing = [trainPath, testPath].filter((p) => !existsSync(p) || !statSync(p).isFile());
  if (missing.length > 0) {
    return {
      manifest: {
        available: false,
        reason: `the site was built without CIFAR-10 (${missing.join(' and ')} not found; set LABKIT_CIFAR10_DIR when building)`,
      },
    };
  }
  const bytes = sampleRecords(
    readFileSync(trainPath),
    readFileSync(testPath),
    SAMPLE_TRAIN,
    SAMPLE_TEST,
  );
  return {
    bytes,
    manifest: {
      available: true,
      file: SAMPLE_FILE,
      train: SAMPLE_TRAIN,
      test: SAMPLE_TEST,
      bytes: bytes.length,
      source: `the first ${SAMPLE_TRAIN.toLocaleString('en-US')} records of data_batch_1.bin and the first ${SAMPLE_TEST.toLocaleString('en-US')} of test_batch.bin`,
    },
  };
}
