import { summariseGroups } from '../summary/index.js';
import { EpmaInputError } from '../table/errors.js';
import type { Cell, OutputColumn } from '../table/format.js';
import { headerKey } from '../table/headers.js';
import type { RowConverter } from './converter.js';

const SUMMARISED_KINDS = new Set(['at%', 'wt%', 'apfu', 'ratio']);

/**
 * Collects converted rows by the value of a pass-through column and summarises them with the
 * core's `summariseGroups` (mean, sample sd, n). Holds the numeric output values of every row
 * until `table()`, so memory grows with the row count (unlike plain conversion).
 */
export class GroupCollector {
  private readonly groupIndex: number;
  private readonly valueColumns: { name: string; kind: OutputColumn['kind']; outIndex: number }[];
  private readonly rows: { group: string; values: Record<string, number> }[] = [];
  readonly groupHeader: string;

  constructor(converter: RowConverter, groupBy: string, source = 'input') {
    const column = converter.plan.passthrough.find(
      (p) => headerKey(p.header) === headerKey(groupBy),
    );
    if (!column) {
      const names = converter.plan.passthrough.map((p) => `"${p.header}"`).join(', ') || 'none';
      throw new EpmaInputError(
        source,
        1,
        1,
        `--group-by "${groupBy}": expected one of the pass-through columns (${names})`,
      );
    }
    this.groupHeader = column.header;
    this.groupIndex = column.index;
    this.valueColumns = converter.columns.flatMap((c, outIndex) =>
      SUMMARISED_KINDS.has(c.kind) ? [{ name: c.name, kind: c.kind, outIndex }] : [],
    );
  }

  add(record: readonly string[], cells: readonly Cell[]): void {
    const values: Record<string, number> = {};
    for (const { name, outIndex } of this.valueColumns) {
      const v = cells[outIndex];
      if (typeof v === 'number') values[name] = v;
    }
    this.rows.push({ group: record[this.groupIndex] ?? '', values });
  }

  /** The summary table: group, n, then mean and sd of each value column (and its count where some rows lack it). */
  async table(): Promise<{ columns: OutputColumn[]; rows: Cell[][] }> {
    const summaries = await summariseGroups(this.rows);
    const partial = new Set(
      this.valueColumns
        .filter(({ name }) => summaries.some((s) => (s.count[name] ?? 0) !== s.n))
        .map((c) => c.name),
    );
    const columns: OutputColumn[] = [
      { name: this.groupHeader, kind: 'text' },
      { name: 'n', kind: 'count' },
    ];
    for (const { name, kind } of this.valueColumns) {
      columns.push({ name: `${name} mean`, kind }, { name: `${name} sd`, kind });
      if (partial.has(name)) columns.push({ name: `${name} n`, kind: 'count' });
    }
    const rows = summaries.map((s) => {
      const row: Cell[] = [s.group, s.n];
      for (const { name } of this.valueColumns) {
        row.push(s.mean[name] ?? null, s.sd[name] ?? null);
        if (partial.has(name)) row.push(s.count[name] ?? 0);
      }
      return row;
    });
    return { columns, rows };
  }
}
