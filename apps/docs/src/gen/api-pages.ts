/**
 * Runs after TypeDoc: gives every module page of the API reference its example (from
 * src/api-examples, where a test runs each one and checks what it prints) and writes api/index.md,
 * the list of modules with the first sentence of each module's own introduction.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedNotice } from './markdown.js';
import { writeFileAtomic } from './write-atomic.js';

export interface ApiModule {
  /** The import path, e.g. `@labkit/nn-core/config`. */
  name: string;
  /** The module page, relative to the docs root. */
  page: string;
  /** The example's file name in src/api-examples. */
  example: string;
}

/** The module pages TypeDoc wrote for one package (one per curated export path). */
export function packageModules(apiDir: string, pkg: string): ApiModule[] {
  const root = join(apiDir, pkg, '@labkit', pkg);
  const subpaths = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'index.md')))
    .map((entry) => entry.name);
  return ['', ...subpaths].map((sub) => ({
    name: `@labkit/${pkg}${sub ? `/${sub}` : ''}`,
    page: `api/${pkg}/@labkit/${pkg}/${sub ? `${sub}/` : ''}index.md`,
    example: `${pkg}${sub ? `-${sub}` : ''}.ts`,
  }));
}

/** The example as the page shows it: the code, with what it prints in its `// prints:` comments. */
export function exampleSection(source: string): string {
  return ['## Example', '', '```ts', source.trim(), '```', ''].join('\n');
}

/** Puts the example after the module's introduction, before the first list of members. */
export function withExample(page: string, example: string): string {
  const firstSection = page.search(/^## /m);
  if (firstSection < 0) return `${page.trimEnd()}\n\n${example}`;
  return `${page.slice(0, firstSection)}${example}\n${page.slice(firstSection)}`;
}

/** The first sentence of the module's introduction (the text between its title and first section). */
export function introSentence(page: string): string {
  const afterTitle = page.split(/^# .*$/m)[1] ?? '';
  const intro = (afterTitle.split(/^## /m)[0] ?? '').replace(/\s+/g, ' ').trim();
  // Module comments open with their own name: "`@labkit/nn-core/config`: the model spec, ...".
  const unnamed = intro.replace(/^`[^`]+`:\s*/, '');
  const sentence = unnamed.match(/^.*?\.(?=\s|$)/)?.[0] ?? unnamed;
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

export function renderApiIndex(modules: readonly { module: ApiModule; intro: string }[]): string {
  const rows = modules.map(
    ({ module, intro }) =>
      `| [\`${module.name}\`](./${module.page.replace(/^api\//, '').replace(/index\.md$/, '')}) | ${intro} |`,
  );
  return [
    '---',
    'pageClass: api-index',
    '---',
    '',
    generatedNotice('the TypeDoc module pages and src/api-examples'),
    '',
    '# API reference',
    '',
    'Each import path of the two libraries has its own page: an introduction, a short example that',
    'a test runs (it checks that the example prints what its comments say), then every export.',
    '',
    '| module | what it holds |',
    '| --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

// Compiled to apps/docs/dist/gen/api-pages.js: the docs package is two folders up.
const docsRoot = fileURLToPath(new URL('../../', import.meta.url));
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const examplesDir = join(docsRoot, 'src/api-examples');
  const listed: { module: ApiModule; intro: string }[] = [];
  for (const pkg of ['epma-convert', 'nn-core']) {
    for (const module of packageModules(join(docsRoot, 'api'), pkg)) {
      const examplePath = join(examplesDir, module.example);
      if (!existsSync(examplePath)) {
        throw new Error(`${module.name} has no example: add src/api-examples/${module.example}`);
      }
      const pagePath = join(docsRoot, module.page);
      const page = readFileSync(pagePath, 'utf8');
      writeFileAtomic(
        pagePath,
        withExample(page, exampleSection(readFileSync(examplePath, 'utf8'))),
      );
      listed.push({ module, intro: introSentence(page) });
      console.log(`docs: example added to ${module.page}`);
    }
  }
  writeFileAtomic(join(docsRoot, 'api/index.md'), renderApiIndex(listed));
  console.log('docs: generated api/index.md');
}
