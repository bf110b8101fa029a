/**
 * Writes the pages that are generated from code, before `vitepress build`: whatever can drift
 * (the CLI's flags, the atomic-weight table, the worked examples) is never written by hand.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands } from '@labkit/cli';
import { ATOMIC_WEIGHTS_SOURCE, ELEMENTS } from '@labkit/epma-convert';
import { renderAtomicWeights } from './atomic-weights.js';
import { renderCliReference } from './cli-reference.js';
import { writeFileAtomic } from './write-atomic.js';

const docsRoot = resolve(fileURLToPath(import.meta.url), '../..');

const pages: Record<string, () => string | Promise<string>> = {
  'reference/cli.md': () => renderCliReference(commands),
  'epma/atomic-weights.md': () => renderAtomicWeights(ELEMENTS, ATOMIC_WEIGHTS_SOURCE),
};

for (const [path, render] of Object.entries(pages)) {
  writeFileAtomic(resolve(docsRoot, path), await render());
  console.log(`docs: generated ${path}`);
}
