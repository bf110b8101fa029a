import { jsonErrorOffset } from './json-position.js';

/** A file that is not valid JSON; the message names the file, line and column. */
export class JsonFileError extends Error {
  override name = 'JsonFileError';
}

/** Line and column (1-based) of a character offset, for error messages. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * `JSON.parse(text)`, except that a syntax error names `file`, the line and the column, e.g.
 * `runs/a/run.json:3:1: invalid JSON: unexpected end of file`.
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const offset = jsonErrorOffset(text);
    const where = lineColumn(text, offset < 0 ? text.length : offset);
    const found =
      offset < 0 || offset >= text.length ? 'end of file' : JSON.stringify(text[offset]);
    throw new JsonFileError(
      `${file}:${where.line}:${where.column}: invalid JSON: unexpected ${found}`,
    );
  }
}
