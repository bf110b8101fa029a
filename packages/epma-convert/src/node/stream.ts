import type { Writable } from 'node:stream';
import { parse } from 'csv-parse';
import { csvParseError } from '../convert/csv-errors.js';
import {
  type ConvertOptions,
  createRowConverter,
  GroupCollector,
  type RowConverter,
} from '../convert/index.js';
import type { RowStats } from '../convert/stats.js';
import { type Dialect, detectDialect } from '../table/detect.js';
import { createDecoder, type DetectedEncoding, detectEncoding } from '../table/encoding.js';
import { EpmaInputError } from '../table/errors.js';
import { createTableWriter, type OutputFormat, type TableWriter } from '../table/format.js';

export interface StreamConvertOptions extends ConvertOptions {
  format?: OutputFormat;
  decimals?: number;
  dialect?: Partial<Dialect>;
  /** Called about every `progressEvery` rows with the count so far. */
  onProgress?: (rows: number) => void;
  progressEvery?: number;
  /** Called once the encoding is decided, before the header is read (and can fail). */
  onEncoding?: (encoding: DetectedEncoding) => void;
  /** Called once the header is read, before any row: warnings about columns, the detected dialect. */
  onHeader?: (info: {
    warnings: readonly string[];
    dialect: Dialect;
    encoding: DetectedEncoding;
    converter: RowConverter;
  }) => void;
  /** Output per-group mean, sd and n by this pass-through column instead of the rows. */
  groupBy?: string;
  /** Force the input encoding (a TextDecoder label) instead of detecting it. */
  encoding?: string;
  /**
   * Hold the whole output until the conversion succeeded, then write it at once, so a failure
   * leaves nothing that looks complete (default for JSON, Markdown and LaTeX).
   */
  holdOutput?: boolean;
}

export interface StreamConversion {
  stats: RowStats;
  warnings: readonly string[];
  dialect: Dialect;
  encoding: DetectedEncoding;
  /** LaTeX: characters written as `?` for want of a LaTeX form, and how often each was. */
  unmapped: ReadonlyMap<string, number>;
}

/**
 * A conversion that failed after part of its output was written (CSV streamed to a pipe): the
 * cause, and how many data rows the reader has.
 */
export class PartialOutputError extends Error {
  override name = 'PartialOutputError';
  constructor(
    override readonly cause: unknown,
    readonly rowsWritten: number,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** Resolves on 'drain'; rejects when the output fails or closes first (a closed pipe never drains). */
function drained(output: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    if (output.destroyed) {
      reject(output.errored ?? new Error('the output was closed'));
      return;
    }
    const done = (error?: Error) => {
      output.off('drain', onDrain).off('error', onError).off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (error: Error) => done(error);
    const onClose = () => done(output.errored ?? new Error('the output was closed'));
    output.on('drain', onDrain).on('error', onError).on('close', onClose);
  });
}

/** Bytes read before the delimiter and decimal mark are detected. */
const DETECT_BYTES = 64 * 1024;
/** Output is written in pieces of about this many characters. */
const WRITE_CHUNK = 256 * 1024;

/**
 * Streams delimited text through csv-parse, the row converter and a table writer into `output`
 * with flat memory: each input chunk is parsed synchronously and its rows written out, waiting for
 * `drain` whenever the output is behind.
 */
export async function convertStream(
  input: AsyncIterable<Buffer | string>,
  output: Writable,
  options: StreamConvertOptions = {},
): Promise<StreamConversion> {
  const source = options.source ?? 'input';
  const iterator = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < DETECT_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    head.push(chunk);
    headBytes += chunk.length;
  }
  const headBytes0 = Buffer.concat(head);
  const encoding = detectEncoding(headBytes0.subarray(0, DETECT_BYTES), options.encoding);
  options.onEncoding?.(encoding);
  const decoder = createDecoder(encoding, source);
  const dialect = detectDialect(
    new TextDecoder(encoding.encoding).decode(headBytes0.subarray(0, DETECT_BYTES)),
    options.dialect,
  );

