import type { Composition } from '../composition/types.js';
import { mean, sampleSd } from './moments.js';

export interface GroupSummary {
  group: string;
  /** Rows in the group. */
  n: number;
  /** Per key: mean of the rows that have a finite value for it. */
  mean: Record<string, number>;
  /** Per key: sample standard deviation (n - 1 in the denominator); NaN with fewer than 2 values. */
  sd: Record<string, number>;
  /** Per key: how many rows gave a finite value (less than n where rows lack the key or hold NaN). */
  count: Record<string, number>;
}

/**
 * Mean, sample standard deviation and counts per group, groups in order of first appearance and
 * keys in order of first appearance within each group. A key missing from a row, or NaN there, is
 * left out of that key's statistics (see `count`). With a single value the sample standard
 * deviation is undefined: sd is NaN, never 0.
 */
export async function summariseGroups(
  rows: Iterable<{ group: string; values: Composition }>,
): Promise<GroupSummary[]> {
  const groups = new Map<string, { n: number; columns: Map<string, number[]> }>();
  for (const { group, values } of rows) {
    let g = groups.get(group);
    if (g === undefined) {
      g = { n: 0, columns: new Map() };
      groups.set(group, g);
    }
    g.n++;
    for (const key in values) {
      let column = g.columns.get(key);
      if (column === undefined) {
        column = [];
        g.columns.set(key, column);
      }
      const value = values[key] as number;
      if (Number.isFinite(value)) column.push(value);
    }
  }

  const out: GroupSummary[] = [];
  for (const [group, { n, columns }] of groups) {
    const summary: GroupSummary = { group, n, mean: {}, sd: {}, count: {} };
    for (const [key, column] of columns) {
      summary.count[key] = column.length;
      const center = mean(column);
      summary.mean[key] = center;
      summary.sd[key] = sampleSd(column, center);
    }
    out.push(summary);
  }
  return out;
}
