import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { RECORD_SIZE, TEST_FILES, TRAIN_FILES } from '../cifar10.js';
import { cacheDir, missingCifarFiles } from '../locate.js';
import { CIFAR10_MD5, CIFAR10_URL } from './cifar10-archive.js';
import {
  type DownloadProgress,
  discardPartial,
  downloadWithResume,
  HttpStatusError,
} from './download.js';
import { extractArchive } from './extract.js';
import { md5File } from './md5.js';

export { CIFAR10_MD5, CIFAR10_URL };

export interface FetchOptions {
  /** Target directory; default `LABKIT_CIFAR10_DIR`, else `cacheDir(env)`. */
  dir?: string;
  url?: string;
  /** Expected MD5 of the archive (hex); default the published one. */
  md5?: string;
  /** Replace a complete data set that is already there. */
  force?: boolean;
  /** Extra attempts after a lost connection, each resuming where the last stopped. Default 3. */
  retries?: number;
  env?: NodeJS.ProcessEnv;
  onProgress?: (progress: DownloadProgress) => void;
  /** One-line status messages (resuming, verifying, extracting...). */
  onStatus?: (message: string) => void;
}

export interface FetchResult {
  dir: string;
  /** False when a complete data set was already there and nothing was downloaded. */
  downloaded: boolean;
}

/** Names a CIFAR-10 folder may hold (the official archive also ships `readme.html`). */
const CIFAR_DIR_NAMES = new Set([...TRAIN_FILES, ...TEST_FILES, 'batches.meta.txt', 'readme.html']);

/** Where `labkit data fetch cifar10` puts the data: `--dir`, then `LABKIT_CIFAR10_DIR`, then the cache. */
export function fetchTarget(dir: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(dir || env.LABKIT_CIFAR10_DIR || cacheDir(env));
}

/** Checks that `dir` holds the six batch files, each a whole, non-zero number of records. */
function verifyExtracted(dir: string, archive: string): void {
  const missing = missingCifarFiles(dir);
  if (missing.length > 0) throw new Error(`${archive}: the archive lacks ${missing.join(', ')}`);
  for (const name of [...TRAIN_FILES, ...TEST_FILES]) {
    const size = statSync(join(dir, name)).size;
    if (size === 0 || size % RECORD_SIZE !== 0) {
      throw new Error(
        `${archive}: ${name} has ${size} bytes, not a whole number of ${RECORD_SIZE}-byte records`,
      );
    }
  }
}

/** Removes temporary folders that interrupted runs left next to `target`. */
function removeStaleTemporaries(target: string): void {
  const parent = dirname(target);
  const prefix = `${basename(target)}.tmp-`;
  for (const name of readdirSync(parent)) {
    if (name.startsWith(prefix)) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

async function downloadVerified(options: FetchOptions, url: string, part: string): Promise<void> {
  const retries = options.retries ?? 3;
  const status = options.onStatus ?? (() => {});
  if (existsSync(part)) status(`found a partial download (${statSync(part).size} bytes); resuming`);
  for (let attempt = 0; ; attempt++) {
    try {
      await downloadWithResume(url, part, {
        onProgress: options.onProgress,
        onRestart: (reason) => status(`starting the download over: ${reason}`),
      });
      break;
    } catch (error) {
      if (error instanceof HttpStatusError || attempt >= retries) {
        const kept = existsSync(part)
          ? `; the ${statSync(part).size} bytes received are kept for the next run`
          : '';
        throw new Error(`${(error as Error).message}${kept}`);
      }
      status(
        `download interrupted (${(error as Error).message}); resuming, attempt ${attempt + 2} of ${retries + 1}`,
      );
    }
  }
  const expected = (options.md5 ?? CIFAR10_MD5).toLowerCase();
  status('verifying MD5');
  const actual = await md5File(part);
  if (actual !== expected) {
    discardPartial(part);
    throw new Error(
      `MD5 mismatch for ${url}: expected ${expected}, got ${actual}; the download was deleted`,
    );
  }
}

/**
 * Downloads, verifies and extracts CIFAR-10 into the target directory. The archive goes to
 * `<target>.tar.gz.part` (kept across runs for resuming), is extracted into a temporary sibling
 * folder, checked, and only then renamed to `<target>`: a target that exists is always complete.
 */
export async function fetchCifar10(options: FetchOptions = {}): Promise<FetchResult> {
  const env = options.env ?? process.env;
  const target = fetchTarget(options.dir, env);
  const url = options.url ?? CIFAR10_URL;
  const status = options.onStatus ?? (() => {});
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new Error(`${target} exists and is not a directory`);
    const missing = missingCifarFiles(target);
    if (missing.length === 0 && !options.force) return { dir: target, downloaded: false };
    // Replacing deletes the old folder, so only ever replace one that holds nothing but CIFAR-10 files.
    const foreign = readdirSync(target).filter((name) => !CIFAR_DIR_NAMES.has(name));
    if (foreign.length > 0) {
      throw new Error(
        `${target} exists and holds other files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}); ` +
          'refusing to replace it: choose a new or empty directory with --dir',
      );
    }
    const batchFiles = TRAIN_FILES.length + TEST_FILES.length;
    if (missing.length > 0 && missing.length < batchFiles && !options.force) {
      throw new Error(
        `${target} exists but lacks ${missing.join(', ')}; pass --force to replace it`,
      );
    }
  }
  await mkdir(dirname(target), { recursive: true });
  removeStaleTemporaries(target);
  const part = `${target}.tar.gz.part`;
  status(`downloading ${url}\n  to ${target}`);
  await downloadVerified(options, url, part);

  status('extracting');
  const temporary = await mkdtemp(`${target}.tmp-`);
  try {
    const extracted = await extractArchive(part, temporary);
    verifyExtracted(extracted, url);
    const old = `${temporary}-old`;
    const replacing = existsSync(target);
    if (replacing) renameSync(target, old);
    try {
      renameSync(extracted, target);
    } catch (error) {
      if (replacing) renameSync(old, target);
      throw error;
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
  discardPartial(part);
  return { dir: target, downloaded: true };
}
