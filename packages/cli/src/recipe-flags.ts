import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandIO, OptionSpec, ParsedOptions } from './define.js';
import { UsageError } from './errors.js';
import {
  backendOption,
  choiceOption,
  intListOption,
  stringOption,
  threadsOption,
} from './options.js';

type NnCore = typeof import('@labkit/nn-core');
type ModelSpec = import('@labkit/nn-core').ModelSpec;

/** Flags the recipe commands (lr-find, search, train --overfit) share. */
export const DATA_FLAG: OptionSpec = {
  flags: '--data <dir>',
  description: 'CIFAR-10 binary directory (else LABKIT_CIFAR10_DIR, then the cache)',
};
export const PARTIAL_DATA_FLAG: OptionSpec = {
  flags: '--partial-data',
  description:
    'Accept CIFAR-10 files with another number of records than the official 10,000 (subsets, test data)',
};
export const CHECKPOINT_FLAG: OptionSpec = {
  flags: '--checkpoint <which>',
  description:
    "last: use the weights of the run's last checkpoint instead of its saved model (works on a stopped or killed run; says which epoch they are from)",
};

/** Reads `--checkpoint`: `last`, or undefined for the run's saved model. */
export function checkpointOption(options: ParsedOptions): 'last' | undefined {
  return choiceOption(options, 'checkpoint', ['last'] as const);
}
export const CONFIG_FLAG: OptionSpec = {
  flags: '--config <spec.json>',
  description: 'Model spec JSON (default: the train default)',
};
export const HIDDEN_FLAG: OptionSpec = {
  flags: '--hidden <sizes>',
  description: 'Hidden layer widths, overriding the spec',
};
export { BACKEND_FLAG } from './options.js';

/** The text of the `--config` file; a file that cannot be read is a usage error in words. */
export async function readConfigText(configPath: string, io: { cwd: string }): Promise<string> {
  return readFile(resolve(io.cwd, configPath), 'utf8').catch((error: NodeJS.ErrnoException) => {
    const why =
      error.code === 'ENOENT'
        ? 'no such file'
        : error.code === 'EISDIR'
          ? 'it is a directory, not a file'
          : error.code === 'EACCES'
            ? 'permission denied'
            : error.message;
    throw new UsageError(`cannot read --config ${configPath}: ${why}`);
  });
}

/** The model spec from `--config` (or the default spec) with `--hidden` applied. */
export async function specFromFlags(
  nn: NnCore,
  options: ParsedOptions,
  io: CommandIO,
): Promise<ModelSpec> {
  let spec = nn.DEFAULT_SPEC;
  const configPath = stringOption(options, 'config');
  if (configPath) {
    spec = nn.parseSpecJson(await readConfigText(configPath, io), configPath);
  }
  const hidden = intListOption(options, 'hidden');
  return hidden
    ? { ...spec, hidden, ...(spec.bottleneck ? { bottleneck: hidden.map(() => 0) } : {}) }
    : spec;
}

/** Initialises the TF.js backend from `--backend` and says which one runs. */
export async function backendFromFlags(
  nn: NnCore,
  options: ParsedOptions,
  say: (line: string) => void,
) {
  const request = backendOption(options) ?? 'auto';
  const backend = await nn.initBackend(request, threadsOption(options));
  say(`backend: ${nn.describeBackend(backend)}`);
  return backend;
}

/**
 * The first `limit` CIFAR-10 training images from `--data` / LABKIT_CIFAR10_DIR / the cache; the
 * files must have the official size unless `--partial-data`.
 */
export async function trainImagesFromFlags(
  nn: NnCore,
  options: ParsedOptions,
  io: CommandIO,
  limit: number,
) {
  const dir = nn.locateCifar10({ data: stringOption(options, 'data'), env: io.env });
  const fullFiles = !options.partialData;
  return { dir, images: await nn.loadCifar10(dir, 'train', { limit, fullFiles }) };
}

export function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}
