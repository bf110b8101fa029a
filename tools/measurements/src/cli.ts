#!/usr/bin/env node
/**
 * `pnpm figures`: rewrites every figure in the README, the docs and the CLI's generated module
 * from results/measurements.json. `--check` only reports files that are out of date (exit 1).
 * `record FILE.json` adds or replaces one measurement in the record, then rewrites the figures.
 * `from-run RUN_DIR ID "COMMAND" "WHAT" ["LOAD"]` records a finished training run the same way.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measurementFromRun } from './from-run.js';
import { figureTargets, RECORD_PATH } from './targets.js';
import { currentMachine, readRecord, upsertMeasurement, writeFileAtomic } from './update.js';

// Compiled to tools/measurements/dist/cli.js: the repository is three folders up.
const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

function sync(check: boolean): number {
  const record = readRecord(join(repoRoot, RECORD_PATH));
  let stale = 0;
  for (const target of figureTargets(repoRoot, record)) {
    const path = join(repoRoot, target.path);
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {}
    if (current === target.expected) continue;
    stale++;
    if (check) console.error(`out of date: ${target.path} (run pnpm figures)`);
    else {
      writeFileAtomic(path, target.expected);
      console.log(`figures: rewrote ${target.path}`);
    }
  }
  return check && stale > 0 ? 1 : 0;
}

function main(args: readonly string[]): number {
  const [command, file, id, runCommand, what, load] = args;
  if (command === 'record' && file) {
    const entry = JSON.parse(readFileSync(file, 'utf8'));
    upsertMeasurement(join(repoRoot, RECORD_PATH), entry);
    console.log(`figures: recorded ${entry.id} in ${RECORD_PATH}`);
    return sync(false);
  }
  if (command === 'from-run' && file && id && runCommand && what) {
    const run = JSON.parse(readFileSync(join(file, 'run.json'), 'utf8'));
    const here = currentMachine(1);
    const entry = measurementFromRun(run, file, {
      id,
      what,
      command: runCommand,
      load: load ?? 'not recorded',
      cpu: here.cpu,
      cores: here.cores,
    });
    upsertMeasurement(join(repoRoot, RECORD_PATH), entry);
    console.log(`figures: recorded ${id} from ${file}/run.json in ${RECORD_PATH}`);
    return sync(false);
  }
  if (command === undefined || command === '--check') return sync(command === '--check');
  console.error(
    'usage: labkit-measurements [--check] | record ENTRY.json | from-run RUN_DIR ID COMMAND WHAT [LOAD]',
  );
  return 2;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(`figures: ${(error as Error).message}`);
  process.exitCode = 1;
}
