/**
 * Ownership of a run directory: one run per directory, one process at a time, nothing left over
 * from an interrupted write. A new run claims an empty (or new) directory; `force` clears an old
 * labkit run first; a lock file names the process writing it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeFsError, uncreatableBecause } from './fs-errors.js';
import { RUN_DIR_FILES, RUN_JSON } from './run-files.js';

/** Marks the process that is writing a run directory (its pid). */
export const LOCK_FILE = '.labkit-run.lock';

/** A request that cannot be honoured as given (a usage or configuration error: exit code 2). */
export class RunRequestError extends Error {
  override name = 'RunRequestError';
}

/** Another live process is writing the run directory. */
export class RunLockedError extends Error {
  override name = 'RunLockedError';
}

/** `word` quoted for a POSIX shell when it needs quoting. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** The command that continues the run in `runDir`, quoted for a POSIX shell when needed. */
export function resumeCommand(runDir: string): string {
  return `labkit train --resume ${shellQuote(runDir)}`;
}

/** The command that evaluates the weights of the last checkpoint of the run in `runDir`. */
export function lastCheckpointEvalCommand(runDir: string): string {
  return `labkit eval ${shellQuote(runDir)} --checkpoint last`;
}

/** Temporary files of `writeFileAtomic` (`.<name>.<pid>.<hex>.tmp`). */
export const TEMP_FILE = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

function isLabkitFile(name: string): boolean {
  return name === LOCK_FILE || TEMP_FILE.test(name) || RUN_DIR_FILES.has(name);
}

function isTrainRun(dir: string): boolean {
  try {
    return JSON.parse(readFileSync(join(dir, RUN_JSON), 'utf8')).labkit === 'train-run';
  } catch {
    return false;
  }
}

/**
 * Checks, without changing anything, that a new run may use `dir`: it can be created there (no
 * file in the way, writable), no live process is writing it, and it does not exist, is empty, or
 * (with `force`) holds only a labkit run that will be deleted. With `unique` (a default name that
 * moves to `dir-2`, ... when taken) only the location is checked. Throws {@link RunRequestError}
 * (or {@link RunLockedError}).
 */
