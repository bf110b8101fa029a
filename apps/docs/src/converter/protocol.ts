/**
 * Messages between the converter page and its Web Worker. Only plain data crosses: the worker holds
 * the library, the page holds nothing but what it shows.
 */
import type {
  BelowDetectionPolicy,
  BlankPolicy,
  Dialect,
  FormulaSettings,
} from '@labkit/epma-convert';

/** The library options the page offers; all structured-clone safe. */
export interface PageOptions {
  mode: 'atomic' | 'formula';
  belowDetection: BelowDetectionPolicy;
  blanks: BlankPolicy;
  passThrough: string[];
  totalWindow: [number, number];
  decimals?: number;
  formula?: FormulaSettings;
}

export interface ConvertRequest {
  kind: 'convert';
  run: number;
  text: string;
  source: string;
  options: PageOptions;
  /** Rows in the truncated Markdown and LaTeX previews. */
  previewRows: number;
  /** Rows per message streamed back. */
  chunkRows: number;
}

export interface DecodeRequest {
  kind: 'decode';
  run: number;
  bytes: ArrayBuffer;
  source: string;
}

export type WorkerRequest = ConvertRequest | DecodeRequest;

/** Where a result column comes from, for its place on screen: results first, text after. */
export type ColumnRole = 'result' | 'text' | 'flags';

export interface ShownColumn {
  name: string;
  numeric: boolean;
  role: ColumnRole;
}

export interface HeaderMessage {
  kind: 'header';
  run: number;
  /** In display order: composition results and the total, then text columns, then flags. */
  columns: ShownColumn[];
  /** `order[k]`: the output column (as the CLI writes them) shown at position k. */
  order: number[];
  /** The library's warnings about the header (the CLI prints them as `warning:` lines). */
  warnings: string[];
  /** Columns copied through as text, in file order (candidates for a per-row basis). */
  textColumns: string[];
  dialect: Dialect;
}

export interface RowsMessage {
  kind: 'rows';
  run: number;
  /** Index of the first row of this chunk among all data rows. */
  first: number;
  /** 1-based line of each row in the input (transferred). */
  lines: Int32Array;
  /** The rows as Markdown table lines, one per row: the rounding the table shows. */
  markdown: string;
}

/** One summary line the CLI prints after a conversion, with the data rows it concerns. */
export interface RowNote {
  text: string;
  /** Indices of the data rows concerned (0-based, in input order). */
  rows: number[];
}

export interface DoneMessage {
  kind: 'done';
  run: number;
  rowCount: number;
  notes: RowNote[];
  /**
   * The whole outputs as UTF-8 bytes, transferred rather than copied: megabytes of text would
   * otherwise be cloned on the page's main thread at every run. A Blob of them is the download.
   */
  csv: Uint8Array;
  markdown: Uint8Array;
  latex: Uint8Array;
  markdownPreview: string;
  latexPreview: string;
}

export interface DecodedMessage {
  kind: 'decoded';
  run: number;
  text: string;
  /** Set when the encoding was guessed, as the CLI says it on stderr. */
  encodingNote: string;
}

export type FailureKind = 'input' | 'unrecognised' | 'overlap' | 'option' | 'binary' | 'internal';

export interface FailedMessage {
  kind: 'failed';
  run: number;
  failure: FailureKind;
  message: string;
  /** Headers of the columns the error names (unrecognised or overlapping), for one-click fixes. */
  columns: string[];
}

export type WorkerMessage =
  | HeaderMessage
  | RowsMessage
  | DoneMessage
  | DecodedMessage
  | FailedMessage;
