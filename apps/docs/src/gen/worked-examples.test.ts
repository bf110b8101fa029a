import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLabkit } from './run-labkit.js';
import { embedTable, renderWorkedExamples, type WorkedExample } from './worked-examples.js';

const repoRoot = resolve(import.meta.dirname, '../../../..');

const example: WorkedExample = {
  title: 'Olivine',
  file: 'examples/epma/olivine-oxides.csv',
  args: ['epma', 'convert', 'examples/epma/olivine-oxides.csv', '--format', 'md'],
  note: 'A note.',
};

describe('embedTable', () => {
  it('keeps markers such as <dl and {{ from opening tags or interpolations in VitePress', () => {
    const table = '| a | flags |\n| --- | --- |\n| 1 | MgO (<dl) -> 0 {{x}} |\n';
    expect(embedTable(table)).toBe(
      '| a | flags |\n| --- | --- |\n| 1 | MgO (&lt;dl) -&gt; 0 &#123;&#123;x&#125;&#125; |',
    );
  });
});

describe('renderWorkedExamples', () => {
  it('shows the input, the command and the table labkit printed for it', async () => {
    const run = await runLabkit(example.args, repoRoot);
    expect(run.code).toBe(0);
    const page = renderWorkedExamples([{ example, input: 'Point,SiO2\n1,40\n', run }]);
    expect(page).toContain('## Olivine');
    expect(page).toContain(
      '```sh\nlabkit epma convert examples/epma/olivine-oxides.csv --format md\n```',
    );
    expect(page).toContain('```csv\nPoint,SiO2\n1,40\n```');
    // The table is the CLI's own Markdown output, with only < > { } & escaped.
    const header = run.stdout.split('\n')[0] ?? '';
    expect(header).toMatch(/^\| .*Si at%/);
    expect(page).toContain(header);
  });

  it('fails the build when a documented command fails, instead of publishing an error', async () => {
    const broken = { ...example, args: ['epma', 'convert', 'examples/epma/no-such-file.csv'] };
    const run = await runLabkit(broken.args, repoRoot);
    expect(run.code).toBe(1);
    expect(() => renderWorkedExamples([{ example: broken, input: '', run }])).toThrow(
      /exited with 1/,
    );
  });
});
