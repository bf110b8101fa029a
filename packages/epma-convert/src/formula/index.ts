export { molarMass } from './molar-mass.js';
export { FormulaError, parseFormula } from './parse.js';
