import { describe, expect, it } from 'vitest';
import { exampleSection, introSentence, renderApiIndex, withExample } from './api-pages.js';

const page = [
  '[@labkit/nn-core](../../../index.md) / @labkit/nn-core/config',
  '',
  '# @labkit/nn-core/config',
  '',
  '`@labkit/nn-core/config`: the model spec and the defaults, without TensorFlow.js. The CLI reads',
  'them.',
  '',
  '## Variables',
  '',
  '- [DEFAULT_SPEC](../variables/DEFAULT_SPEC.md)',
  '',
].join('\n');

describe('API module pages', () => {
  it('put the example between the introduction and the members', () => {
    const out = withExample(page, exampleSection('console.log(1);\n// prints: 1\n'));
    expect(out.indexOf('## Example')).toBeGreaterThan(out.indexOf('The CLI reads'));
    expect(out.indexOf('## Example')).toBeLessThan(out.indexOf('## Variables'));
    expect(out).toContain('```ts\nconsole.log(1);\n// prints: 1\n```');
  });

  it('list each module with the first sentence of its introduction', () => {
    expect(introSentence(page)).toBe('The model spec and the defaults, without TensorFlow.js.');
    const index = renderApiIndex([
      {
        module: {
          name: '@labkit/nn-core/config',
          page: 'api/nn-core/@labkit/nn-core/config/index.md',
          example: 'nn-core-config.ts',
        },
        intro: 'The spec.',
      },
    ]);
    expect(index).toContain(
      '| [`@labkit/nn-core/config`](./nn-core/@labkit/nn-core/config/) | The spec. |',
    );
  });
});
