/**
 * A search directory belongs to one search and is written by one process at a time, as a training
 * run's is (train/run-dir.ts): a new search gets a new or empty directory; a resume finds the search
 * it continues in `search.json`, refuses a finished one and removes temp files of interrupted writes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageSet } from '../data/cifar10-format.js';
import { JsonFileError, parseJsonText } from '../model/json-file.js';
import { describeFsError } from '../train/fs-errors.js';
import {
  createUniqueDir,
  LOCK_FILE,
  lockRunDir,
  RunRequestError,
  removeStaleTempFiles,
  shellQuote,
} from '../train/run-dir.js';
import { SEARCH_FILES } from '../train/run-files.js';
import type { RankBy } from './search-trial.js';

export { SEARCH_FILES };

/** The settings a search was started with (`search.json`); a resume must match them. */
export interface SearchSettings {
  trials: number;
  subset: number;
  eta: number;
  epochs: number;
  valImages: number;
  rankBy: RankBy;
  seed: number;
  /** Epochs the winning recipe trains for on the full data. */
  trainEpochs: number;
  /** Training images the search drew from (the CIFAR-10 training files). */
  images: number;
}

/** Each setting's type, to check a `search.json` read back. */
const SETTING_TYPES: Record<keyof SearchSettings, 'number' | 'string'> = {
  trials: 'number',
  subset: 'number',
  eta: 'number',
  epochs: 'number',
  valImages: 'number',
  rankBy: 'string',
  seed: 'number',
  trainEpochs: 'number',
  images: 'number',
};
const SETTING_KEYS = Object.keys(SETTING_TYPES) as (keyof SearchSettings)[];

/** Where a search's training images came from, so that a resume finds (and checks) the same ones. */
export interface SearchDataSource {
  dir: string;
  /** The files were accepted with fewer than 10,000 records (`--partial-data`). */
  partialData: boolean;
}

export interface SearchDataRecord extends SearchDataSource {
  /** sha256 of the images and labels the search drew from. */
  fingerprint: string;
}

/** What `search.json` holds; `data` is missing in searches started before it was recorded. */
export interface StoredSearch {
  settings: SearchSettings;
  data?: SearchDataRecord;
}

/** `--resume` cannot continue the directory it was given (exit code 2 in the CLI). */
export class SearchResumeError extends RunRequestError {
  override name = 'SearchResumeError';
}

/** The command that continues the search in `dir`. */
export function searchResumeCommand(dir: string): string {
  return `labkit search --resume ${shellQuote(dir)}`;
}

/** The `labkit train` command line that trains the winning recipe on the full data. */
export function trainCommand(recipePath: string): string {
  return `labkit train --config ${shellQuote(recipePath)}`;
}

/** Identifies a set of training images: equal sets, equal fingerprints. */
export function imagesFingerprint(images: ImageSet): string {
  return createHash('sha256').update(images.images).update(images.labels).digest('hex');
}

export function searchRecordJson(settings: SearchSettings, data: SearchDataRecord): string {
  return `${JSON.stringify({ ...settings, data }, null, 2)}\n`;
}

/** Reads `search.json`; a damaged file is a {@link SearchResumeError} naming file, line and column. */
export async function readStoredSearch(dir: string): Promise<StoredSearch> {
  const path = join(dir, SEARCH_FILES.settings);
  let record: Record<string, unknown>;
  try {
    record = parseJsonText(await readFile(path, 'utf8'), path) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof JsonFileError) throw new SearchResumeError(error.message);
    throw describeFsError(error, path, 'read');
  }
  const missing = SETTING_KEYS.filter((key) => typeof record?.[key] !== SETTING_TYPES[key]);
  if (missing.length > 0) {
    throw new SearchResumeError(
      `${path} is not a labkit search record (${missing.join(', ')} missing or of the wrong type)`,
    );
  }
  const settings = Object.fromEntries(
    SETTING_KEYS.map((k) => [k, record[k]]),
  ) as unknown as SearchSettings;
  const data = record.data as SearchDataRecord | undefined;
  return typeof data?.fingerprint === 'string' ? { settings, data } : { settings };
}

