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
