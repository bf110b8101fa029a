import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { figureTargets, RECORD_PATH } from './targets.js';
import { formatRecord, readRecord } from './update.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const record = readRecord(join(repoRoot, RECORD_PATH));

/**
 * Measured figures look like these: speeds, accuracies of runs, speed-ups. A number with one of
 * these units outside a <!--fig--> marker was typed by hand and can drift from the record.
 */
const MEASURED_FIGURE =
  /\d[\d,.]*(?:\s*[-–]\s*[\d,.]+)?\s*(?:samples\/s|images\/s|images per (?:CPU|wall) second|GFLOP\/s|MiB|% test acc|x faster|x what|times what)/;
const MARKER = /<!--fig .+?-->.*?<!--\/fig-->/g;

function handTypedFigures(text: string): string[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.replace(MARKER, 'FIG'), number: i + 1 }))
    .filter(({ line }) => MEASURED_FIGURE.test(line))
    .map(({ line, number }) => `${number}: ${line.trim()}`);
}

/** Committed files where prose or help text could carry a measured figure. */
function committedSources(): string[] {
  const listed = execFileSync(
    'git',
    [
      'ls-files',
      '*.md',
      'packages/*/src/*.ts',
      'packages/*/src/**/*.ts',
      'bench/*.mjs',
      'bench/**/*.mjs',
    ],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  return listed
    .split('\n')
    .filter((path) => path !== '' && !path.endsWith('.test.ts') && !path.startsWith('results/'));
}

describe('the record of measurements', () => {
  it('is committed in its canonical form (sorted, two-space JSON)', () => {
    expect(readFileSync(join(repoRoot, RECORD_PATH), 'utf8')).toBe(formatRecord(record));
  });

  it('renders into the README, the docs and the CLI module as committed (run pnpm figures)', () => {
    const stale = figureTargets(repoRoot, record)
      .filter((t) => readFileSync(join(repoRoot, t.path), 'utf8') !== t.expected)
      .map((t) => t.path);
    expect(stale).toEqual([]);
  });

  it('is where every measured figure of the README, docs, help texts and comments comes from', () => {
    const found = committedSources().flatMap((path) =>
      handTypedFigures(readFileSync(join(repoRoot, path), 'utf8')).map((hit) => `${path}:${hit}`),
    );
    expect(found).toEqual([]);
  });

  it('catches a hand-typed figure (the check can fail)', () => {
    expect(handTypedFigures('labkit reaches 1,563 samples/s.\n')).toHaveLength(1);
    expect(handTypedFigures('reaches 60.5% test accuracy\n')).toHaveLength(1);
    expect(
      handTypedFigures(
        'reaches <!--fig a.b-->60.5%<!--/fig--> test accuracy, <!--fig a.c-->1 samples/s<!--/fig-->\n',
      ),
    ).toEqual([]);
  });
});
