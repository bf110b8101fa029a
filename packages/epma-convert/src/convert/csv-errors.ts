import { EpmaInputError } from '../table/errors.js';

/** What csv-parse attaches to its errors (`CsvError`): a code and where the parser was. */
interface CsvParseFailure {
  code: string;
  message?: string;
  /** The line the parser is on (1-based). */
  lines?: number;
  /** The cell of the record the parser is in (0-based). */
  column?: number;
  /** The cell's text so far (a buffer), for a stray opening quote. */
  field?: { toString(): string };
  /** Cells in this record, and cells expected, for inconsistent records. */
  record?: unknown[];
}

const isCsvParseFailure = (error: unknown): error is CsvParseFailure => {
  const code = (error as { code?: unknown })?.code;
  // csv-parse 7 names most codes CSV_*, but the opening-quote one plain INVALID_OPENING_QUOTE.
  return typeof code === 'string' && /^(CSV_)?[A-Z_]+$/.test(code) && error instanceof Error;
};

/** Cell text shown in a message: short, control characters visible. */
function shown(text: string): string {
  const visible = text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
    /[\u0000-\u001f\u007f]/g,
    (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
  return visible.length > 40 ? `${visible.slice(0, 40)}…` : visible;
}

/** The plain sentence for each csv-parse failure labkit can meet (its `code`, not its message). */
const DETAILS: Record<string, (failure: CsvParseFailure) => string> = {
  INVALID_OPENING_QUOTE: (f) => {
    const before = shown(f.field?.toString() ?? '');
    return `a quote inside an unquoted cell (${before}"…); quote the whole cell and double the quote inside ("${before}""…"), or remove the quote`;
  },
  CSV_INVALID_CLOSING_QUOTE: () =>
    'text follows the closing quote of a quoted cell; a quote inside a quoted cell is written twice ("B x""y"), and the cell ends with the closing quote',
  CSV_QUOTE_NOT_CLOSED: () =>
    'a quoted cell is still open at the end of the input: a closing quote is missing, or a stray quote opened the cell (look above this line)',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: (f) =>
    `this row has ${f.record?.length ?? 'a different number of'} cells, unlike the rows before it`,
  CSV_RECORD_INCONSISTENT_COLUMNS: (f) =>
    `this row has ${f.record?.length ?? 'a different number of'} cells, unlike the header`,
  CSV_MAX_RECORD_SIZE: () =>
    'a row is too long to read (a stray quote may have joined many lines into one cell)',
};
DETAILS.CSV_INVALID_OPENING_QUOTE = DETAILS.INVALID_OPENING_QUOTE as (f: CsvParseFailure) => string;
DETAILS.CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE = DETAILS.CSV_INVALID_CLOSING_QUOTE as (
  f: CsvParseFailure,
) => string;

/**
 * A csv-parse error (stray or unclosed quote, ...) as a located input error:
 * `file:line:column: what is wrong and how to fix it`, the column being the cell's (1-based).
 */
export function csvParseError(error: unknown, source: string): unknown {
  if (!isCsvParseFailure(error)) return error;
  const detail =
    DETAILS[error.code]?.(error) ??
    `malformed CSV: ${(error.message ?? error.code).replace(/^[A-Za-z ]+: /, '')}`;
  return new EpmaInputError(source, error.lines ?? 0, (error.column ?? 0) + 1, detail);
}