/**
 * A held search directory: the lock is released by `release` (or `releaseSync` when exiting), which
 * also removes the directory if the search never wrote into it.
 */
export interface SearchDirLease {
  dir: string;
  release(): Promise<void>;
  releaseSync(): void;
  /** Temp files of interrupted writes that were found and deleted. */
  removedTempFiles: string[];
}

/** Removes `dir` if it holds nothing (a search stopped before it wrote anything). */
function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty (or already gone): it stays.
  }
}

async function lease(dir: string): Promise<SearchDirLease> {
  await lockRunDir(dir);
  const releaseSync = () => {
    rmSync(join(dir, LOCK_FILE), { force: true });
    removeIfEmpty(dir);
  };
  return {
    dir,
    release: async () => releaseSync(),
    releaseSync,
    removedTempFiles: await removeStaleTempFiles(dir),
  };
}

/** What a search killed while starting leaves: a lock and temp files, nothing to keep. */
const isLeftover = (name: string) => name === LOCK_FILE || /^\..+\.tmp$/.test(name);

function refuseUsedDir(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory())
    throw new RunRequestError(`--out ${dir} is a file, not a directory; choose another --out`);
  const entries = readdirSync(dir).filter((name) => !isLeftover(name));
  if (entries.length === 0) return;
  if (entries.includes(SEARCH_FILES.settings)) {
    throw new RunRequestError(
      `--out ${dir} already holds a search; continue it with '${searchResumeCommand(dir)}' or choose another --out`,
    );
  }
  throw new RunRequestError(
    `--out ${dir} is not empty (it holds ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}); ` +
      'a search needs a new or empty directory: choose another --out',
  );
}

/**
 * Creates and locks the directory of a new search. `unique` (the default name) takes `dir-2`,
 * `dir-3`, ... when `dir` exists; otherwise a directory holding anything is refused, so an earlier
 * search (or any other file) is never overwritten.
 */
export async function claimNewSearchDir(dir: string, unique = false): Promise<SearchDirLease> {
  if (unique) return lease(await createUniqueDir(dir));
  refuseUsedDir(dir);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw describeFsError(error, dir, 'create the search directory');
  }
  const held = await lease(dir);
  try {
    // Checked again under the lock: another search may have filled it in between.
    refuseUsedDir(dir);
  } catch (error) {
    await held.release();
    throw error;
  }
  return held;
}

/**
 * Opens the search in `dir` to continue it: the directory must hold an unfinished search. Locks
 * it and deletes temp files of interrupted writes.
 */
export async function openSearchForResume(
  dir: string,
): Promise<{ stored: StoredSearch; lease: SearchDirLease }> {
  if (!existsSync(dir)) throw new SearchResumeError(`--resume ${dir}: no such directory`);
  if (!statSync(dir).isDirectory())
    throw new SearchResumeError(`--resume ${dir} is a file, not a search directory`);
  if (!existsSync(join(dir, SEARCH_FILES.settings))) {
    throw new SearchResumeError(
      existsSync(join(dir, 'run.json'))
        ? `${dir} is a training run, not a search: continue it with 'labkit train --resume ${shellQuote(dir)}'`
        : `${dir} holds no search to resume (no ${SEARCH_FILES.settings})`,
    );
  }
  const stored = await readStoredSearch(dir);
  if (existsSync(join(dir, SEARCH_FILES.best))) {
    throw new SearchResumeError(
      `${dir} is a finished search (${stored.settings.trials} trials): nothing to resume. ` +
        `Its results are in ${join(dir, SEARCH_FILES.csv)}; train the winner with '${trainCommand(join(dir, SEARCH_FILES.recipe))}'`,
    );
  }
  return { stored, lease: await lease(dir) };
}

/** Trials whose line in `trials.jsonl` is complete (for the message of an interrupted search). */
export function finishedTrialCount(dir: string): number {
  const path = join(dir, SEARCH_FILES.trials);
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8')
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.trim() !== '').length;
}
