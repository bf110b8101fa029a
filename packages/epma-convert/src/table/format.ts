/**
 * Output tables in CSV, JSON, Markdown and LaTeX (booktabs). Every writer streams: `begin()`,
 * then `row()` per row, then `end()`, each returning text to write, so a million rows never sit in
 * memory whatever the format.
 */
import { latexText, UNMAPPED } from './latex.js';

export const OUTPUT_FORMATS = ['csv', 'json', 'md', 'latex'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** What a column holds; numeric kinds decide the default rounding of Markdown and LaTeX. */
export type ColumnKind =
  | 'text'
  | 'at%'
  | 'sigma'
  | 'wt%'
  | 'apfu'
  | 'ratio'
  | 'count'
  | 'weight'
  | 'flags';

export interface OutputColumn {
  name: string;
  kind: ColumnKind;
}

/** A cell: text, a number, empty (null), or a list of flags. */
export type Cell = string | number | null | readonly string[];

export interface TableWriterOptions {
  /** Digits after the decimal point for every number; default full precision (CSV, JSON) or per kind (Markdown, LaTeX). */
  decimals?: number;
  /** A line of provenance, e.g. the atomic-weight source: a JSON-free caption below Markdown and LaTeX tables. */
  caption?: string;
}

export interface TableWriter {
  begin(): string;
  row(cells: readonly Cell[]): string;
  end(): string;
  /** LaTeX: the characters written as `?` for want of a LaTeX form, and how often each was. */
  readonly unmapped?: ReadonlyMap<string, number>;
}

/** Rounding used by the report formats (Markdown, LaTeX) when `--decimals` is not given. */
export const REPORT_DECIMALS: Readonly<Record<ColumnKind, number | undefined>> = {
  text: undefined,
  flags: undefined,
  'at%': 2,
  sigma: 2,
  'wt%': 2,
  apfu: 3,
  ratio: 3,
  count: 0,
  weight: undefined,
};

function formatNumber(value: number, decimals: number | undefined): string {
  // value - value is NaN for NaN and ±Infinity: cheaper than Number.isFinite on the hot path.
  if (value - value !== 0) return '';
  if (decimals === undefined) return value === 0 ? '0' : `${value}`;
  const fixed = value.toFixed(decimals);
  // -0.00 reads as a sign error in a report.
  return /^-0(?:\.0*)?$/.test(fixed) ? fixed.slice(1) : fixed;
}

const cellText = (cell: Cell, decimals: number | undefined): string =>
  cell === null
    ? ''
    : typeof cell === 'number'
      ? formatNumber(cell, decimals)
      : typeof cell === 'string'
        ? cell
        : cell.join('; ');

const NEEDS_CSV_QUOTES = /[",\r\n]/;
export const csvField = (s: string) =>
  NEEDS_CSV_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;

function csvWriter(
  columns: readonly OutputColumn[],
  { decimals }: TableWriterOptions,
): TableWriter {
  return {
    begin: () => `${columns.map((c) => csvField(c.name)).join(',')}\n`,
    row(cells) {
      let line = '';
      for (let i = 0; i < cells.length; i++) {
        const cell = cells[i] ?? null;
        if (i > 0) line += ',';
        line +=
          typeof cell === 'number'
            ? formatNumber(cell, decimals)
            : csvField(cellText(cell, decimals));
      }
      return `${line}\n`;
    },
    end: () => '',
  };
}

function jsonWriter(
  columns: readonly OutputColumn[],
  { decimals }: TableWriterOptions,
): TableWriter {
  const keys = columns.map((c) => `${JSON.stringify(c.name)}:`);
  let first = true;
  return {
    begin: () => '[',
    row(cells) {
      let out = first ? '\n{' : ',\n{';
      first = false;
      for (let i = 0; i < keys.length; i++) {
        const cell = cells[i] ?? null;
        if (i > 0) out += ',';
        out += keys[i];
        if (typeof cell === 'number')
          out += Number.isFinite(cell) ? formatNumber(cell, decimals) : 'null';
        else out += JSON.stringify(cell);
      }
      return `${out}}`;
    },
    end: () => (first ? ']\n' : '\n]\n'),
  };
}

function markdownWriter(
  columns: readonly OutputColumn[],
  { decimals, caption }: TableWriterOptions,
): TableWriter {
  const escapeCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const places = columns.map((c) => decimals ?? REPORT_DECIMALS[c.kind]);
  return {
    begin: () =>
      `| ${columns.map((c) => escapeCell(c.name)).join(' | ')} |\n|${columns.map((c) => (isNumeric(c.kind) ? ' ---: ' : ' --- ')).join('|')}|\n`,
    row: (cells) =>
      `| ${cells.map((cell, i) => escapeCell(cellText(cell, places[i]))).join(' | ')} |\n`,
    end: () => (caption ? `\n${caption}\n` : ''),
  };
}

const isNumeric = (kind: ColumnKind) => kind !== 'text' && kind !== 'flags';

export { latexText } from './latex.js';

function latexWriter(
  columns: readonly OutputColumn[],
  { decimals, caption }: TableWriterOptions,
): TableWriter {
  const places = columns.map((c) => decimals ?? REPORT_DECIMALS[c.kind]);
  const numeric = columns.map((c) => isNumeric(c.kind));
  const unmapped = new Map<string, number>();
  const counter = { add: (ch: string) => unmapped.set(ch, (unmapped.get(ch) ?? 0) + 1) };
  const cell = (value: Cell, i: number) => {
    const text = cellText(value, places[i]);
    return numeric[i] ? text.replace(/^-/, '$-$') : latexText(text, { unmapped: counter });
  };
  return {
    begin: () =>
      [
        '% Needs \\usepackage{booktabs} in the preamble.',
        `\\begin{tabular}{${numeric.map((n) => (n ? 'r' : 'l')).join('')}}`,
        '\\toprule',
        `${columns.map((c) => latexText(c.name, { charges: true, unmapped: counter })).join(' & ')} \\\\`,
        '\\midrule',
        '',
      ].join('\n'),
    row: (cells) => `${cells.map(cell).join(' & ')} \\\\\n`,
    end: () =>
      `\\bottomrule\n\\end{tabular}\n${caption ? `% ${caption.replace(/\n/g, ' ')}\n` : ''}${
        unmapped.size
          ? `% labkit: no LaTeX form for ${[...unmapped.keys()].map((ch) => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`).join(', ')}; written as ${UNMAPPED}\n`
          : ''
      }`,
    unmapped,
  };
}

export function createTableWriter(
  format: OutputFormat,
  columns: readonly OutputColumn[],
  options: TableWriterOptions = {},
): TableWriter {
  switch (format) {
    case 'csv':
      return csvWriter(columns, options);
    case 'json':
      return jsonWriter(columns, options);
    case 'md':
      return markdownWriter(columns, options);
    case 'latex':
      return latexWriter(columns, options);
  }
}

/** Writes a whole table to a string (small tables: elements list, group summaries). */
export function formatTable(
  format: OutputFormat,
  columns: readonly OutputColumn[],
  rows: Iterable<readonly Cell[]>,
  options: TableWriterOptions = {},
): string {
  const writer = createTableWriter(format, columns, options);
  let out = writer.begin();
  for (const row of rows) out += writer.row(row);
  return out + writer.end();
}
