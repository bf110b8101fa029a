import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkResultDir } from './result-dir.js';
import { RunRequestError } from './run-dir.js';
import { COMPARISON_FILES, LR_FIND_FILES, REPORT_HTML, RUN_JSON } from './run-files.js';

function dirWith(...names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'labkit-result-dir-'));
  for (const name of names) writeFileSync(join(dir, name), 'x');
  return dir;
}

describe('checkResultDir', () => {
  it('accepts a new or empty directory, with nothing to replace', () => {
    const empty = dirWith();
    expect(checkResultDir(join(empty, 'new'), 'comparison')).toBe(false);
    expect(checkResultDir(empty, 'lr-find')).toBe(false);
    expect(checkResultDir(dirWith('.lr-find.svg.123.0badcafe.tmp'), 'lr-find')).toBe(false);
  });

  it('replaces an earlier result of the same kind only', () => {
    expect(checkResultDir(dirWith(...COMPARISON_FILES), 'comparison')).toBe(true);
    expect(checkResultDir(dirWith(...Object.values(LR_FIND_FILES)), 'lr-find')).toBe(true);
    expect(() => checkResultDir(dirWith(...COMPARISON_FILES), 'lr-find')).toThrow(
      /not empty \(it holds compare-/,
    );
    expect(() => checkResultDir(dirWith(LR_FIND_FILES.json), 'comparison')).toThrow(
      RunRequestError,
    );
  });

  it('never writes into a training run, even one holding only what a report would write', () => {
    const run = dirWith(RUN_JSON, REPORT_HTML);
    expect(() => checkResultDir(run, 'comparison')).toThrow(/is a training run/);
    expect(() => checkResultDir(run, 'lr-find')).toThrow(/is a training run/);
  });

  it("refuses a directory holding a user's files, naming them", () => {
    expect(() => checkResultDir(dirWith('notes.txt', REPORT_HTML), 'comparison')).toThrow(
      /holds notes\.txt\)/,
    );
    const file = join(dirWith(), 'plain');
    writeFileSync(file, 'x');
    expect(() => checkResultDir(file, 'lr-find')).toThrow(/is a file, not a directory/);
    const nested = dirWith();
    mkdirSync(join(nested, 'sub'));
    expect(() => checkResultDir(nested, 'lr-find')).toThrow(/holds sub\)/);
  });
});
