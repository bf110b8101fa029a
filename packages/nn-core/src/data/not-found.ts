import { ConfigurationError } from '../configuration-error.js';

/**
 * The CIFAR-10 files are not where labkit was told (or expected) to find them: a configuration
 * error the user fixes with `--data`, `LABKIT_CIFAR10_DIR` or `labkit data fetch cifar10`, so the
 * CLI exits with 2 as for other usage and configuration errors. Its own module, free of Node and
 * TF.js imports, so the light `./config` entry can export it.
 */
export class Cifar10NotFoundError extends ConfigurationError {
  override name = 'Cifar10NotFoundError';
  constructor(
    message: string,
    /** The directory that was searched. */
    readonly dir: string,
  ) {
    super(message);
  }
}
