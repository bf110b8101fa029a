/** Reading a run directory's `run.json`, without TF.js (for `labkit diagnose` and reports). */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseJsonText } from '../model/json-file.js';
import { validateSpec } from '../model/spec.js';
import { describeFsError } from './fs-errors.js';
import { RunRequestError, shellQuote } from './run-dir.js';
import { RUN_JSON, SEARCH_FILES } from './run-files.js';
import type { RunRecord } from './run-types.js';

export { RUN_JSON };

/** Reads and checks a run directory's `run.json`; errors say what is wrong with which file. */
export async function readRunRecord(runDir: string): Promise<RunRecord> {
  const path = join(runDir, RUN_JSON);
  if (!existsSync(runDir)) throw new RunRequestError(`${runDir} does not exist`);
  if (!existsSync(path) && existsSync(join(runDir, SEARCH_FILES.settings))) {
    const finished = existsSync(join(runDir, SEARCH_FILES.best));
    throw new RunRequestError(
      `${runDir} is a search directory (labkit search), not a training run` +
        (finished
          ? `; the search is finished: see ${join(runDir, SEARCH_FILES.csv)} and ${join(runDir, SEARCH_FILES.recipe)}`
          : `; continue the search with 'labkit search --resume ${shellQuote(runDir)}'`),
    );
  }
  if (!existsSync(path)) {
    throw new RunRequestError(
      `${runDir} is not a labkit run directory (no ${RUN_JSON}), or its run was stopped before it started`,
    );
  }
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw describeFsError(error, path, 'read');
  });
  const record = parseJsonText(text, path) as RunRecord;
  if (record?.labkit !== 'train-run' || typeof record.config !== 'object')
    throw new Error(`${path} is not a labkit training record`);
  record.config.spec = validateSpec(record.config.spec, path);
  return record;
}
