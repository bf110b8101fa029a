import { checkFinite } from '../composition/checks.js';
import { speciesOf } from '../composition/species.js';
import { type Composition, CompositionError } from '../composition/types.js';
import { type AtomicWeights, STANDARD_WEIGHTS } from '../elements/weights.js';

export interface FormulaOptions {
  /** Oxygens per formula unit, e.g. 4 for olivine, 6 for pyroxene, 12 for garnet. */
  oxygens: number;
  weights?: AtomicWeights;
  /** 'droop': split Fe into Fe2+ and Fe3+ by charge balance (Droop 1987); needs `cations`. */
  fe3?: 'none' | 'droop';
  /** Ideal cations per `oxygens` oxygens (3 for olivine on 4 O, 4 for pyroxene on 6 O, 8 for garnet on 12 O). */
  cations?: number;
  /**
   * Without droop: cations to label by charge (`Fe2+`) even when this analysis has only one of
   * their oxides, so rows of one table agree (a row with FeO but Fe2O3 not analysed).
   */
  labelCharges?: readonly string[];
}

export interface MineralFormula {
  /**
   * Cation -> atoms per formula unit. With droop, 'Fe2+' and 'Fe3+' replace 'Fe'. Without droop, a
   * cation given as two oxides of different charge (FeO and Fe2O3) keeps its measured split:
   * 'Fe2+' and 'Fe3+' (generally `<symbol><charge>+`) instead of one 'Fe'.
   */
  apfu: Record<string, number>;
  oxygens: number;
  cationSum: number;
  /**
   * F and Cl (element wt% keys `F`, `Cl`) and the oxygen left once they are accounted for, per
   * formula unit; present only when the analysis has F or Cl. See `formulaPerOxygens`.
   */
  anions?: { O: number; F?: number; Cl?: number };
  /** With some Fe split into Fe2+ and Fe3+ (by droop, or measured): Fe3+ / (Fe2+ + Fe3+). */
  fe3OverFeTotal?: number;
  /**
   * With droop, set when charge balance asked for an impossible Fe3+ and was clamped:
   * 'zero' - the cation sum on N oxygens with all Fe2+ is at most the ideal one, so no Fe3+ is
   * needed (the formula stays on N oxygens with all Fe2+; it sums to fewer cations than ideal);
   * 'all' - more Fe3+ was needed than there is Fe, so all Fe is Fe3+ (the formula, still on N
   * oxygens, then sums to more cations than ideal). Either way the analysis is not stoichiometric.
   */
  fe3Clamp?: 'zero' | 'all';
}

interface OxideMoles {
  /** The cation, labelled with its charge (`Fe3+`) where the analysis gives it in two oxidation states. */
  cation: string;
  /** The element (`Fe`), for the droop Fe bookkeeping. */
  element: string;
  cationMoles: number;
  oxygenMoles: number;
}

/** Halogens a formula accepts as element wt%: they take anion sites, half an oxygen each by charge. */
export const FORMULA_HALOGENS = ['F', 'Cl'] as const;
const isHalogen = (key: string): key is (typeof FORMULA_HALOGENS)[number] =>
  (FORMULA_HALOGENS as readonly string[]).includes(key);

