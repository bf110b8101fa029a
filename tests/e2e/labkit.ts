import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const labkitBin = resolve(repoRoot, 'packages/cli/dist/bin.js');

export interface LabkitResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `labkit` binary as a user would, from the repository root by default. */
export function labkit(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): LabkitResult {
  const result = spawnSync(process.execPath, [labkitBin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A run's `metrics.csv` without the wall-clock columns (samples/s, seconds), which vary between runs. */
export function learnedMetrics(runDir: string): string[] {
  return readFileSync(join(runDir, 'metrics.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(',').slice(0, 6).join(','));
}
