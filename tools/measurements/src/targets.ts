import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fillFigureMarkers } from './markers.js';
import { figuresUsedBy, renderFigureModule } from './module.js';
import type { MeasurementRecord } from './record.js';

export const RECORD_PATH = 'results/measurements.json';
/** Markdown files whose figures come from the record (READMEs, docs pages). */
const MARKDOWN_ROOTS = [
  'README.md',
  'apps/docs',
  'packages/cli/README.md',
  'packages/epma-convert/README.md',
  'packages/nn-core/README.md',
];
const CLI_SOURCES = 'packages/cli/src';
export const CLI_MODULE = 'packages/cli/src/measured.generated.ts';

const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.vitepress', 'api']);

function filesUnder(root: string, path: string, keep: (name: string) => boolean): string[] {
  if (!statSync(join(root, path)).isDirectory()) return keep(path) ? [path] : [];
  return readdirSync(join(root, path), { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED_DIRS.has(entry.name)) return [];
    return filesUnder(root, join(path, entry.name), keep);
  });
}

/** A file that the record renders into, with its text as it should be. */
export interface Target {
  path: string;
  expected: string;
}

/** Every file whose figures come from the record, relative to the repository root. */
export function figureTargets(repoRoot: string, record: MeasurementRecord): Target[] {
  const markdown = MARKDOWN_ROOTS.flatMap((root) =>
    filesUnder(repoRoot, root, (name) => name.endsWith('.md')),
  )
    // Generated fragments (_*.md) and generated pages are rewritten by their own generators.
    .filter((path) => !/(^|\/)_[^/]*\.md$/.test(path));
  const targets: Target[] = markdown.map((path) => ({
    path,
    expected: fillFigureMarkers(readFileSync(join(repoRoot, path), 'utf8'), record, path),
  }));
  const sources = filesUnder(repoRoot, CLI_SOURCES, (name) => name.endsWith('.ts'))
    .filter((path) => !path.endsWith('.test.ts') && path !== CLI_MODULE)
    .map((path) => readFileSync(join(repoRoot, path), 'utf8'));
  targets.push({ path: CLI_MODULE, expected: renderFigureModule(record, figuresUsedBy(sources)) });
  return targets;
}
