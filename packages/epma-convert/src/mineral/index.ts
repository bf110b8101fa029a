export {
  FORMULA_HALOGENS,
  type FormulaOptions,
  formulaPerOxygens,
  type MineralFormula,
} from './formula-per-oxygens.js';
