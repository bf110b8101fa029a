/** The files `labkit lr-find` writes (`lr-find.csv`, `lr-find.json`), read back for the report. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LR_FIND_FILES, LR_FIND_CSV_HEADER as LR_FIND_HEADER } from '../recipe/lr-find.js';
import type { LrSuggestion } from '../recipe/lr-range.js';

const LR_FIND_CSV = LR_FIND_FILES.csv;
const LR_FIND_JSON = LR_FIND_FILES.json;

export interface LrFindView {
  dir: string;
  lrs: number[];
  losses: number[];
  smoothed: number[];
  suggestion: LrSuggestion;
  diverged: boolean;
}

/** An lr-find output that cannot be read. */
export class LrFindFilesError extends Error {
  override name = 'LrFindFilesError';
}

/** True when `dir` holds an lr-find result. */
export const hasLrFind = (dir: string) =>
  existsSync(join(dir, LR_FIND_JSON)) && existsSync(join(dir, LR_FIND_CSV));

export async function readLrFind(dir: string): Promise<LrFindView> {
  const jsonPath = join(dir, LR_FIND_JSON);
  const csvPath = join(dir, LR_FIND_CSV);
  if (!hasLrFind(dir))
    throw new LrFindFilesError(
      `${dir} holds no lr-find result (${LR_FIND_JSON} and ${LR_FIND_CSV})`,
    );
  let meta: { suggestion: LrSuggestion; diverged: boolean };
  try {
    meta = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (error) {
    throw new LrFindFilesError(`${jsonPath}: not valid JSON (${(error as Error).message})`);
  }
  if (
    !(
      meta.suggestion &&
      Number.isFinite(meta.suggestion.steepest) &&
      Number.isFinite(meta.suggestion.minimumLr)
    )
  )
    throw new LrFindFilesError(
      `${jsonPath}: expected suggestion.steepest and suggestion.minimumLr`,
    );
  const lines = (await readFile(csvPath, 'utf8')).split('\n');
  if (lines[0]?.trim() !== LR_FIND_HEADER)
    throw new LrFindFilesError(`${csvPath}:1: expected the header '${LR_FIND_HEADER}'`);
  const view: LrFindView = {
    dir,
    lrs: [],
    losses: [],
    smoothed: [],
    suggestion: meta.suggestion,
    diverged: meta.diverged,
  };
  lines.slice(1).forEach((line, i) => {
    if (line.trim() === '') return;
    const cells = line.split(',').map(Number);
    // The loss may be Infinity where the test blew up; the step and rate are always numbers.
    if (cells.length !== 4 || cells.some((c) => Number.isNaN(c)))
      throw new LrFindFilesError(
        `${csvPath}:${i + 2}: expected four numbers (${LR_FIND_HEADER}), found '${line}'`,
      );
    view.lrs.push(cells[1] as number);
    view.losses.push(cells[2] as number);
    view.smoothed.push(cells[3] as number);
  });
  return view;
}
