import { isElementSymbol } from '../elements/weights.js';

/** A formula that cannot be parsed; `position` is the 0-based index of the offending character. */
export class FormulaError extends Error {
  override name = 'FormulaError';
  constructor(
    readonly formula: string,
    readonly position: number,
    problem: string,
  ) {
    super(`invalid formula '${formula}' at position ${position + 1}: ${problem}`);
  }
}

const CLOSING: Readonly<Record<string, string>> = { '(': ')', '[': ']' };

/**
 * Parses a chemical formula into element counts, in order of first appearance:
 * 'Al2O3' -> Al 2, O 3; 'Ca(OH)2' -> Ca 1, O 2, H 2; 'Fe0.5Mg1.5SiO4'. Groups use () or [].
 * Surrounding whitespace is ignored; anything else unexpected is a FormulaError.
 */
export function parseFormula(formula: string): Map<string, number> {
  let pos = 0;
  const end = formula.trimEnd().length;
  while (pos < end && /\s/.test(formula[pos] as string)) pos++;
  if (pos >= end) throw new FormulaError(formula, 0, 'empty formula');

  const fail = (problem: string): never => {
    throw new FormulaError(formula, pos, problem);
  };

  const readCount = (): number => {
    const match = /^\d+(\.\d+)?/.exec(formula.slice(pos, end));
    if (!match) {
      if (formula[pos] === '.') fail("a count must start with a digit (write '0.5', not '.5')");
      return 1;
    }
    const count = Number(match[0]);
    if (count === 0) fail('a count of zero');
    pos += match[0].length;
    return count;
  };

  // Parses a sequence of elements and groups until `closer` (or the end at depth 0).
  const readSequence = (closer: string | undefined): Map<string, number> => {
    const counts = new Map<string, number>();
    const add = (symbol: string, n: number) => counts.set(symbol, (counts.get(symbol) ?? 0) + n);
    while (pos < end) {
      const ch = formula[pos] as string;
      if (ch === closer) break;
      if (ch in CLOSING) {
        const open = pos;
        pos++;
        const inner = readSequence(CLOSING[ch]);
        if (pos >= end) {
          pos = open;
          fail(`'${ch}' is never closed`);
        }
        if (inner.size === 0) {
          pos = open;
          fail(`empty group '${ch}${CLOSING[ch]}'`);
        }
        pos++; // the closer
        const n = readCount();
        for (const [symbol, count] of inner) add(symbol, count * n);
      } else if (/[A-Z]/.test(ch)) {
        const start = pos;
        pos++;
        if (pos < end && /[a-z]/.test(formula[pos] as string)) pos++;
        const symbol = formula.slice(start, pos);
        if (!isElementSymbol(symbol)) {
          pos = start;
          fail(`unknown element '${symbol}'`);
        }
        add(symbol, readCount());
      } else if (ch === ')' || ch === ']') {
        fail(
          closer
            ? `expected '${closer}' but found '${ch}'`
            : `unexpected '${ch}' with no matching opening bracket`,
        );
      } else if (/[a-z]/.test(ch)) {
        fail(`element symbols start with a capital letter, found '${ch}'`);
      } else {
        fail(`unexpected character '${ch}'`);
      }
    }
    return counts;
  };

  return readSequence(undefined);
}
