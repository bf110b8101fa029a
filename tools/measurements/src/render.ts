import { findQuantity, type MeasurementRecord, type Quantity } from './record.js';

/** A figure reference that cannot be rendered: an unknown style, or operands that do not fit. */
export class FigureExpressionError extends Error {
  override name = 'FigureExpressionError';
}

const STYLES = ['unit', 'bare', 'repeats', 'and'] as const;
type Style = (typeof STYLES)[number];

/** Numbers as they were recorded (no rounding), with thousands separators. */
function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 6 });
}

function withUnit(text: string, quantity: Quantity): string {
  return quantity.unit === '%' ? `${text}%` : `${text} ${quantity.unit}`;
}

function span(values: readonly number[], format: (v: number) => string): string {
  const texts = [...new Set([...values].sort((a, b) => a - b).map(format))];
  return texts.length === 1 ? (texts[0] as string) : `${texts[0]}–${texts.at(-1)}`;
}

/** The values a quantity stands for: its value, the medians of its repeats, or its range's ends. */
function values(quantity: Quantity): number[] {
  if ('value' in quantity) return [quantity.value];
  if ('repeats' in quantity) return quantity.repeats.map((r) => r.median);
  return [...quantity.range];
}

function renderQuantity(quantity: Quantity, style: Style, ref: string): string {
  if (style === 'repeats') {
    if (!('repeats' in quantity)) throw new FigureExpressionError(`${ref}: has no repeats`);
    const text = quantity.repeats
      .map((r) => {
        const spread =
          r.min !== undefined && r.max !== undefined
            ? ` (${formatNumber(r.min)}–${formatNumber(r.max)})`
            : '';
        return `${formatNumber(r.median)}${spread}`;
      })
      .join(' / ');
    return text;
  }
  const text = span(values(quantity), formatNumber);
  return style === 'bare' ? text : withUnit(text, quantity);
}

function formatRatio(value: number): string {
  return value < 10 ? value.toFixed(2) : formatNumber(Math.round(value));
}

/** a/b: pairwise when both have the same number of repeats, else the widest range it can take. */
function renderRatio(a: Quantity, b: Quantity, style: Style): string {
  const top = values(a);
  const bottom = values(b);
  const pairwise = top.length === bottom.length && 'repeats' in a && 'repeats' in b;
  const ratios = pairwise
    ? top.map((t, i) => t / (bottom[i] as number))
    : [Math.min(...top) / Math.max(...bottom), Math.max(...top) / Math.min(...bottom)];
  if (style === 'and') {
    const texts = [...new Set(ratios.map(formatRatio))];
    return texts.join(' and ');
  }
  return span(ratios, formatRatio);
}

function decimalsOf(value: number): number {
  return formatNumber(value).split('.')[1]?.length ?? 0;
}

/** a-b of two single values, at the precision they were recorded with. */
function renderDifference(a: Quantity, b: Quantity, ref: string): string {
  if (!('value' in a) || !('value' in b)) {
    throw new FigureExpressionError(`${ref}: a difference needs two single values`);
  }
  const decimals = Math.max(decimalsOf(a.value), decimalsOf(b.value));
  return (a.value - b.value).toFixed(decimals);
}

function parseStyle(text: string | undefined, expression: string): Style {
  const style = (text ?? 'unit').trim();
  if (!STYLES.includes(style as Style)) {
    throw new FigureExpressionError(
      `"${expression}": unknown style "${style}" (expected ${STYLES.join(', ')})`,
    );
  }
  return style as Style;
}

/**
 * Renders one figure expression: `id.key` (the value with its unit), `id.key:bare` (without),
 * `id.key:repeats` (each repeat's median and spread), `a / b` (a ratio, `:and` lists pairwise
 * ratios), `a - b` (a difference, e.g. accuracy points). No `|`: it would split a table cell.
 */
export function renderFigure(record: MeasurementRecord, expression: string): string {
  const [body = '', styleText] = expression.split(':');
  const style = parseStyle(styleText, expression);
  const ratio = body.split(' / ');
  if (ratio.length === 2) {
    const [a, b] = ratio.map((ref) => findQuantity(record, ref.trim())) as [Quantity, Quantity];
    return renderRatio(a, b, style);
  }
  const difference = body.split(' - ');
  if (difference.length === 2) {
    const [a, b] = difference.map((ref) => findQuantity(record, ref.trim())) as [
      Quantity,
      Quantity,
    ];
    return renderDifference(a, b, expression);
  }
  const ref = body.trim();
  return renderQuantity(findQuantity(record, ref), style, ref);
}
