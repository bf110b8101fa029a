import { isElementSymbol } from '../elements/index.js';

/**
 * Text for LaTeX that compiles with pdflatex's defaults (OT1 font encoding, UTF-8 input) and prints
 * what the cell says: every special character escaped, `<`, `>`, `|`, `"` spelled as text commands
 * (OT1 prints them as ¡, ¿, —, ”), Greek letters and common symbols as math, accented Latin letters
 * as accent commands, line breaks inside a cell as spaces (a blank line would end the row).
 */
const SPECIALS: Readonly<Record<string, string>> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
  '"': "''",
  '\n': ' ',
  '\r': ' ',
  '\t': ' ',
};

const math = (command: string) => `\\ensuremath{${command}}`;

/** Unicode characters common in EPMA exports and reports, and their LaTeX. */
export const LATEX_UNICODE: Readonly<Record<string, string>> = {
  α: math('\\alpha'),
  β: math('\\beta'),
  γ: math('\\gamma'),
  δ: math('\\delta'),
  ε: math('\\varepsilon'),
  θ: math('\\theta'),
  κ: math('\\kappa'),
  λ: math('\\lambda'),
  μ: math('\\mu'),
  // The micro sign (µm) is upright, unlike the Greek letter mu of a variable.
  µ: '\\textmu{}',
  ν: math('\\nu'),
  π: math('\\pi'),
  ρ: math('\\rho'),
  σ: math('\\sigma'),
  τ: math('\\tau'),
  φ: math('\\phi'),
  χ: math('\\chi'),
  ω: math('\\omega'),
  Γ: math('\\Gamma'),
  Δ: math('\\Delta'),
  '∆': math('\\Delta'),
  Σ: math('\\Sigma'),
  '∑': math('\\Sigma'),
  Ω: math('\\Omega'),
  ζ: math('\\zeta'),
  η: math('\\eta'),
  ι: math('\\iota'),
  ξ: math('\\xi'),
  ο: 'o',
  ς: math('\\varsigma'),
  υ: math('\\upsilon'),
  ψ: math('\\psi'),
  ϕ: math('\\phi'),
  ϑ: math('\\vartheta'),
  Θ: math('\\Theta'),
  Λ: math('\\Lambda'),
  Ξ: math('\\Xi'),
  Π: math('\\Pi'),
  Φ: math('\\Phi'),
  Ψ: math('\\Psi'),
  Υ: math('\\Upsilon'),
  // Capitals that LaTeX writes as the Latin letters they look like.
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Χ: 'X',
  '±': math('\\pm'),
  '∓': math('\\mp'),
  '×': math('\\times'),
  '÷': math('\\div'),
  '·': math('\\cdot'),
  '•': math('\\bullet'),
  '°': math('^{\\circ}'),
  '′': math('^{\\prime}'),
  '→': math('\\rightarrow'),
  '←': math('\\leftarrow'),
  '↔': math('\\leftrightarrow'),
  '⇒': math('\\Rightarrow'),
  '≤': math('\\leq'),
  '≥': math('\\geq'),
  '≠': math('\\neq'),
  '≈': math('\\approx'),
  '≡': math('\\equiv'),
  '∞': math('\\infty'),
  '√': math('\\surd'),
  '∂': math('\\partial'),
  '−': math('-'),
  '¹': math('^{1}'),
  '²': math('^{2}'),
  '³': math('^{3}'),
  '⁺': math('^{+}'),
  '⁻': math('^{-}'),
  '₂': math('_{2}'),
  '₃': math('_{3}'),
  '‰': '\\textperthousand{}',
  // Text symbols of the LaTeX kernel (textcomp, part of LaTeX since 2020): upright, not math.
  '€': '\\texteuro{}',
  '™': '\\texttrademark{}',
  '®': '\\textregistered{}',
  '½': '\\textonehalf{}',
  '¼': '\\textonequarter{}',
  '¾': '\\textthreequarters{}',
  '℃': '\\textcelsius{}',
  '¢': '\\textcent{}',
  '¥': '\\textyen{}',
  '†': '\\textdagger{}',
  '‡': '\\textdaggerdbl{}',
  // Guillemets exist only in the T1 font encoding, not in pdflatex's default OT1.
  '«': math('\\ll'),
  '»': math('\\gg'),
  '‹': math('<'),
  '›': math('>'),
  '∈': math('\\in'),
  '∉': math('\\notin'),
  '∩': math('\\cap'),
  '∪': math('\\cup'),
  '⊂': math('\\subset'),
  '∼': math('\\sim'),
  '∝': math('\\propto'),
  '∅': math('\\emptyset'),
  '¬': math('\\neg'),
  '″': math('^{\\prime\\prime}'),
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '--',
  '–': '--',
  '—': '---',
  '‘': '`',
  '’': "'",
  '“': '``',
  '”': "''",
  '…': '\\ldots{}',
  '§': '\\S{}',
  '¶': '\\P{}',
  '©': '\\copyright{}',
  '£': '\\pounds{}',
  ß: '\\ss{}',
  æ: '\\ae{}',
  Æ: '\\AE{}',
  œ: '\\oe{}',
  Œ: '\\OE{}',
  ø: '\\o{}',
  Ø: '\\O{}',
  ł: '\\l{}',
  Ł: '\\L{}',
  å: '\\aa{}',
  Å: '\\AA{}',
  '\u212b': '\\AA{}',
  ı: '\\i{}',
  '¡': '!`',
  '¿': '?`',
  '\u00a0': '~',
};

