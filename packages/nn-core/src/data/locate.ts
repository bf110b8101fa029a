import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { TEST_FILES, TRAIN_FILES } from './cifar10.js';
import { Cifar10NotFoundError } from './not-found.js';

export const FETCH_HINT = "run 'labkit data fetch cifar10' to download it (or pass --data DIR)";

/**
 * Where `labkit data fetch cifar10` puts the data set by default: `$XDG_CACHE_HOME/labkit/cifar10`,
 * else `~/.cache/labkit/cifar10` (`%LOCALAPPDATA%\labkit\cifar10` on Windows).
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'labkit', 'cifar10');
  if (process.platform === 'win32' && env.LOCALAPPDATA)
    return join(env.LOCALAPPDATA, 'labkit', 'cifar10');
  const home = env.HOME || env.USERPROFILE || homedir();
  return join(home, '.cache', 'labkit', 'cifar10');
}

/** The batch files `dir` lacks (all six when it does not exist). */
export function missingCifarFiles(dir: string): string[] {
  return [...TRAIN_FILES, ...TEST_FILES].filter((name) => {
    const path = join(dir, name);
    return !existsSync(path) || !statSync(path).isFile();
  });
}

/**
 * Finds the CIFAR-10 directory: `data` (the --data flag), then `LABKIT_CIFAR10_DIR`, then
 * `cacheDir(env)`. An explicitly given location that lacks the files is an error, not a reason to
 * look further, so a typo never silently trains on other data.
 */
export function locateCifar10(options: { data?: string; env?: NodeJS.ProcessEnv }): string {
  const env = options.env ?? process.env;
  const [dir, origin] = options.data
    ? [resolve(options.data), 'given with --data']
    : env.LABKIT_CIFAR10_DIR
      ? [resolve(env.LABKIT_CIFAR10_DIR), 'from LABKIT_CIFAR10_DIR']
      : [cacheDir(env), 'the cache directory; no --data given and LABKIT_CIFAR10_DIR unset'];
  // Told where the data is, the user needs no advice to say where it is.
  const hint = options.data
    ? "check the path, or run 'labkit data fetch cifar10' to download the data set"
    : FETCH_HINT;
  if (!existsSync(dir)) {
    throw new Cifar10NotFoundError(
      `CIFAR-10 not found: ${dir} (${origin}) does not exist; ${hint}`,
      dir,
    );
  }
  if (!statSync(dir).isDirectory()) {
    throw new Cifar10NotFoundError(
      `CIFAR-10 not found: ${dir} (${origin}) is a file, not a directory; give the directory that holds data_batch_1.bin ... test_batch.bin`,
      dir,
    );
  }
  const missing = missingCifarFiles(dir);
  if (missing.length > 0) {
    throw new Cifar10NotFoundError(
      `CIFAR-10 not found: ${dir} (${origin}) lacks ${missing.join(', ')}; ${hint}`,
      dir,
    );
  }
  return dir;
}
