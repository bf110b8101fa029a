import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownSection } from './readme-section.js';

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

  it('finds the two commands in the repository README', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../../../README.md'), 'utf8');
    const section = markdownSection(readme, 'Two commands');
    expect(section).toMatch(/pnpm build && pnpm -s labkit epma convert/);
    expect(section).toMatch(/pnpm build && pnpm test/);
  });
});
