import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillOutputBlocks, OutputCommandError, outputCommands } from './command-output.js';
import { markdownSection } from './readme-section.js';
import { type LabkitRun, runLabkit } from './run-labkit.js';

const repoRoot = resolve(import.meta.dirname, '../../../..');

const doc = [
  '# Title',
  '',
  '## Two commands',
  '',
  'Run it:',
  '',
  '```sh',
  '## not a heading, a shell comment',
  'pnpm build',
  '```',
  '',
  '## Next',
  'other',
].join('\n');

describe('markdownSection', () => {
  it('returns the body up to the next heading, ignoring # lines inside code', () => {
    expect(markdownSection(doc, 'Two commands')).toBe(
      'Run it:\n\n```sh\n## not a heading, a shell comment\npnpm build\n```',
    );
  });

  it('names a missing section', () => {
    expect(() => markdownSection(doc, 'Three commands')).toThrow(/no "## Three commands"/);
  });

  it('finds the clone line and the two commands in the repository README', () => {
    const section = markdownSection(
      readFileSync(join(repoRoot, 'README.md'), 'utf8'),
      'Two commands',
    );
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    const url = String(pkg.repository.url).replace(/^git\+/, '');
    expect(section).toContain(
      `git clone ${url}\ncd ${url
        .split('/')
        .at(-1)
        ?.replace(/\.git$/, '')}\n`,
    );
    expect(section).toMatch(
      /pnpm build && \\\n {2}pnpm -s labkit epma convert examples\/epma\/olivine-oxides\.csv\n/,
    );
    expect(section).toMatch(/pnpm build && \\\n {2}pnpm test\n/);
    expect(outputCommands(section)).toEqual([
      ['epma', 'convert', 'examples/epma/olivine-oxides.csv'],
    ]);
  });

  it("holds the real output of the README's commands (run pnpm build to refresh it)", async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const runs = new Map<string, LabkitRun>();
    for (const args of outputCommands(readme))
      runs.set(args.join(' '), await runLabkit(args, repoRoot));
    expect(runs.size).toBeGreaterThan(0);
    expect(fillOutputBlocks(readme, runs)).toBe(readme);
  });
});

describe('output blocks', () => {
  const page = 'See:\n\n<!--output info-->\n```text\nold\n```\n<!--/output-->\n';
  it('are rewritten with what the command printed, standard output then standard error', () => {
    const runs = new Map([['info', { code: 0, stdout: 'a\nb\n', stderr: 'note\n' }]]);
    expect(fillOutputBlocks(page, runs)).toBe(
      'See:\n\n<!--output info-->\n```text\na\nb\nnote\n```\n<!--/output-->\n',
    );
  });

  it('refuse a failed command and a command that was not run', () => {
    const failed = new Map([['info', { code: 1, stdout: '', stderr: 'boom' }]]);
    expect(() => fillOutputBlocks(page, failed)).toThrow(OutputCommandError);
    expect(() => fillOutputBlocks(page, new Map())).toThrow(/no run of "labkit info"/);
  });
});
