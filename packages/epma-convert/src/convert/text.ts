// The browser build bundles its own Buffer, so this module runs unchanged in Node and in browsers.
import { parse } from 'csv-parse/browser/esm/sync';
import { type Dialect, detectDialect } from '../table/detect.js';
import { EpmaInputError } from '../table/errors.js';
import { createTableWriter, type OutputFormat } from '../table/format.js';
import { atomicOutput } from './atomic.js';
import { type ConvertOptions, RowConverter } from './converter.js';
import { csvParseError } from './csv-errors.js';
import { formulaOutput } from './formula.js';
import type { RowStats } from './stats.js';

/** A converter for the given header row, in the mode the options ask for. */
export function createRowConverter(
  headers: readonly string[],
  options: ConvertOptions = {},
  headerLine = 1,
): RowConverter {
  return new RowConverter(
    headers,
    options.mode === 'formula' ? formulaOutput : atomicOutput,
    options,
    headerLine,
  );
}

export interface TextConvertOptions extends ConvertOptions {
  format?: OutputFormat;
  decimals?: number;
  /** Force the delimiter or decimal mark instead of detecting them. */
  dialect?: Partial<Dialect>;
}

export interface TextConversion {
  output: string;
  warnings: readonly string[];
  stats: RowStats;
  dialect: Dialect;
}

/** One parsed data line: its cells and the 1-based line number where it ends in the text. */
export interface TextRecord {
  record: string[];
  info: { lines: number };
}

/** A CSV text parsed and its header read: rows ready to be converted one at a time. */
export interface PreparedText {
  converter: RowConverter;
  rows: TextRecord[];
  dialect: Dialect;
}

/**
 * Parses a whole CSV text and reads its header into a row converter, without converting a row:
 * `convertText` runs it to the end, a caller that shows progress (a browser worker) in chunks.
 */
export function prepareText(text: string, options: TextConvertOptions = {}): PreparedText {
  const source = options.source ?? 'input';
  const dialect = detectDialect(text.slice(0, 65536), options.dialect);
  let records: TextRecord[];
  try {
    records = parse(text, {
      delimiter: dialect.delimiter,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as TextRecord[];
  } catch (error) {
    throw csvParseError(error, source);
  }
  const [header, ...rows] = records;
  if (!header) throw new EpmaInputError(source, 1, 1, 'expected a header row, the input is empty');
  const converter = createRowConverter(
    header.record,
    { ...options, source, decimalComma: dialect.decimalComma },
    header.info.lines,
  );
  return { converter, rows, dialect };
}

/**
 * Converts a whole CSV text in memory (browser-safe; Node streams large files through
 * `@labkit/epma-convert/node` instead).
 */
export function convertText(text: string, options: TextConvertOptions = {}): TextConversion {
  const { converter, rows, dialect } = prepareText(text, options);
  const writer = createTableWriter(
    options.format ?? 'csv',
    converter.columns,
    options.decimals === undefined ? {} : { decimals: options.decimals },
  );
  let output = writer.begin();
  for (const { record, info } of rows) output += writer.row(converter.convert(record, info.lines));
  output += writer.end();
  return { output, warnings: converter.warnings, stats: converter.stats, dialect };
}