export function checkNewRunDir(dir: string, force = false, unique = false): void {
  const why = uncreatableBecause(dir);
  if (why) throw new RunRequestError(`--out ${dir}: ${why}; choose another --out`);
  if (unique || !existsSync(dir)) return;
  checkNotLocked(dir);
  // A lock and temp files alone are what a run killed while starting leaves: nothing to keep.
  const entries = readdirSync(dir).filter((name) => name !== LOCK_FILE && !TEMP_FILE.test(name));
  if (entries.length === 0) return;
  const foreign = entries.filter((name) => !isLabkitFile(name));
  const run = isTrainRun(dir);
  if (foreign.length > 0) {
    const held = `${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}`;
    // A run directory the user added files to is theirs too: --force would have to delete them.
    throw new RunRequestError(
      run
        ? `--out ${dir} holds a run and files labkit did not write (${held}); labkit never deletes those, so it will not start over there even with --force: move them away first, or choose another --out`
        : `--out ${dir} is not empty and not a labkit run (it holds ${held}); labkit never deletes files it did not write: choose another --out`,
    );
  }
  if (!force) {
    throw new RunRequestError(
      `--out ${dir} already holds a run; continue it with '${resumeCommand(dir)}', ` +
        'choose another --out, or pass --force to delete it and start over',
    );
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When process `pid` started (field 22 of Linux's /proc/PID/stat, in clock ticks since boot);
 * undefined without /proc or when there is no such process. A pid alone is not an identity: pids
 * are reused (after a reboot, pid 1 in every container).
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether process `pid` runs Node.js (a lock without a start time was written by one). */
function runsNode(pid: number): boolean | undefined {
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return /node|labkit/i.test(basename(argv0));
  } catch {
    return undefined;
  }
}

/** The text of a lock: the pid and, where /proc tells it, the process's start time. */
function lockText(): string {
  const started = processStartTime(process.pid);
  return `${process.pid}${started ? ` ${started}` : ''}\n`;
}

/** What a lock file says about its writer: alive (its pid), or why the lock is stale. */
type LockState = { holder: number } | { stale: string };

/**
 * Whether the process that wrote `text` (a lock) still runs: the pid must be alive and, where
 * /proc exists, be the same process (same start time; for a lock without one, a Node.js process).
 */
export function lockState(text: string): LockState {
  const [pidWord, started] = text.trim().split(/\s+/);
  const pid = Number(pidWord);
  if (!Number.isInteger(pid) || pid <= 0) return { stale: 'it names no process' };
  if (pid === process.pid) return { stale: 'it names this process' };
  if (!processAlive(pid)) return { stale: `process ${pid} no longer runs` };
  const now = processStartTime(pid);
  if (now !== undefined) {
    if (started !== undefined ? started !== now : runsNode(pid) === false)
      return { stale: `pid ${pid} now belongs to another process` };
  }
  return { holder: pid };
}

function readLockState(path: string): LockState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return lockState(text);
}

/** The pid of a live process holding the lock of `dir`, if one does (a dead one's lock is stale). */
export function liveWriter(dir: string): number | undefined {
  const state = readLockState(join(dir, LOCK_FILE));
  return state && 'holder' in state ? state.holder : undefined;
}

/** The refusal for a directory whose lock a live process holds, with the way past a stale one. */
function lockedError(dir: string, pid: number): RunLockedError {
  return new RunLockedError(
    `${dir} is being written by another labkit process (pid ${pid}); wait for it to end or stop it first. ` +
      `If you are sure no labkit process writes it, delete the lock file ${join(dir, LOCK_FILE)} and try again`,
  );
}

/** Refuses (with {@link RunLockedError}) a directory a live process is writing; checks only. */
export function checkNotLocked(dir: string): void {
  const pid = liveWriter(dir);
  if (pid !== undefined) throw lockedError(dir, pid);
}

/** A held lock on a run directory; `release` removes the lock file. */
export interface RunDirLease {
  dir: string;
  /** Set when a stale lock was taken over: one line saying whose. */
  takenOver?: string;
  release(): Promise<void>;
}

/**
 * Takes the lock of `dir` (which must exist). A lock left by a process that no longer runs (a
 * kill -9), or whose pid now belongs to another process, is taken over; a live one is a
 * {@link RunLockedError}.
 */
export async function lockRunDir(dir: string): Promise<RunDirLease> {
  const path = join(dir, LOCK_FILE);
  let takenOver: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(lockText());
      await handle.close();
      return {
        dir,
        ...(takenOver ? { takenOver } : {}),
        release: () => rm(path, { force: true }),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw describeFsError(error, path, 'lock the run directory with');
      const state = lockState(await readFile(path, 'utf8').catch(() => ''));
      if ('holder' in state) throw lockedError(dir, state.holder);
      takenOver = `took over the stale lock ${path} (${state.stale})`;
      await rm(path, { force: true });
    }
  }
  throw new RunLockedError(`${dir}: could not take the lock ${path}`);
}

/**
 * Creates (or, with `force`, clears) `dir` for a new run and locks it. Checks with
 * {@link checkNewRunDir} first, so a user's files are never deleted.
 */
export async function claimNewRunDir(dir: string, force = false): Promise<RunDirLease> {
  checkNewRunDir(dir, force);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw describeFsError(error, dir, 'create the run directory');
  }
  const lease = await lockRunDir(dir);
  for (const name of await readdir(dir)) {
    if (name !== LOCK_FILE) await rm(join(dir, name), { recursive: true, force: true });
  }
  return lease;
}

/**
 * Creates a new, empty directory `base` (or `base-2`, `base-3`, ... when it is taken, also by a
 * run started in the same second) and returns its path. Creation is atomic, so two processes can
 * never get the same directory.
 */
export async function createUniqueDir(base: string): Promise<string> {
  try {
    await mkdir(dirname(base), { recursive: true });
  } catch (error) {
    throw describeFsError(error, dirname(base), 'create the directory');
  }
  for (let n = 1; ; n++) {
    const dir = n === 1 ? base : `${base}-${n}`;
    try {
      await mkdir(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw describeFsError(error, dir, 'create the run directory');
    }
  }
}

/**
 * Deletes the temporary files interrupted atomic writes left in `dir` and its `model/`
 * subdirectory; call it while holding the lock. Returns the names removed.
 */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const sub of [dir, join(dir, 'model')]) {
    if (!existsSync(sub)) continue;
    for (const name of await readdir(sub)) {
      if (!TEMP_FILE.test(name)) continue;
      await rm(join(sub, name), { force: true });
      removed.push(sub === dir ? name : `${basename(sub)}/${name}`);
    }
  }
  return removed;
}
