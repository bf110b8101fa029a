/**
 * Reads back a GitHub-flavoured Markdown table (as `@labkit/epma-convert` writes it) into cells, so
 * the converter page shows exactly the rounded numbers the user copies into a report.
 */
export interface ParsedTable {
  header: string[];
  /** True for right-aligned (`---:`) columns, which the writer uses for numbers. */
  numeric: boolean[];
  rows: string[][];
}

/** Splits one `| a | b \| c |` line into trimmed cells, honouring `\|` escapes. */
export function splitRow(line: string): string[] {
  const body = line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\' && body[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell.trim());
  return cells;
}

/** Parses the first table in `markdown`; text before or after it (a caption) is ignored. */
export function parseMarkdownTable(markdown: string): ParsedTable {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim().startsWith('|'));
  if (start < 0) throw new Error('expected a Markdown table, found none');
  const tableLines: string[] = [];
  for (const line of lines.slice(start)) {
    if (!line.trim().startsWith('|')) break;
    tableLines.push(line);
  }
  const [headerLine, separatorLine, ...rowLines] = tableLines;
  const header = splitRow(headerLine ?? '');
  const separator = splitRow(separatorLine ?? '');
  if (separator.length !== header.length || !separator.every((s) => /^:?-+:?$/.test(s))) {
    throw new Error('expected a Markdown table separator line after the header');
  }
  return {
    header,
    numeric: separator.map((s) => s.endsWith(':') && !s.startsWith(':')),
    rows: rowLines.map(splitRow),
  };
}
