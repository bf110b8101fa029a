/**
 * Pairs each summary line the CLI prints (`describeStats`) with the rows it concerns. The library
 * counts per conversion; watching its counters move row by row tells which rows each count came
 * from, so the page shows the CLI's own lines and never re-derives them.
 */
import { createStats, describeStats, type RowStats } from '@labkit/epma-convert';
import type { RowNote } from './protocol.js';

type Counter = 'outsideWindow' | 'totalMismatch' | 'unconverted';
const COUNTERS: readonly Counter[] = ['outsideWindow', 'totalMismatch', 'unconverted'];

export class RowNoteTracker {
  private readonly seen = new Map<string, number>();
  private readonly byColumn = new Map<string, number[]>();
  private readonly byCounter = new Map<Counter, number[]>();
  private readonly counted: Record<Counter, number> = {
    outsideWindow: 0,
    totalMismatch: 0,
    unconverted: 0,
  };
  private flaggedSoFar = 0;
  private readonly flagged: number[] = [];
  private readonly noted = new Set<number>();

  constructor(private readonly stats: RowStats) {}

  /** Call after the converter has converted data row `row`. */
  after(row: number): void {
    for (const [column, actions] of this.stats.touched) {
      let total = 0;
      for (const n of actions.values()) total += n;
      if (total !== (this.seen.get(column) ?? 0)) {
        this.seen.set(column, total);
        this.push(this.byColumn, column, row);
      }
    }
    for (const counter of COUNTERS) {
      if (this.stats[counter] !== this.counted[counter]) {
        this.counted[counter] = this.stats[counter];
        this.push(this.byCounter, counter, row);
      }
    }
    if (this.stats.flaggedRows !== this.flaggedSoFar) {
      this.flaggedSoFar = this.stats.flaggedRows;
      this.flagged.push(row);
    }
  }

  /**
   * The summary lines in the CLI's order, each with its rows; then, when some flagged rows are in
   * none of them (an Fe3+ clamp, a missing uncertainty), one line listing those.
   */
  notes(window: readonly [number, number]): RowNote[] {
    const notes: RowNote[] = [];
    for (const [column, actions] of this.stats.touched) {
      const only = { ...createStats(), touched: new Map([[column, actions]]) };
      notes.push(...this.lines(only, window, this.byColumn.get(column) ?? []));
    }
    for (const counter of COUNTERS) {
      const only = { ...createStats(), rows: this.stats.rows, [counter]: this.stats[counter] };
      notes.push(...this.lines(only, window, this.byCounter.get(counter) ?? []));
    }
    const rest = this.flagged.filter((row) => !this.noted.has(row));
    if (rest.length > 0)
      notes.push({
        text: `${rest.length} other ${rest.length === 1 ? 'row has' : 'rows have'} flags (see the flags column)`,
        rows: rest,
      });
    return notes;
  }

  private lines(stats: RowStats, window: readonly [number, number], rows: number[]): RowNote[] {
    for (const row of rows) this.noted.add(row);
    return describeStats(stats, window).map((text) => ({ text, rows }));
  }

  private push<K>(map: Map<K, number[]>, key: K, row: number): void {
    const rows = map.get(key);
    if (rows) rows.push(row);
    else map.set(key, [row]);
  }
}
