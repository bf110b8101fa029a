/**
 * A `labkit search` directory as the report shows it: every trial's score at each rung it trained
 * in (and whether successive halving kept it), and what mattered: the first-rung score grouped by
 * each hyperparameter's value.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Rung } from '../recipe/halving.js';
import { SEARCH_FILES, type SearchSettings } from '../recipe/search.js';
import type { TrialParams } from '../recipe/search-space.js';
import type { TrialOutcome } from '../recipe/search-trial.js';

/** A search directory that cannot be read as one. */
export class SearchFilesError extends Error {
  override name = 'SearchFilesError';
}

export interface TrialRow {
  trial: number;
  params: TrialParams;
  /** Outcome per rung trained, rung 0 first. */
  rungs: TrialOutcome[];
  /** Trained in the last rung of the plan (survived every cut). */
  finalist: boolean;
}

export interface ValueGroup {
  value: string;
  trials: number;
  /** Mean and best first-rung validation accuracy of the trials with this value. */
  meanAccuracy: number;
  bestAccuracy: number;
}

export interface SearchView {
  dir: string;
  settings: SearchSettings;
  plan: Rung[];
  /** Best first: by rungs reached, then by the last rung's validation accuracy. */
  trials: TrialRow[];
  bestTrial: number;
  /** Per hyperparameter, its value groups, best mean first. */
  mattered: { parameter: keyof TrialParams; groups: ValueGroup[] }[];
}

interface TrialLine {
  trial: number;
  rung: number;
  params: TrialParams;
  outcome: TrialOutcome;
}

const describeValue = (v: unknown): string => (Array.isArray(v) ? v.join('x') : String(v));

/** Groups of a numeric parameter with many values: one per power of ten. */
function decade(v: number): string {
  if (v === 0) return '0';
  const e = Math.floor(Math.log10(v));
  return `1e${e} to 1e${e + 1}`;
}

function groupBy(rows: readonly TrialRow[], parameter: keyof TrialParams): ValueGroup[] {
  const raw = rows.map((r) => r.params[parameter]);
  const distinct = new Set(raw.map(describeValue));
  const numeric = raw.every((v) => typeof v === 'number');
  const key = (v: unknown) =>
    numeric && distinct.size > 6 ? decade(v as number) : describeValue(v);
  const groups = new Map<string, number[]>();
  for (const row of rows) {
    const accuracy = row.rungs[0]?.valAccuracy;
    if (accuracy === undefined || !Number.isFinite(accuracy)) continue;
    const k = key(row.params[parameter]);
    groups.set(k, [...(groups.get(k) ?? []), accuracy]);
  }
  return [...groups.entries()]
    .map(([value, scores]) => ({
      value,
      trials: scores.length,
      meanAccuracy: scores.reduce((a, b) => a + b, 0) / scores.length,
      bestAccuracy: Math.max(...scores),
    }))
    .sort((a, b) => b.meanAccuracy - a.meanAccuracy);
}

async function readJson<T>(path: string): Promise<T> {
  if (!existsSync(path))
    throw new SearchFilesError(`${path} is missing: not a labkit search directory`);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    throw new SearchFilesError(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

/** Reads `best.json` and `trials.jsonl` of a finished search in `dir`. */
export async function readSearchView(dir: string): Promise<SearchView> {
  if (!existsSync(dir)) throw new SearchFilesError(`${dir} does not exist`);
  const best = await readJson<{ trial: number; settings: SearchSettings; plan: Rung[] }>(
    join(dir, SEARCH_FILES.best),
  );
  const trialsPath = join(dir, SEARCH_FILES.trials);
  if (!existsSync(trialsPath))
    throw new SearchFilesError(`${trialsPath} is missing: not a labkit search directory`);
  const byTrial = new Map<number, TrialRow>();
  (await readFile(trialsPath, 'utf8')).split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let record: TrialLine;
    try {
      record = JSON.parse(line) as TrialLine;
    } catch (error) {
      throw new SearchFilesError(
        `${trialsPath}:${i + 1}: not a JSON object (${(error as Error).message})`,
      );
    }
    if (!Number.isInteger(record.trial) || !Number.isInteger(record.rung) || !record.outcome)
      throw new SearchFilesError(
        `${trialsPath}:${i + 1}: expected trial, rung, params and outcome`,
      );
    const row = byTrial.get(record.trial) ?? {
      trial: record.trial,
      params: record.params,
      rungs: [],
      finalist: false,
    };
    row.rungs[record.rung] = record.outcome;
    byTrial.set(record.trial, row);
  });
  const plan = best.plan;
  const rows = [...byTrial.values()].map((r) => ({
    ...r,
    finalist: r.rungs.length === plan.length,
  }));
  const lastAccuracy = (r: TrialRow) => {
    const a = r.rungs.at(-1)?.valAccuracy;
    return a !== undefined && Number.isFinite(a) ? a : -1;
  };
  rows.sort(
    (a, b) =>
      b.rungs.length - a.rungs.length || lastAccuracy(b) - lastAccuracy(a) || a.trial - b.trial,
  );
  const parameters = Object.keys(rows[0]?.params ?? {}) as (keyof TrialParams)[];
  return {
    dir,
    settings: best.settings,
    plan,
    trials: rows,
    bestTrial: best.trial,
    mattered: parameters
      .map((parameter) => ({ parameter, groups: groupBy(rows, parameter) }))
      .filter((m) => m.groups.length > 1),
  };
}
