import { describe, expect, it } from 'vitest';
import { code, codeBlock, escapeText, table } from './markdown.js';

describe('escapeText', () => {
  it('neutralises what VitePress would read as Vue tags, interpolations or table separators', () => {
    const escaped = escapeText('read <file> {{ secret }} a|b & more');
    expect(escaped).not.toMatch(/[<>{}|]/);
    expect(escaped).toContain('&lt;file&gt;');
    expect(escaped).toContain('&#123;&#123; secret &#125;&#125;');
    expect(escaped).toContain('a&#124;b');
    expect(escaped).toContain('&amp; more');
  });

  it('escapes Markdown emphasis and code marks and joins lines', () => {
    expect(escapeText('a_b *c* `d`\nnext')).toBe('a\\_b \\*c\\* \\`d\\` next');
  });
});

describe('code', () => {
  it('uses a fence longer than any backtick run inside', () => {
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
  });

  it('escapes pipes only inside table cells', () => {
    expect(code('--format <csv|json>')).toBe('`--format <csv|json>`');
    expect(code('--format <csv|json>', { inTable: true })).toBe('`--format <csv\\|json>`');
  });
});

describe('codeBlock and table', () => {
  it('fences a block so that a ``` line inside cannot close it', () => {
    const block = codeBlock('before\n```\nafter\n', 'sh');
    expect(block.split('\n')[0]).toBe('````sh');
    expect(block.split('\n').at(-1)).toBe('````');
  });

  it('writes a header, a separator and one line per row', () => {
    expect(table(['a', 'b'], [['1', '2']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |');
  });
});
