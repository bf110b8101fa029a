/**
 * Standard atomic weights of the elements, Z = 1..118.
 *
 * Source: IUPAC CIAAW, "Standard atomic weights of the elements 2021" (Prohaska et al.,
 * Pure Appl. Chem. 94 (2022) 573-600, doi:10.1515/pac-2019-0603), with the revisions announced
 * by CIAAW in 2024 for zirconium (91.224(2) -> 91.222(3)), gadolinium (157.25(3) -> 157.249(2))
 * and lutetium (174.9668(1) -> 174.96669(5)).
 *
 * - `weight` is the standard atomic weight; `uncertainty` its standard uncertainty (the number
 *   in brackets in the CIAAW table, in units of the last digit, written out here as an absolute value).
 * - For the 14 elements whose standard atomic weight is an interval (H, Li, B, C, N, O, Mg, Si,
 *   S, Cl, Ar, Br, Tl, Pb) `interval` holds it and `weight` is the CIAAW conventional atomic
 *   weight. Argon (2017) and lead (2021) became intervals recently; older tables list 39.948 and
 *   207.2(1).
 * - Elements with no stable isotope of characteristic terrestrial composition (Tc, Pm, Po-Ac and
 *   Z >= 93) have no standard atomic weight: `weight` is null and a caller must supply a mass.
 *   Th, Pa and U do have standard atomic weights.
 */
import type { ElementData } from './types.js';

export const ATOMIC_WEIGHTS_SOURCE =
  'CIAAW 2021 standard atomic weights (Pure Appl. Chem. 94, 573 (2022)), with the 2024 revisions of Zr, Gd, Lu';

type Row = readonly [symbol: string, name: string, weight: number | null, uncertainty?: number];
type IntervalRow = readonly [
  symbol: string,
  name: string,
  conventional: number,
  low: number,
  high: number,
];

