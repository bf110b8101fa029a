/**
 * Where a result that is not a training run may go (a comparison of several runs, an lr-find
 * sweep): a new or empty directory, or one holding only an earlier result of the same kind, which
 * is then replaced. Never a training run, never a directory holding other files.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { LOCK_FILE, RunRequestError, TEMP_FILE } from './run-dir.js';
import { COMPARISON_FILES, LR_FIND_FILES, RUN_JSON } from './run-files.js';

export type ResultKind = 'comparison' | 'lr-find';

const RESULT_FILES: Record<ResultKind, readonly string[]> = {
  comparison: COMPARISON_FILES,
  'lr-find': Object.values(LR_FIND_FILES),
};

const WHAT: Record<ResultKind, string> = {
  comparison: 'a comparison of runs',
  'lr-find': 'an lr-find result',
};

function listing(names: readonly string[]): string {
  return `${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}`;
}

/**
 * Checks, without changing anything, that a result of `kind` may be written into `dir` (the value
 * of `--out`). Returns true when `dir` holds an earlier result of the same kind that will be
 * replaced; throws {@link RunRequestError} when writing there would mix or overwrite other work.
 */
export function checkResultDir(dir: string, kind: ResultKind): boolean {
  if (!existsSync(dir)) return false;
  if (!statSync(dir).isDirectory()) {
    throw new RunRequestError(`--out ${dir} is a file, not a directory; choose another --out`);
  }
  const entries = readdirSync(dir).filter((name) => !TEMP_FILE.test(name));
  if (entries.includes(RUN_JSON) || entries.includes(LOCK_FILE)) {
    throw new RunRequestError(
      `--out ${dir} is a training run; ${WHAT[kind]} goes into a directory of its own: choose another --out`,
    );
  }
  const own = RESULT_FILES[kind];
  const foreign = entries.filter((name) => !own.includes(name));
  if (foreign.length > 0) {
    throw new RunRequestError(
      `--out ${dir} is not empty (it holds ${listing(foreign)}) and labkit never writes over or beside files that are not ${WHAT[kind]}: choose a new or empty --out`,
    );
  }
  return entries.length > 0;
}
