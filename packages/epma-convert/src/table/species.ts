import { isElementSymbol } from '../elements/index.js';
import { parseFormula } from '../formula/index.js';

/** A recognised composition species: an element (`Si`) or a formula such as an oxide (`SiO2`). */
export interface Species {
  /** Canonical spelling: `Si`, `SiO2`, `FeO`. */
  formula: string;
  isElement: boolean;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();

function formulaParses(formula: string): boolean {
  try {
    return parseFormula(formula).size > 0;
  } catch {
    return false;
  }
}

/**
 * Recognises an element symbol or a formula in any letter case: `si`, `SI` -> `Si`;
 * `SIO2`, `sio2` -> `SiO2`; `AL2O3` -> `Al2O3`; `CO2` -> `CO2`. A token typed in correct case
 * that parses as a formula with oxygen (e.g. `FeTiO3`) is accepted as written. All-capital tokens are read as
 * one element followed by oxygen, the only reading that is unambiguous for oxide headers; two-letter
 * symbols win over one-letter ones (`SNO2` is SnO2, `CAO` is CaO), except where the rest would not
 * parse (`CO2` is C + O2).
 */
export function recogniseSpecies(token: string): Species | undefined {
  if (token === '') return undefined;
  if (isElementSymbol(token)) return { formula: token, isElement: true };
  if (token.length <= 2 && isElementSymbol(capitalise(token))) {
    return { formula: capitalise(token), isElement: true };
  }
  // `Fo`, `Wo` (forsterite, wollastonite contents) are words, not F + O or W + O: in a mixed-case
  // token, a lower-case oxygen counts only after a two-letter symbol or with a digit (`Feo`,
  // `Mno`, `Al2o3`: spreadsheet spellings of FeO, MnO, Al2O3 that must not pass through unread).
  const mixedCase = /[a-z]/.test(token) && /[A-Z]/.test(token);
  for (const len of [2, 1]) {
    const symbol = capitalise(token.slice(0, len));
    const strict = mixedCase && len === 1 && !/\d/.test(token);
    const rest = (strict ? /^(\d*)O(\d*)$/ : /^(\d*)[oO](\d*)$/).exec(token.slice(len));
    if (!rest || !isElementSymbol(symbol) || symbol === 'O') continue;
    const formula = `${symbol}${rest[1]}O${rest[2]}`;
    if (formulaParses(formula)) return { formula, isElement: false };
  }
  if (/[a-z]/.test(token) && formulaParses(token) && parseFormula(token).has('O'))
    return { formula: token, isElement: false };
  return undefined;
}

/**
 * The elements of a token typed as a formula that is neither an element nor an oxide (`LiF`, a WDS
 * crystal; `CaNa`; `FeIII`, iron(III) that parses as Fe + I3): composition-like, but what it holds
 * is unclear, so the header reader refuses it instead of splitting it into elements.
 */
export function formulaWithoutOxygen(token: string): string[] | undefined {
  if (!/[a-z]/.test(token) || recogniseSpecies(token) || !formulaParses(token)) return undefined;
  return [...parseFormula(token).keys()];
}
