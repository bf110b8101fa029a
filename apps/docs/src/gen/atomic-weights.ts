import type { ElementData } from '@labkit/epma-convert';
import { escapeText, generatedNotice, table } from './markdown.js';

function weightCell(element: ElementData): string {
  if (element.weight === null) return '—';
  return String(element.weight);
}

/** Writes a small number in plain decimals (0.0000005, not 5e-7), to `decimals` places at most. */
export function plainDecimal(value: number, decimals: number): string {
  const fixed = value.toFixed(Math.min(100, Math.max(0, decimals)));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

function decimalsOf(value: number): number {
  return String(value).split('.')[1]?.length ?? 0;
}

function spreadCell(element: ElementData): string {
  if (element.interval) return `interval [${element.interval[0]}, ${element.interval[1]}]`;
  if (element.uncertainty !== undefined) {
    // CIAAW quotes the uncertainty in units of the value's last digit, so it has at most as many decimals.
    const places = Math.max(decimalsOf(element.weight ?? 0), decimalsOf(element.uncertainty));
    return `± ${plainDecimal(element.uncertainty, places)}`;
  }
  if (element.weight === null) return 'no standard atomic weight: supply a mass';
  return '';
}

/** The atomic-weight page: every element labkit knows, with the source the values come from. */
export function renderAtomicWeights(elements: readonly ElementData[], source: string): string {
  if (elements.length === 0) throw new Error('the element table is empty: nothing to document');
  const withoutWeight = elements.filter((e) => e.weight === null).map((e) => e.symbol);
  const intervals = elements.filter((e) => e.interval).map((e) => e.symbol);
  return [
    generatedNotice('@labkit/epma-convert ELEMENTS and ATOMIC_WEIGHTS_SOURCE'),
    '',
    '# Atomic weights',
    '',
    `**Source:** ${escapeText(source)}.`,
    '',
    `This table is generated from the data every labkit conversion uses, so it always shows the`,
    `values in force. ${elements.length} elements; weights in g/mol.`,
    '',
    `- For the ${intervals.length} elements whose standard atomic weight is an interval`,
    `  (${intervals.join(', ')}), labkit uses the CIAAW conventional value and the table shows the interval.`,
    `- ± is the standard uncertainty CIAAW gives for the value.`,
    `- The ${withoutWeight.length} elements without a standard atomic weight (no stable isotope of`,
    `  characteristic terrestrial composition) are refused in conversions unless you supply a mass:`,
    `  ${withoutWeight.join(', ')}.`,
    '',
    'To use other weights, pass overrides: a JSON object of symbol to mass, for example',
    '`{ "Tc": 97.907 }`, to the library (`AtomicWeights`, `parseWeightOverrides`) or to the CLI',
    '(`--weights file.json` on `labkit epma convert` and `labkit epma formula`).',
    '',
    table(
      ['Z', 'symbol', 'name', 'atomic weight', 'uncertainty or interval'],
      elements.map((e) => [
        String(e.z),
        e.symbol,
        escapeText(e.name),
        weightCell(e),
        spreadCell(e),
      ]),
    ),
    '',
  ].join('\n');
}
