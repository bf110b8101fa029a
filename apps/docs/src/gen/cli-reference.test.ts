import { type CommandSpec, commands } from '@labkit/cli';
import { createMarkdownRenderer } from 'vitepress';
import { describe, expect, it } from 'vitest';
import { commandAnchor, firstSentence, renderCliReference } from './cli-reference.js';

const action = async () => 0;

const tricky: CommandSpec = {
  path: ['epma', 'convert'],
  args: '<file>',
  description: 'Convert wt% to at% {{ not vue }}\nSecond paragraph with <b>no tags</b>.',
  options: [
    { flags: '-f, --format <csv|json|md|tex>', description: 'Output format', default: 'csv' },
    { flags: '--decimals <n>', description: 'Round to n decimals', default: 3 },
    { flags: '--normalise', description: 'Scale wt% to 100 | before converting' },
  ],
  examples: ['labkit epma convert data.csv --format md'],
  action,
};

describe('renderCliReference', () => {
  const page = renderCliReference([tricky]);

  it('documents every flag with its description and default', () => {
    expect(page).toContain('`-f, --format <csv\\|json\\|md\\|tex>` | Output format | `csv` |');
    expect(page).toContain('`--decimals <n>` | Round to n decimals | `3` |');
    expect(page).toContain('`-h, --help` | Show this help |');
    expect(page).toContain('labkit epma convert <file> [options]');
    expect(page).toContain('$ labkit epma convert data.csv --format md');
  });

  it('gives each command a stable anchor linked from the overview', () => {
    expect(commandAnchor(tricky)).toBe('cli-epma-convert');
    expect(page).toContain('{#cli-epma-convert}');
    expect(page).toContain('](#cli-epma-convert)');
  });

  it('renders through VitePress markdown without stray tags or interpolations', async () => {
    const md = await createMarkdownRenderer(process.cwd());
    const html = md.render(page);
    expect(html).not.toContain('<b>');
    expect(html).not.toMatch(/\{\{/);
    expect(html).toContain('id="cli-epma-convert"');
    // The option table keeps three cells per row even with pipes in flags and descriptions.
    const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1] ?? '');
    const optionRows = rows.filter((r) => r.includes('--'));
    expect(optionRows.length).toBe(4);
    for (const row of optionRows) expect(row.match(/<td/g)?.length).toBe(3);
    expect(html).toContain('csv|json|md|tex');
  });

  it('covers every command the real CLI declares, with all of its flags', () => {
    const real = renderCliReference(commands);
    for (const spec of commands) {
      expect(real).toContain(`{#${commandAnchor(spec)}}`);
      for (const option of spec.options) expect(real).toContain(option.flags.replace(/\|/g, '\\|'));
    }
  });

  it('joins wrapped descriptions into one paragraph and summarises by the first sentence', () => {
    expect(page).toContain('Convert wt% to at% &#123;&#123; not vue &#125;&#125; Second paragraph');
    expect(firstSentence('Train a net (run.json,\nmetrics.csv). Default recipe: lr 0.001.')).toBe(
      'Train a net (run.json, metrics.csv).',
    );
    expect(firstSentence('No full stop')).toBe('No full stop');
  });

  it('refuses to write an empty reference', () => {
    expect(() => renderCliReference([])).toThrow(/no commands/);
  });
});
