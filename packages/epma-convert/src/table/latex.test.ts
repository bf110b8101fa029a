import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { convertText } from '../convert/index.js';
import { createTableWriter, formatTable } from './format.js';
import { latexText } from './latex.js';

describe('latexText', () => {
  it.each([
    ['GRT1-2', 'GRT1-2'],
    ['a->b', 'a-\\textgreater{}b'],
    ['<0.02', '\\textless{}0.02'],
    ['α-quartz', '\\ensuremath{\\alpha}-quartz'],
    ['5 µm, 20 °C', '5 \\textmu{}m, 20 \\ensuremath{^{\\circ}}C'],
    ['μ = 0.3', '\\ensuremath{\\mu} = 0.3'],
    ['5 € ½ 25 ℃', '5 \\texteuro{} \\textonehalf{} 25 \\textcelsius{}'],
    [
      '«a» x ∈ A ∩ B',
      '\\ensuremath{\\ll}a\\ensuremath{\\gg} x \\ensuremath{\\in} A \\ensuremath{\\cap} B',
    ],
    ['Fe\u2010rich', 'Fe-rich'],
    ['x ≤ y ± z', 'x \\ensuremath{\\leq} y \\ensuremath{\\pm} z'],
    ['Mü Åsa façade', 'M\\"{u} \\AA{}sa fa\\c{c}ade'],
    [
      '50% & $5 #1 _a {b} ~c ^d \\e |f "g"',
      "50\\% \\& \\$5 \\#1 \\_a \\{b\\} \\textasciitilde{}c \\textasciicircum{}d \\textbackslash{}e \\textbar{}f ''g''",
    ],
    ['first\n\nsecond', 'first  second'],
    ['a--b', 'a-{}-b'],
  ])('%j -> %j', (text, latex) => {
    expect(latexText(text)).toBe(latex);
  });

  it('superscripts ion charges only after element symbols, and only when asked', () => {
    expect(latexText('Fe3+ apfu', { charges: true })).toBe('Fe\\textsuperscript{3+} apfu');
    expect(latexText('Fe3+/ΣFe', { charges: true })).toBe(
      'Fe\\textsuperscript{3+}/\\ensuremath{\\Sigma}Fe',
    );
    expect(latexText('GRT1-2', { charges: true })).toBe('GRT1-2');
    expect(latexText('Fe3+ apfu')).toBe('Fe3+ apfu');
  });

  it('has a form for every Greek letter (Α-Ω, α-ω)', () => {
    const letters = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));
    const greek = [...letters(0x391, 0x3a9), ...letters(0x3b1, 0x3c9)]
      .filter((c) => c !== '\u03a2')
      .join('');
    expect(greek).toHaveLength(49);
    expect(latexText(greek)).not.toContain('?');
  });

  it('has a form for the common symbols of reports and exports', () => {
    const symbols = '€™®½¼¾℃¢¥†‡«»‹›∈∉∩∪⊂∼∝∅¬″\u2010\u2011\u2012µμ';
    const unmapped = new Set<string>();
    expect(latexText(symbols, { unmapped })).not.toContain('?');
    expect([...unmapped]).toEqual([]);
  });

  it('counts the characters without a LaTeX form', () => {
    const writer = createTableWriter('latex', [{ name: 'note ☃', kind: 'text' }]);
    writer.begin();
    writer.row(['日本 日']);
    writer.end();
    expect([...(writer.unmapped ?? [])]).toEqual([
      ['☃', 1],
      ['日', 2],
      ['本', 1],
    ]);
  });

  it('writes characters without a LaTeX form as ? and names them in a comment', () => {
    const out = formatTable('latex', [{ name: 'note', kind: 'text' }], [['日本']]);
    expect(out).toContain('?? \\\\');
    expect(out).toContain('% labkit: no LaTeX form for U+65E5, U+672C; written as ?');
  });
});

const examples = join(dirname(fileURLToPath(import.meta.url)), '../../../../examples/epma');
const pdflatex = spawnSync('pdflatex', ['--version'], { encoding: 'utf8' }).status === 0;
if (!pdflatex) {
  console.warn(
    'skipping the LaTeX compile test: pdflatex is not installed (optional: apt-get install texlive-latex-recommended)',
  );
}

/** Every example, in both modes where it applies, plus the edge cases of the issue. */
function tables(): string[] {
  const out: string[] = [];
  for (const name of readdirSync(examples).filter((f) => f.endsWith('.csv'))) {
    const text = readFileSync(join(examples, name), 'utf8');
    out.push(convertText(text, { format: 'latex', source: name }).output);
    if (!name.startsWith('element'))
      out.push(
        convertText(text, {
          format: 'latex',
          source: name,
          mode: 'formula',
          formula: { oxygens: 4, fe3: 'droop', cations: 3 },
        }).output,
      );
  }
  const edge =
    'Point,Comment,SiO2,MgO,FeO\n' +
    'GRT1-2,"a -> b, x < y, α-quartz ≤ 5 µm ± 2 at 20 °C",40,50,<0.02\n' +
    'Mü,"line one\n\nline three; 50% & $ # _ { } ~ ^ \\ | ""q"" 日本",40,50,9\n' +
    'Greek,"ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ αβγδεζηθικλμνξοπρςστυφχψω ϑϕ",40,50,9\n' +
    'Signs,"5 € ™ ® ½ ¼ ¾ 25 ℃ ¢ ¥ † ‡ «a» ‹b› x ∈ A ∉ B ∩ C ∪ D ⊂ E ∼ ∝ ∅ ¬ 3″ Fe\u2010rich \u2011 \u2012 5 µm μ",40,50,9\n';
  out.push(convertText(edge, { format: 'latex', totalWindow: [0, 200] }).output);
  return out;
}

describe('LaTeX output', () => {
  it.skipIf(!pdflatex)(
    pdflatex
      ? 'compiles with pdflatex: every example and the edge cases'
      : 'compiles with pdflatex (SKIPPED: pdflatex is not installed; apt-get install texlive-latex-recommended)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'epma-latex-'));
      const body = tables().join('\n\\bigskip\n\n');
      writeFileSync(
        join(dir, 'tables.tex'),
        `\\documentclass{article}\n\\usepackage{booktabs}\n\\usepackage[landscape,margin=5mm]{geometry}\n\\begin{document}\n\\tiny\n${body}\n\\end{document}\n`,
      );
      const run = spawnSync(
        'pdflatex',
        ['-interaction=nonstopmode', '-halt-on-error', 'tables.tex'],
        { cwd: dir, encoding: 'utf8', timeout: 120_000 },
      );
      const log = readFileSync(join(dir, 'tables.log'), 'latin1');
      rmSync(dir, { recursive: true, force: true });
      expect(run.status, log.slice(-3000)).toBe(0);
      expect(log).not.toMatch(/Missing character|not set up for use with LaTeX/);
    },
  );
});
