/** Bad input data, located for the user as `file:line:column: what was expected`. */
export class EpmaInputError extends Error {
  override name = 'EpmaInputError';
  constructor(
    readonly source: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${source}:${line}:${column}: ${detail}`);
  }
}

/**
 * The caller's options do not fit the input (an alias or pass-through naming no column, an alias to
 * something labkit cannot read): a configuration error, not bad data.
 */
export class EpmaOptionError extends Error {
  override name = 'EpmaOptionError';
  constructor(
    message: string,
    /**
     * The option at fault (`oxygensColumn`) and what is wrong with its value, when one option is:
     * a command line can then name its own flag (`--oxygens-column "Nope": ...`).
     */
    readonly about?: { option: string; detail: string },
  ) {
    super(message);
  }
}

export interface UnrecognisedColumn {
  index: number;
  header: string;
  reason: string;
  meant?: string;
  notWeightPercent?: boolean;
}

/** Columns that look like composition but are not understood; converting without them would be wrong. */
export class UnrecognisedColumnsError extends EpmaInputError {
  override name = 'UnrecognisedColumnsError';
  constructor(
    source: string,
    line: number,
    /**
     * `meant`: what the header most likely holds (`SiO2` for `SiO2 (Ž¿—Ê%)`), for a suggestion;
     * `notWeightPercent`: the column is understood but holds no wt% (`FeO K-ratio`), so the only
     * fix is to accept leaving it out.
     */
    readonly columns: readonly UnrecognisedColumn[],
  ) {
    const list = columns.map((c) => `"${c.header}" (column ${c.index + 1}: ${c.reason})`);
    const one = columns.length === 1;
    const what = columns.every((c) => c.notWeightPercent)
      ? `${one ? 'a column gives' : `${columns.length} columns give`} an element measured but not as wt%`
      : `${one ? 'a column looks' : `${columns.length} columns look`} like composition but ${one ? 'is' : 'are'} not understood`;
    super(source, line, (columns[0]?.index ?? 0) + 1, `${what}: ${list.join('; ')}`);
  }
}

/**
 * Columns that would count the same thing twice: two columns of one oxide, an oxide and its element,
 * or two oxides of one element without distinct oxidation states. The caller keeps one of them.
 */
export class ColumnsOverlapError extends EpmaInputError {
  override name = 'ColumnsOverlapError';
  constructor(
    source: string,
    line: number,
    readonly columns: readonly { index: number; header: string }[],
    detail: string,
  ) {
    super(source, line, (columns[columns.length - 1]?.index ?? 0) + 1, detail);
  }
}

/** The input's bytes do not decode in the encoding in use. */
export class EpmaDecodeError extends Error {
  override name = 'EpmaDecodeError';
}
