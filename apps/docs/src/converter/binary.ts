/**
 * Tells binary data (an image, a spreadsheet, a zip) from CSV text, so that such input gets one plain
 * sentence instead of a parser's complaint about thousands of garbled "columns".
 */
export class BinaryInputError extends Error {
  override name = 'BinaryInputError';
  constructor(readonly source: string) {
    super(
      `${source} looks like a binary file (an image, a spreadsheet or an archive), not CSV text: export the analysis as CSV and paste or drop that instead.`,
    );
  }
}

/** How much of the input is looked at: binary formats show themselves in their first bytes. */
const HEAD = 65_536;
/** Share of control or undecodable characters above which the text is not text... */
const MAX_ODD_SHARE = 0.02;
/** ...once there are this many: a short CSV ending in a DOS end-of-file mark (^Z) stays text. */
const MIN_ODD = 4;

/**
 * True when the start of `text` holds a NUL character, or more than 2% control characters (other
 * than tab, line feed, carriage return and form feed) or U+FFFD replacement characters (and at least
 * four of them).
 */
export function looksBinary(text: string): boolean {
  const end = Math.min(text.length, HEAD);
  let odd = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return true;
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 12) || code === 0xfffd)
      odd++;
  }
  return odd >= MIN_ODD && odd / end > MAX_ODD_SHARE;
}

/** Throws `BinaryInputError` for binary input. */
export function checkTextual(text: string, source: string): void {
  if (looksBinary(text)) throw new BinaryInputError(source);
}
