/** Field delimiter and decimal mark of a delimited text file, detected from its first lines. */
export type Delimiter = ',' | ';' | '\t';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

export interface Dialect {
  delimiter: Delimiter;
  decimalComma: boolean;
}

/** Splits one line on `delimiter`, honouring double quotes (enough for detection, not for parsing). */
function splitLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === delimiter && !quoted) {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

const COMMA_DECIMAL = /^[-+]?\d+,\d+(?:[eE][-+]?\d+)?$/;
const DOT_DECIMAL = /^[-+]?\d*\.\d+(?:[eE][-+]?\d+)?$/;

/**
 * Picks the delimiter whose field count is above one on the header line and agrees with the most
 * data lines (ties go to the order `,` `;` tab); then, for `;` and tab, decides whether numbers use a
 * decimal comma by counting `12,5`-like cells against `12.5`-like ones. `sample` is the start of
 * the file; a final unterminated line is ignored when more lines exist.
 */
export function detectDialect(sample: string, forced: Partial<Dialect> = {}): Dialect {
  const text = sample.replace(/^\uFEFF/, '');
  let lines = text.split(/\r?\n/);
  if (lines.length > 1 && !/\n$/.test(text)) lines = lines.slice(0, -1);
  lines = lines.filter((l) => l.trim() !== '').slice(0, 200);
  const [header = '', ...data] = lines;

  let delimiter: Delimiter = forced.delimiter ?? ',';
  if (!forced.delimiter) {
    let best = -1;
    for (const candidate of DELIMITERS) {
      const width = splitLine(header, candidate).length;
      if (width < 2) continue;
      const agreeing = data.filter((l) => splitLine(l, candidate).length === width).length;
      const score = data.length === 0 ? width : agreeing / data.length + width / 1e6;
      if (score > best) {
        best = score;
        delimiter = candidate;
      }
    }
  }
  if (forced.decimalComma !== undefined) return { delimiter, decimalComma: forced.decimalComma };
  if (delimiter === ',') return { delimiter, decimalComma: false };
  let comma = 0;
  let dot = 0;
  for (const line of data) {
    for (const cell of splitLine(line, delimiter)) {
      const c = cell.trim();
      if (COMMA_DECIMAL.test(c)) comma++;
      else if (DOT_DECIMAL.test(c)) dot++;
    }
  }
  return { delimiter, decimalComma: comma > dot };
}