/** Combining accents (after NFD decomposition) and the LaTeX accent command for each. */
const ACCENTS: Readonly<Record<string, string>> = {
  '\u0300': '`',
  '\u0301': "'",
  '\u0302': '^',
  '\u0303': '~',
  '\u0304': '=',
  '\u0306': 'u',
  '\u0307': '.',
  '\u0308': '"',
  '\u030a': 'r',
  '\u030b': 'H',
  '\u030c': 'v',
  '\u0327': 'c',
  '\u0328': 'k',
};

/** What no LaTeX form was found for is written as `?`; the caller is told which characters. */
export const UNMAPPED = '?';

function accented(ch: string): string | undefined {
  const [base, ...marks] = [...ch.normalize('NFD')];
  if (!base || marks.length === 0 || !/^[A-Za-z]$/.test(base)) return undefined;
  let out = base === 'i' ? '\\i' : base === 'j' ? '\\j' : base;
  for (const mark of marks) {
    const command = ACCENTS[mark];
    if (!command) return undefined;
    out = `\\${command}{${out}}`;
  }
  return out;
}

/** Collects the characters with no LaTeX form (a `Set`, or a counter of each). */
export interface UnmappedCollector {
  add(ch: string): unknown;
}

/**
 * Escapes one character; `unmapped` collects characters with no LaTeX form (written as `?`).
 */
function escapeChar(ch: string, unmapped?: UnmappedCollector): string {
  const special = SPECIALS[ch];
  if (special !== undefined) return special;
  if (ch.charCodeAt(0) < 0x80) return ch;
  const known = LATEX_UNICODE[ch] ?? accented(ch);
  if (known !== undefined) return known;
  unmapped?.add(ch);
  return UNMAPPED;
}

/**
 * Escapes text for a LaTeX table cell. With `charges`, ion charges after an element symbol
 * (`Fe3+`, `Fe2+ apfu`) become superscripts; `GRT1-2` and other labels are left as written.
 */
export function latexText(
  text: string,
  options: { charges?: boolean; unmapped?: UnmappedCollector } = {},
) {
  let out = '';
  let previous = '';
  for (const ch of text) {
    // `--` and `---` would print as dashes, `''` as a closing quote: keep each character apart.
    if (
      (ch === '-' && previous === '-') ||
      (ch === "'" && previous === "'") ||
      (ch === '`' && previous === '`')
    )
      out += '{}';
    out += escapeChar(ch, options.unmapped);
    previous = ch;
  }
  if (!options.charges) return out;
  return out.replace(/([A-Z][a-z]?)(\d[+-])(?![\w.])/g, (whole, symbol: string, charge: string) =>
    isElementSymbol(symbol) ? `${symbol}\\textsuperscript{${charge}}` : whole,
  );
}