function positive(value: number | undefined, name: string): number {
  if (value === undefined || !Number.isFinite(value) || value <= 0) {
    throw new CompositionError(
      `formula per oxygens: ${name} must be a positive number, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * Moles of cation and oxygen per 100 g from each oxide; with FeO-basis, every Fe carries one O.
 * With `splitStates`, a cation found in oxides of different charge is labelled by its charge.
 */
function oxideMoles(
  oxideWt: Composition,
  weights: AtomicWeights,
  feAsFeO: boolean,
  splitStates: boolean,
  labelCharges: readonly string[] = [],
): OxideMoles[] {
  const out: OxideMoles[] = [];
  checkFinite(oxideWt, 'formula per oxygens');
  const oxidesOf = new Map<string, number>();
  for (const key in oxideWt) {
    if (isHalogen(key)) continue;
    for (const symbol of speciesOf(key, weights).atoms.keys())
      if (symbol !== 'O') oxidesOf.set(symbol, (oxidesOf.get(symbol) ?? 0) + 1);
  }
  for (const key in oxideWt) {
    if (isHalogen(key)) continue;
    const amount = oxideWt[key] as number;
    const { atoms, molarMass } = speciesOf(key, weights);
    const cations = [...atoms.keys()].filter((s) => s !== 'O');
    const nO = atoms.get('O') ?? 0;
    if (nO === 0 || cations.length !== 1) {
      throw new CompositionError(
        `formula per oxygens needs simple oxide wt% (one cation and oxygen, like SiO2 or Fe2O3); '${key}' is not one`,
      );
    }
    const cation = cations[0] as string;
    const formulaUnits = amount / molarMass;
    const cationMoles = formulaUnits * (atoms.get(cation) as number);
    const charge = (2 * nO) / (atoms.get(cation) as number);
    const split = splitStates && ((oxidesOf.get(cation) ?? 0) > 1 || labelCharges.includes(cation));
    out.push({
      cation: split ? `${cation}${Number(charge.toFixed(3))}+` : cation,
      element: cation,
      cationMoles,
      oxygenMoles: feAsFeO && cation === 'Fe' ? cationMoles : formulaUnits * nO,
    });
  }
  return out;
}

/**
 * Atoms per formula unit on `oxygens` oxygens from oxide wt%: moles of each oxide give cation and
 * oxygen moles; apfu = cation moles * N / (sum of oxygen moles). The basis is always oxygens,
 * never cations.
 *
 * With `fe3: 'droop'` (Droop 1987, Mineral. Mag. 51, 431-435) all Fe is first taken as Fe2+ (FeO
 * and Fe2O3 columns alike), giving a cation sum S on N oxygens. With T ideal cations,
 * Fe3+ = 2N(1 - T/S) per N oxygens once the formula is scaled to T cations; that formula then
 * carries exactly N oxygens. Fe3+ is clamped to [0, Fe total] (see `fe3Clamp`) and the formula is
 * recomputed on N oxygens with that Fe3+/Fe ratio, which equals Droop's formula whenever no
 * clamping was needed. Droop's assumptions hold: Fe is the only element of variable valency,
 * oxygen the only anion, and the mineral has no cation vacancies (so not micas or maghemite).
 * Droop replaces any measured FeO/Fe2O3 split; without it, oxides of one cation in different
 * oxidation states (FeO and Fe2O3) keep their measured split (`Fe2+`, `Fe3+`).
 *
 * Halogens (`F`, `Cl` as element wt%): the oxide columns carry the oxygen that would balance every
 * cation, but where F- and Cl- take anion sites, each replaces half an O2- by charge (the O = F, Cl
 * correction: O equivalent to F is F x A(O) / 2A(F) = 0.421 F wt%, to Cl 0.226 Cl wt%; Deer, Howie &
 * Zussman 2013, An Introduction to the Rock-Forming Minerals, 3rd ed., Appendix). The basis N counts
 * oxygen equivalents of anion charge (2N negative charges), so cation apfu are those of the oxides
 * on N oxygens, and `anions` gives F and Cl per formula unit and O = N - (F + Cl) / 2.
 */
export function formulaPerOxygens(oxideWt: Composition, options: FormulaOptions): MineralFormula {
  const oxygens = positive(options.oxygens, 'oxygens');
  const weights = options.weights ?? STANDARD_WEIGHTS;
  const fe3 = options.fe3 ?? 'none';
  if (fe3 !== 'none' && fe3 !== 'droop') {
    throw new CompositionError(
      `formula per oxygens: fe3 must be 'none' or 'droop', got '${String(fe3)}'`,
    );
  }
  if (fe3 === 'none' && options.cations !== undefined) {
    throw new CompositionError("formula per oxygens: cations is only used with fe3: 'droop'");
  }
  const ideal =
    fe3 === 'droop' ? positive(options.cations, "cations (required with fe3: 'droop')") : 0;
  const moles = oxideMoles(oxideWt, weights, fe3 === 'droop', fe3 === 'none', options.labelCharges);
  const withAnions = ({ factor, ...formula }: Scaled): MineralFormula =>
    halogenAnions(formula, oxideWt, weights, factor);

  if (fe3 === 'none') {
    const formula = onOxygens(moles, oxygens, 0);
    const fe2 = formula.apfu['Fe2+'];
    const fe3Measured = formula.apfu['Fe3+'];
    if (fe2 !== undefined && fe3Measured !== undefined && fe2 + fe3Measured > 0)
      formula.fe3OverFeTotal = fe3Measured / (fe2 + fe3Measured);
    return withAnions(formula);
  }

  const allFe2 = onOxygens(moles, oxygens, 0);
  const feTotal = allFe2.apfu.Fe ?? 0;
  let ratio = 0;
  let clamp: MineralFormula['fe3Clamp'];
  if (feTotal > 0) {
    const s = allFe2.cationSum;
    const fe3PerN = 2 * oxygens * (1 - ideal / s);
    ratio = fe3PerN / (feTotal * (ideal / s));
    if (ratio < 0) [ratio, clamp] = [0, 'zero'];
    else if (ratio > 1) [ratio, clamp] = [1, 'all'];
  }
  const split = onOxygens(moles, oxygens, ratio);
  const fe = split.apfu.Fe ?? 0;
  const apfu: Record<string, number> = {};
  for (const [symbol, value] of Object.entries(split.apfu)) {
    if (symbol === 'Fe') {
      apfu['Fe2+'] = fe * (1 - ratio);
      apfu['Fe3+'] = fe * ratio;
    } else {
      apfu[symbol] = value;
    }
  }
  if (!('Fe3+' in apfu)) Object.assign(apfu, { 'Fe2+': 0, 'Fe3+': 0 });
  return withAnions({
    ...split,
    apfu,
    ...(feTotal > 0 ? { fe3OverFeTotal: ratio } : {}),
    ...(clamp ? { fe3Clamp: clamp } : {}),
  });
}

/** Adds F, Cl and the remaining O per formula unit (see `formulaPerOxygens`) when F or Cl is given. */
function halogenAnions(
  formula: MineralFormula,
  oxideWt: Composition,
  weights: AtomicWeights,
  factor: number,
): MineralFormula {
  const halogens = FORMULA_HALOGENS.filter((h) => h in oxideWt);
  if (halogens.length === 0) return formula;
  const anions: { O: number; F?: number; Cl?: number } = { O: formula.oxygens };
  for (const h of halogens) {
    const amount = oxideWt[h] as number;
    if (amount < 0) throw new CompositionError(`formula per oxygens: ${h} must not be negative`);
    const apfu = (amount / weights.get(h)) * factor;
    anions[h] = apfu;
    anions.O -= apfu / 2;
  }
  return { ...formula, anions };
}

/** Scales cation moles to N oxygens; Fe (counted with one O each) gains half an O per Fe3+. */
/** A formula with the factor (apfu per mole per 100 g) that scaled it to N oxygens. */
type Scaled = MineralFormula & { factor: number };

function onOxygens(moles: readonly OxideMoles[], oxygens: number, fe3Ratio: number): Scaled {
  let oxygenMoles = 0;
  for (const m of moles)
    oxygenMoles +=
      m.element === 'Fe' ? m.oxygenMoles + (m.cationMoles * fe3Ratio) / 2 : m.oxygenMoles;
  if (!(oxygenMoles > 0)) {
    throw new CompositionError(
      'formula per oxygens: the oxides carry no oxygen (all values zero?)',
    );
  }
  const factor = oxygens / oxygenMoles;
  const apfu: Record<string, number> = {};
  let cationSum = 0;
  for (const m of moles) {
    const value = m.cationMoles * factor;
    apfu[m.cation] = (apfu[m.cation] ?? 0) + value;
    cationSum += value;
  }
  return { apfu, oxygens, cationSum, factor };
}