  let converter: RowConverter | undefined;
  let writer: TableWriter | undefined;
  let groups: GroupCollector | undefined;
  const writerOptions = options.decimals === undefined ? {} : { decimals: options.decimals };
  let pending = '';
  let failure: unknown;
  const progressEvery = options.progressEvery ?? 100_000;
  let nextProgress = progressEvery;

  const onRecord = (record: string[], line: number): void => {
    if (failure !== undefined) return;
    try {
      if (!converter) {
        converter = createRowConverter(
          record,
          { ...options, source, decimalComma: dialect.decimalComma },
          line,
        );
        options.onHeader?.({ warnings: converter.warnings, dialect, encoding, converter });
        if (options.groupBy !== undefined)
          groups = new GroupCollector(converter, options.groupBy, source);
        else {
          writer = createTableWriter(options.format ?? 'csv', converter.columns, writerOptions);
          pending += writer.begin();
        }
      } else if (groups) {
        groups.add(record, converter.convert(record, line));
      } else {
        pending += (writer as TableWriter).row(converter.convert(record, line));
        pendingRows++;
        if (options.onProgress && converter.stats.rows >= nextProgress) {
          nextProgress += progressEvery;
          options.onProgress(converter.stats.rows);
        }
      }
    } catch (error) {
      failure = error;
    }
  };
  const parser = parse({
    delimiter: dialect.delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
  });
  // A 'data' listener puts the parser in flowing mode with an empty buffer, so each record reaches
  // it synchronously inside write(), while the parser's public `info.lines` is the line the record
  // ends on. This avoids csv-parse's per-record info snapshot (`on_record`/`info: true`), a third
  // of the parsing time.
  parser.on('data', (record: string[]) => onRecord(record, parser.info.lines));
  let parseError: unknown;
  parser.on('error', (error) => {
    parseError ??= error;
  });

  const hold = options.holdOutput ?? (options.format !== undefined && options.format !== 'csv');
  let pendingRows = 0;
  let rowsWritten = 0;
  let wroteAny = false;
  const flush = async (force: boolean) => {
    if (pending.length === 0 || (!force && (hold || pending.length < WRITE_CHUNK))) return;
    const text = pending;
    const rows = pendingRows;
    pending = '';
    pendingRows = 0;
    wroteAny = true;
    if (!output.write(text)) await drained(output);
    rowsWritten += rows;
  };
  const feed = async (chunk: Buffer) => {
    const text = decoder.decode(chunk);
    if (text !== '') parser.write(text);
    if (failure !== undefined) throw failure;
    if (parseError !== undefined) throw csvParseError(parseError, source);
    await flush(false);
  };

  try {
    return await run();
  } catch (error) {
    if (wroteAny) throw new PartialOutputError(error, rowsWritten);
    throw error;
  }

  async function run(): Promise<StreamConversion> {
    for (const chunk of head) await feed(chunk);
    while (!done) {
      const next = await iterator.next();
      if (next.done) break;
      await feed(typeof next.value === 'string' ? Buffer.from(next.value) : next.value);
    }
    const tail = decoder.end();
    if (tail !== '') parser.write(tail);
    if (failure !== undefined) throw failure;
    if (parseError !== undefined) throw csvParseError(parseError, source);
    parser.end();
    await new Promise<void>((resolve) => {
      if (parser.writableFinished) resolve();
      else parser.once('finish', resolve).once('error', () => resolve());
    });
    if (failure !== undefined) throw failure;
    if (parseError !== undefined) throw csvParseError(parseError, source);
    if (!converter)
      throw new EpmaInputError(source, 1, 1, 'expected a header row, the input is empty');
    if (groups) {
      const summary = await groups.table();
      writer = createTableWriter(options.format ?? 'csv', summary.columns, writerOptions);
      pending += writer.begin();
      for (const row of summary.rows) pending += writer.row(row);
      pending += writer.end();
    } else pending += (writer as TableWriter).end();
    await flush(true);
    return {
      stats: converter.stats,
      warnings: converter.warnings,
      dialect,
      encoding,
      unmapped: writer?.unmapped ?? new Map(),
    };
  }
}
