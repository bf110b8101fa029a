import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEARCH_FILES } from '../recipe/search-dir.js';
import { RunRequestError } from './run-dir.js';
import { readRunRecord } from './run-record.js';

describe('readRunRecord on a directory that is not a training run', () => {
  it('recognises a search directory and gives the command that continues it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labkit search '));
    writeFileSync(join(dir, SEARCH_FILES.settings), '{}');
    const unfinished = readRunRecord(dir);
    await expect(unfinished).rejects.toThrow(RunRequestError);
    await expect(readRunRecord(dir)).rejects.toThrow(
      `${dir} is a search directory (labkit search), not a training run; continue the search with 'labkit search --resume '${dir}''`,
    );
    writeFileSync(join(dir, SEARCH_FILES.best), '{}');
    await expect(readRunRecord(dir)).rejects.toThrow(/the search is finished: see .*search\.csv/);
  });

  it('says a plain directory is no run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labkit-plain-'));
    await expect(readRunRecord(dir)).rejects.toThrow(
      /is not a labkit run directory \(no run\.json\)/,
    );
  });
});
