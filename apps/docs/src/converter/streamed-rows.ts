/**
 * The converted rows on the page's side, as the worker streams them: per chunk, the input lines
 * and the Markdown text of its rows. A row is cut into cells only when it is shown, so receiving
 * 20,000 rows costs the main thread a few dozen strings, not hundreds of thousands.
 */
import { splitRow } from './markdown-table.js';

interface Chunk {
  first: number;
  lines: Int32Array;
  markdown: string;
  /** The chunk's Markdown lines, split on first use. */
  rows?: string[];
}

export class StreamedRows {
  private readonly chunks: Chunk[] = [];
  /** Rows received so far. */
  count = 0;

  /** `order[k]` is the output column shown at position k. */
  constructor(private readonly order: readonly number[]) {}

  add(first: number, lines: Int32Array, markdown: string): void {
    if (first !== this.count)
      throw new Error(`rows out of order: expected row ${this.count}, got ${first}`);
    this.chunks.push({ first, lines, markdown });
    this.count = first + lines.length;
  }

  /** The 1-based input line of data row `row`. */
  line(row: number): number | undefined {
    const chunk = this.chunkOf(row);
    return chunk?.lines[row - chunk.first];
  }

  /** The cells of data row `row` as the Markdown output rounds them, in display order. */
  cells(row: number): string[] {
    const chunk = this.chunkOf(row);
    if (!chunk) return [];
    chunk.rows ??= chunk.markdown.split('\n');
    const cells = splitRow(chunk.rows[row - chunk.first] ?? '');
    return this.order.map((i) => cells[i] ?? '');
  }

  private chunkOf(row: number): Chunk | undefined {
    if (row < 0 || row >= this.count) return undefined;
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.chunks[mid] as Chunk).first <= row) lo = mid;
      else hi = mid - 1;
    }
    return this.chunks[lo];
  }
}
