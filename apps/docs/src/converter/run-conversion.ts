/**
 * The worker's job, free of worker plumbing so that Node tests run it: converts a CSV text with
 * `@labkit/epma-convert`'s browser entry (the CLI's own row converter and table writers), streams
 * the rounded rows back in chunks, then sends the full CSV, Markdown and LaTeX and the summary.
 */
import {
  type Cell,
  ColumnsOverlapError,
  createTableWriter,
  decodeBytes,
  EpmaDecodeError,
  EpmaInputError,
  EpmaOptionError,
  prepareText,
  type TableWriter,
  UnrecognisedColumnsError,
} from '@labkit/epma-convert';
import { BinaryInputError, checkTextual } from './binary.js';
import { parseMarkdownTable } from './markdown-table.js';
import type {
  ConvertRequest,
  DecodeRequest,
  FailedMessage,
  ShownColumn,
  WorkerMessage,
} from './protocol.js';
import { RowNoteTracker } from './row-notes.js';

export type Post = (message: WorkerMessage, transfer?: Transferable[]) => void;

/** A writer's text for a whole table, and for its first rows only (a valid table on its own). */
class Collected {
  private head: string;
  private preview = '';
  private body: string[] = [];
  private rows = 0;
  constructor(
    private readonly writer: TableWriter,
    private readonly previewRows: number,
  ) {
    this.head = writer.begin();
  }
  /** Writes one converted row; returns its text. */
  add(cells: readonly Cell[]): string {
    const text = this.writer.row(cells);
    this.body.push(text);
    if (++this.rows === this.previewRows) this.preview = this.body.join('');
    return text;
  }
  full(): string {
    return this.head + this.body.join('') + this.writer.end();
  }
  truncated(): string {
    return (
      this.head +
      (this.rows < this.previewRows ? this.body.join('') : this.preview) +
      this.writer.end()
    );
  }
}

/** Display order of the output columns: the mode's results and the total, then text, then flags. */
function displayOrder(passthrough: number, columns: number): number[] {
  const flags = columns - 1;
  const results = Array.from({ length: flags - passthrough }, (_, i) => passthrough + i);
  const text = Array.from({ length: passthrough }, (_, i) => i);
  return [...results, ...text, flags];
}

export function convertRequest(request: ConvertRequest, post: Post): void {
  const { run, options } = request;
  try {
    checkTextual(request.text, request.source);
    const { converter, rows, dialect } = prepareText(request.text, {
      ...options,
      source: request.source,
    });
    const decimals = options.decimals === undefined ? {} : { decimals: options.decimals };
    const csv = new Collected(createTableWriter('csv', converter.columns), 0);
    const markdownWriter = createTableWriter('md', converter.columns, decimals);
    const markdown = new Collected(markdownWriter, request.previewRows);
    const latex = new Collected(
      createTableWriter('latex', converter.columns, decimals),
      request.previewRows,
    );
    const shape = parseMarkdownTable(markdownWriter.begin());
    const passthrough = converter.plan.passthrough.length;
    const order = displayOrder(passthrough, converter.columns.length);
    const columns: ShownColumn[] = order.map((i) => ({
      name: shape.header[i] ?? '',
      numeric: shape.numeric[i] ?? false,
      role: i < passthrough ? 'text' : i === converter.columns.length - 1 ? 'flags' : 'result',
    }));
    post({
      kind: 'header',
      run,
      columns,
      order,
      warnings: [...converter.warnings],
      textColumns: converter.plan.passthrough.map((p) => p.header),
      dialect,
    });
    const notes = new RowNoteTracker(converter.stats);
    let lines: number[] = [];
    let chunk = '';
    let first = 0;
    const send = () => {
      const lineNumbers = Int32Array.from(lines);
      post({ kind: 'rows', run, first, lines: lineNumbers, markdown: chunk }, [lineNumbers.buffer]);
      first += lines.length;
      lines = [];
      chunk = '';
    };
    rows.forEach(({ record, info }, r) => {
      const out = converter.convert(record, info.lines);
      notes.after(r);
      csv.add(out);
      latex.add(out);
      chunk += markdown.add(out);
      lines.push(info.lines);
      if (lines.length === request.chunkRows) send();
    });
    if (lines.length > 0) send();
    const encoder = new TextEncoder();
    const [csvBytes, markdownBytes, latexBytes] = [csv, markdown, latex].map((c) =>
      encoder.encode(c.full()),
    ) as [Uint8Array, Uint8Array, Uint8Array];
    post(
      {
        kind: 'done',
        run,
        rowCount: rows.length,
        notes: notes.notes(options.totalWindow),
        csv: csvBytes,
        markdown: markdownBytes,
        latex: latexBytes,
        markdownPreview: markdown.truncated(),
        latexPreview: latex.truncated(),
      },
      [csvBytes.buffer, markdownBytes.buffer, latexBytes.buffer],
    );
  } catch (error) {
    post(failure(run, error));
  }
}

/** The library's typed errors, as plain data the page shows (one sentence or a located line). */
function failure(run: number, error: unknown): FailedMessage {
  const base = {
    kind: 'failed' as const,
    run,
    message: (error as Error)?.message ?? String(error),
    columns: [],
  };
  if (error instanceof BinaryInputError) return { ...base, failure: 'binary' };
  if (error instanceof UnrecognisedColumnsError)
    return { ...base, failure: 'unrecognised', columns: error.columns.map((c) => c.header) };
  if (error instanceof ColumnsOverlapError)
    return { ...base, failure: 'overlap', columns: error.columns.map((c) => c.header) };
  if (error instanceof EpmaInputError) return { ...base, failure: 'input' };
  if (error instanceof EpmaOptionError || error instanceof EpmaDecodeError)
    return { ...base, failure: 'option' };
  return { ...base, failure: 'internal' };
}

/** Decodes a dropped or chosen file as the CLI does (BOM, UTF-16, UTF-8, else Windows-1252). */
export function decodeRequest(request: DecodeRequest, post: Post): void {
  try {
    const decoded = decodeBytes(new Uint8Array(request.bytes), { source: request.source });
    checkTextual(decoded.text, request.source);
    post({
      kind: 'decoded',
      run: request.run,
      text: decoded.text,
      encodingNote: decoded.fallback
        ? `${request.source} was read as ${decoded.encoding} because ${decoded.reason}.`
        : '',
    });
  } catch (error) {
    post(failure(request.run, error));
  }
}
