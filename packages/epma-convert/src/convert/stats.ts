/** Counts over a whole conversion, for the summary the CLI prints on stderr. */
export interface RowStats {
  rows: number;
  flaggedRows: number;
  outsideWindow: number;
  totalMismatch: number;
  /** Rows that could not be converted (nothing to convert, or the formula recalculation failed). */
  unconverted: number;
  /** `column -> action -> count`, e.g. `MnO -> below detection set to 0 -> 12`. */
  touched: Map<string, Map<string, number>>;
  touch(column: string, action: string): void;
}

export function createStats(): RowStats {
  const touched = new Map<string, Map<string, number>>();
  return {
    rows: 0,
    flaggedRows: 0,
    outsideWindow: 0,
    totalMismatch: 0,
    unconverted: 0,
    touched,
    touch(column, action) {
      let actions = touched.get(column);
      if (!actions) {
        actions = new Map();
        touched.set(column, actions);
      }
      actions.set(action, (actions.get(action) ?? 0) + 1);
    },
  };
}

/** Human-readable summary lines: one per touched column, then totals. */
export function describeStats(stats: RowStats, window: readonly [number, number]): string[] {
  const lines: string[] = [];
  for (const [column, actions] of stats.touched) {
    lines.push(`${column}: ${[...actions].map(([action, n]) => `${n} ${action}`).join(', ')}`);
  }
  if (stats.outsideWindow)
    lines.push(
      `${stats.outsideWindow} of ${stats.rows} rows have a total outside ${window[0]}-${window[1]} wt%`,
    );
  if (stats.totalMismatch)
    lines.push(
      `${stats.totalMismatch} rows have a Total column that differs from the sum of their cells`,
    );
  if (stats.unconverted)
    lines.push(`${stats.unconverted} rows could not be converted (see their flags)`);
  return lines;
}
