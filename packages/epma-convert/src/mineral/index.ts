export { MINERAL_BASES, type MineralBasis, mineralBasis } from './bases.js';
export {
  FORMULA_HALOGENS,
  type FormulaOptions,
  formulaPerOxygens,
  type MineralFormula,
} from './formula-per-oxygens.js';
