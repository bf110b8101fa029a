/**
 * What a process that ends at once (Ctrl-C, SIGTERM, a broken pipe) does to the run directory it
 * holds, synchronously because it runs just before `process.exit`.
 */
import { readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE } from './run-dir.js';

function lockIsOurs(dir: string): boolean {
  try {
    return Number(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()) === process.pid;
  } catch {
    return false;
  }
}

/** Removes this process's lock of `dir` (a lock of another process stays). */
export function releaseRunDirSync(dir: string): void {
  if (lockIsOurs(dir)) rmSync(join(dir, LOCK_FILE), { force: true });
}

/**
 * Removes `dir` if it holds nothing but this process's lock: a run stopped between creating its
 * directory and writing its first file. Returns whether it did. Anything else in it stays.
 */
export function removeUnstartedRunDirSync(dir: string): boolean {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return false;
  }
  if (entries.some((name) => name !== LOCK_FILE)) return false;
  if (entries.length > 0 && !lockIsOurs(dir)) return false;
  releaseRunDirSync(dir);
  try {
    rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}
