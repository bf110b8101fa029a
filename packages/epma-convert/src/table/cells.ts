/**
 * Reading one composition or uncertainty cell: a number (with `.` or `,` as decimal mark) or a
 * below-detection marker. The policy that decides what a marker or a negative becomes lives in
 * `below-detection.ts`; this module only classifies the text.
 */

/** Markers that mean "below the detection limit" or "not determined", compared case-insensitively. */
export const BELOW_DETECTION_MARKERS: readonly string[] = [
  'bdl',
  'b.d.l.',
  'b.d.l',
  'bd',
  'b.d.',
  'n.d.',
  'n.d',
  'nd',
  '-',
  '--',
  '—',
  'lld',
  '<lld',
  '<dl',
  '<d.l.',
  '<lod',
  '<l.o.d.',
  '<mdl',
];

/**
 * Words that mean "not analysed", read like a blank cell (compared case-insensitively): the
 * `--blanks` policy decides what they become, and they are summarised with the blanks.
 */
export const NOT_ANALYSED_MARKERS: readonly string[] = [
  'n.a.',
  'n.a',
  'na',
  'n/a',
  'nan',
  'not analysed',
  'not analyzed',
];

const MARKER_SET = new Set(BELOW_DETECTION_MARKERS);
const NOT_ANALYSED_SET = new Set(NOT_ANALYSED_MARKERS);

export type CellReading =
  /** A finite number, possibly negative. */
  | { kind: 'number'; value: number }
  /** A marker such as `bdl`, or `<0.02` (then `limit` is 0.02). */
  | { kind: 'below'; marker: string; limit?: number }
  /** An empty cell: the element was not analysed in this row (not "below detection"). */
  | { kind: 'blank' }
  | { kind: 'invalid' };

const CODE_0 = 48;
const CODE_9 = 57;

/**
 * Parses a plain decimal number: optional sign, digits, one decimal mark, optional exponent.
 * Returns NaN for anything else (hex, `Infinity`, `1.2.3`, thousands separators, trailing text).
 * `Number()` alone would accept `0x10`, `Infinity` and blank text, hence the guard.
 */
export function parseDecimal(text: string, decimalComma: boolean): number {
  const s = decimalComma ? text.replace(',', '.') : text;
  const n = s.length;
  if (n === 0) return Number.NaN;
  // Guard against forms Number() accepts but a data cell must not hold.
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 /* + */ || c === 45 /* - */) {
    i = 1;
    c = s.charCodeAt(1);
  }
  if (!((c >= CODE_0 && c <= CODE_9) || c === 46) /* digit or . */) return Number.NaN;
  if (n > i + 1 && c === CODE_0) {
    const next = s.charCodeAt(i + 1) | 0x20;
    if (next === 120 /* x */ || next === 98 /* b */ || next === 111 /* o */) return Number.NaN;
  }
  if (decimalComma && s.indexOf(',') !== -1) return Number.NaN;
  const value = Number(s);
  return Number.isFinite(value) ? value : Number.NaN;
}

/**
 * Classifies a cell. Surrounding whitespace is ignored; an empty cell, or one of the
 * `NOT_ANALYSED_MARKERS` (`n.a.`, `N/A`, ...), is `blank` (not analysed).
 */
export function readCell(raw: string, decimalComma: boolean): CellReading {
  const value = parseDecimal(raw, decimalComma);
  if (!Number.isNaN(value)) return { kind: 'number', value };
  const text = raw.trim();
  if (text === '') return { kind: 'blank' };
  if (text !== raw) {
    const trimmed = parseDecimal(text, decimalComma);
    if (!Number.isNaN(trimmed)) return { kind: 'number', value: trimmed };
  }
  // `< LOD` is `<LOD`; `< 0.02` keeps its limit below.
  const lower = text.toLowerCase().replace(/^<\s+(?=[a-z])/, '<');
  if (MARKER_SET.has(lower)) return { kind: 'below', marker: text };
  if (NOT_ANALYSED_SET.has(lower)) return { kind: 'blank' };
  if (lower.charCodeAt(0) === 60 /* < */) {
    const limit = parseDecimal(lower.slice(1).trim(), decimalComma);
    if (!Number.isNaN(limit) && limit >= 0) return { kind: 'below', marker: text, limit };
  }
  return { kind: 'invalid' };
}
