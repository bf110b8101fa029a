import { codeBlock, generatedNotice } from './markdown.js';
import type { LabkitRun } from './run-labkit.js';

export interface WorkedExample {
  title: string;
  /** Path of the input file, relative to the repository root. */
  file: string;
  /** labkit arguments, e.g. `['epma', 'convert', 'examples/epma/x.csv', '--format', 'md']`. */
  args: readonly string[];
  /** What to look at in the result. */
  note: string;
}

export interface WorkedResult {
  example: WorkedExample;
  input: string;
  run: LabkitRun;
}

/** A Markdown table from labkit, made safe for a VitePress page: markers such as `<dl` must not open tags. */
export function embedTable(markdown: string): string {
  return markdown
    .trim()
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\{/g, '&#123;')
    .replace(/\}/g, '&#125;');
}

function section({ example, input, run }: WorkedResult): string {
  if (run.code !== 0) {
    throw new Error(
      `labkit ${example.args.join(' ')} exited with ${run.code}: ${run.stderr.trim()}`,
    );
  }
  const parts = [
    `## ${example.title}`,
    '',
    example.note,
    '',
    `Input, \`${example.file}\`:`,
    '',
    codeBlock(input.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n'), 'csv'),
    '',
    codeBlock(`labkit ${example.args.join(' ')}`, 'sh'),
    '',
    embedTable(run.stdout),
  ];
  const warnings = run.stderr.trim();
  if (warnings) parts.push('', 'labkit also printed, on stderr:', '', codeBlock(warnings, 'text'));
  return parts.join('\n');
}

/** The worked-examples page: each shipped example file, the command, and what labkit printed for it. */
export function renderWorkedExamples(results: readonly WorkedResult[]): string {
  return [
    '---',
    'pageClass: wide-tables',
    '---',
    '',
    generatedNotice('examples/epma/* and the output of the labkit commands shown'),
    '',
    '# Worked examples',
    '',
    'Each example below is a file shipped in `examples/epma/`, the command that converts it, and the',
    'table that command printed when this site was built: the numbers are labkit’s own output, not',
    'copied by hand. The [EPMA guide](./guide.md) derives how each number is computed; the sources of',
    'the compositions are listed in `examples/epma/README.md`.',
    '',
    ...results.map((r) => `${section(r)}\n`),
  ].join('\n');
}
