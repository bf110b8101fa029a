/**
 * @labkit/nn-core's entries, loaded when a command needs them. TensorFlow.js (and Vega, for
 * reports) are optional dependencies: an install with `--omit=optional` is the CLI for EPMA work
 * alone (see the README). A training command there says what is missing instead of a stack trace.
 */

import { fullInstallCommand } from './install-prefix.js';

/** A command needs TensorFlow.js (or Vega) and this install left it out. */
export class TrainingNotInstalledError extends Error {
  override name = 'TrainingNotInstalledError';
  constructor(readonly missingPackage: string) {
    super(
      `this command needs ${missingPackage}, which this install of labkit left out ` +
        '(installed with --omit=optional, for EPMA work alone). For training, evaluation and ' +
        `reports, install it again in the same place without --omit=optional: ${fullInstallCommand()}`,
    );
  }
}

/** The package a failed import could not find, when it is one of nn-core's optional dependencies. */
function missingOptionalPackage(error: unknown): string | undefined {
  const { code, message } = error as { code?: string; message?: string };
  if (code !== 'ERR_MODULE_NOT_FOUND' || typeof message !== 'string') return undefined;
  return message.match(/Cannot find package '(@tensorflow\/[^']+|vega-[^']+)'/)?.[1];
}

async function load<T>(importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    const missing = missingOptionalPackage(error);
    throw missing ? new TrainingNotInstalledError(missing) : error;
  }
}

/** The training API (TensorFlow.js). */
export const loadNnCore = () => load(() => import('@labkit/nn-core'));
/** Run reports (TensorFlow.js for the misclassified images, vega for the charts). */
export const loadNnCoreReport = () => load(() => import('@labkit/nn-core/report'));
/** Throughput benchmarks (TensorFlow.js). */
export const loadNnCoreBench = () => load(() => import('@labkit/nn-core/bench'));
