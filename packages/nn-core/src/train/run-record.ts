/** Reading a run directory's `run.json`, without TF.js (for `labkit diagnose` and reports). */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateSpec } from '../model/spec.js';
import type { RunRecord } from './run.js';

export const RUN_JSON = 'run.json';

/** Reads and checks a run directory's `run.json`. */
export async function readRunRecord(runDir: string): Promise<RunRecord> {
  const path = join(runDir, RUN_JSON);
  if (!existsSync(path))
    throw new Error(`${runDir} is not a labkit run directory (no ${RUN_JSON})`);
  const record = JSON.parse(await readFile(path, 'utf8')) as RunRecord;
  if (record.labkit !== 'train-run') throw new Error(`${path} is not a labkit training record`);
  record.config.spec = validateSpec(record.config.spec, path);
  return record;
}