// One row per element, in order of Z. Interval rows have five entries.
const ROWS: readonly (Row | IntervalRow)[] = [
  ['H', 'hydrogen', 1.008, 1.00784, 1.00811],
  ['He', 'helium', 4.002602, 0.000002],
  ['Li', 'lithium', 6.94, 6.938, 6.997],
  ['Be', 'beryllium', 9.0121831, 0.0000005],
  ['B', 'boron', 10.81, 10.806, 10.821],
  ['C', 'carbon', 12.011, 12.0096, 12.0116],
  ['N', 'nitrogen', 14.007, 14.00643, 14.00728],
  ['O', 'oxygen', 15.999, 15.99903, 15.99977],
  ['F', 'fluorine', 18.998403162, 0.000000005],
  ['Ne', 'neon', 20.1797, 0.0006],
  ['Na', 'sodium', 22.98976928, 0.00000002],
  ['Mg', 'magnesium', 24.305, 24.304, 24.307],
  ['Al', 'aluminium', 26.9815384, 0.0000003],
  ['Si', 'silicon', 28.085, 28.084, 28.086],
  ['P', 'phosphorus', 30.973761998, 0.000000005],
  ['S', 'sulfur', 32.06, 32.059, 32.076],
  ['Cl', 'chlorine', 35.45, 35.446, 35.457],
  ['Ar', 'argon', 39.95, 39.792, 39.963],
  ['K', 'potassium', 39.0983, 0.0001],
  ['Ca', 'calcium', 40.078, 0.004],
  ['Sc', 'scandium', 44.955907, 0.000004],
  ['Ti', 'titanium', 47.867, 0.001],
  ['V', 'vanadium', 50.9415, 0.0001],
  ['Cr', 'chromium', 51.9961, 0.0006],
  ['Mn', 'manganese', 54.938043, 0.000002],
  ['Fe', 'iron', 55.845, 0.002],
  ['Co', 'cobalt', 58.933194, 0.000003],
  ['Ni', 'nickel', 58.6934, 0.0004],
  ['Cu', 'copper', 63.546, 0.003],
  ['Zn', 'zinc', 65.38, 0.02],
  ['Ga', 'gallium', 69.723, 0.001],
  ['Ge', 'germanium', 72.63, 0.008],
  ['As', 'arsenic', 74.921595, 0.000006],
  ['Se', 'selenium', 78.971, 0.008],
  ['Br', 'bromine', 79.904, 79.901, 79.907],
  ['Kr', 'krypton', 83.798, 0.002],
  ['Rb', 'rubidium', 85.4678, 0.0003],
  ['Sr', 'strontium', 87.62, 0.01],
  ['Y', 'yttrium', 88.905838, 0.000002],
  ['Zr', 'zirconium', 91.222, 0.003],
  ['Nb', 'niobium', 92.90637, 0.00001],
  ['Mo', 'molybdenum', 95.95, 0.01],
  ['Tc', 'technetium', null],
  ['Ru', 'ruthenium', 101.07, 0.02],
  ['Rh', 'rhodium', 102.90549, 0.00002],
  ['Pd', 'palladium', 106.42, 0.01],
  ['Ag', 'silver', 107.8682, 0.0002],
  ['Cd', 'cadmium', 112.414, 0.004],
  ['In', 'indium', 114.818, 0.001],
  ['Sn', 'tin', 118.71, 0.007],
  ['Sb', 'antimony', 121.76, 0.001],
  ['Te', 'tellurium', 127.6, 0.03],
  ['I', 'iodine', 126.90447, 0.00003],
  ['Xe', 'xenon', 131.293, 0.006],
  ['Cs', 'caesium', 132.90545196, 0.00000006],
  ['Ba', 'barium', 137.327, 0.007],
  ['La', 'lanthanum', 138.90547, 0.00007],
  ['Ce', 'cerium', 140.116, 0.001],
  ['Pr', 'praseodymium', 140.90766, 0.00001],
  ['Nd', 'neodymium', 144.242, 0.003],
  ['Pm', 'promethium', null],
  ['Sm', 'samarium', 150.36, 0.02],
  ['Eu', 'europium', 151.964, 0.001],
  ['Gd', 'gadolinium', 157.249, 0.002],
  ['Tb', 'terbium', 158.925354, 0.000007],
  ['Dy', 'dysprosium', 162.5, 0.001],
  ['Ho', 'holmium', 164.930329, 0.000005],
  ['Er', 'erbium', 167.259, 0.003],
  ['Tm', 'thulium', 168.934219, 0.000005],
  ['Yb', 'ytterbium', 173.045, 0.01],
  ['Lu', 'lutetium', 174.96669, 0.00005],
  ['Hf', 'hafnium', 178.486, 0.006],
  ['Ta', 'tantalum', 180.94788, 0.00002],
  ['W', 'tungsten', 183.84, 0.01],
  ['Re', 'rhenium', 186.207, 0.001],
  ['Os', 'osmium', 190.23, 0.03],
  ['Ir', 'iridium', 192.217, 0.002],
  ['Pt', 'platinum', 195.084, 0.009],
  ['Au', 'gold', 196.96657, 0.000004],
  ['Hg', 'mercury', 200.592, 0.003],
  ['Tl', 'thallium', 204.38, 204.382, 204.385],
  ['Pb', 'lead', 207.2, 206.14, 207.94],
  ['Bi', 'bismuth', 208.9804, 0.00001],
  ['Po', 'polonium', null],
  ['At', 'astatine', null],
  ['Rn', 'radon', null],
  ['Fr', 'francium', null],
  ['Ra', 'radium', null],
  ['Ac', 'actinium', null],
  ['Th', 'thorium', 232.0377, 0.0004],
  ['Pa', 'protactinium', 231.03588, 0.00001],
  ['U', 'uranium', 238.02891, 0.00003],
  ['Np', 'neptunium', null],
  ['Pu', 'plutonium', null],
  ['Am', 'americium', null],
  ['Cm', 'curium', null],
  ['Bk', 'berkelium', null],
  ['Cf', 'californium', null],
  ['Es', 'einsteinium', null],
  ['Fm', 'fermium', null],
  ['Md', 'mendelevium', null],
  ['No', 'nobelium', null],
  ['Lr', 'lawrencium', null],
  ['Rf', 'rutherfordium', null],
  ['Db', 'dubnium', null],
  ['Sg', 'seaborgium', null],
  ['Bh', 'bohrium', null],
  ['Hs', 'hassium', null],
  ['Mt', 'meitnerium', null],
  ['Ds', 'darmstadtium', null],
  ['Rg', 'roentgenium', null],
  ['Cn', 'copernicium', null],
  ['Nh', 'nihonium', null],
  ['Fl', 'flerovium', null],
  ['Mc', 'moscovium', null],
  ['Lv', 'livermorium', null],
  ['Ts', 'tennessine', null],
  ['Og', 'oganesson', null],
];

function toElement(row: Row | IntervalRow, index: number): ElementData {
  const z = index + 1;
  if (row.length === 5) {
    const [symbol, name, weight, low, high] = row;
    return Object.freeze({
      z,
      symbol,
      name,
      weight,
      interval: Object.freeze([low, high]) as [number, number],
    });
  }
  const [symbol, name, weight, uncertainty] = row;
  return Object.freeze(
    uncertainty === undefined
      ? { z, symbol, name, weight }
      : { z, symbol, name, weight, uncertainty },
  );
}

export const ELEMENTS: readonly ElementData[] = Object.freeze(ROWS.map(toElement));
