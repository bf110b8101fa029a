import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** A file operation of a run failed; the message names the path and the cause in plain words. */
export class RunFileError extends Error {
  override name = 'RunFileError';
  constructor(
    message: string,
    /** The errno code (`ENOSPC`, `EACCES`, ...), when there was one. */
    readonly code: string | undefined,
    readonly path: string,
  ) {
    super(message);
  }
}

/** The nearest ancestor of `path` that exists (the path itself when it does). */
function nearestExisting(path: string): string {
  let dir = path;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Why `dir` (an existing directory) cannot be written, or undefined when it can. */
function unwritableBecause(dir: string): string | undefined {
  try {
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EROFS') return `${dir} is on a read-only file system`;
    return `${dir} is not writable (permission denied)`;
  }
}

/**
 * Why a directory cannot be created (or written) at `path`, checked without writing anything: the
 * nearest existing ancestor is a file, read-only or not writable. Undefined when it looks fine.
 */
export function uncreatableBecause(path: string): string | undefined {
  const existing = nearestExisting(path);
  if (!statSync(existing).isDirectory()) return `${existing} is a file, not a directory`;
  return unwritableBecause(existing);
}

/**
 * Turns an fs error into a sentence: what labkit was doing, on which path, and why it failed, e.g.
 * `cannot create the run directory /ro/run: /ro is on a read-only file system`. Errors without an
 * errno code come back unchanged.
 */
export function describeFsError(error: unknown, path: string, doing: string): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (!code || error instanceof RunFileError) return error as Error;
  const cannot = `cannot ${doing} ${path}`;
  let why: string;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      why = unwritableBecause(nearestExisting(path)) ?? 'permission denied';
      break;
    case 'EROFS':
      why = 'the file system is read-only';
      break;
    case 'ENOSPC':
    case 'EDQUOT':
      why = 'the disk is full (or the quota is used up)';
      break;
    case 'ENOTDIR':
      why = `${nearestExisting(path)} is a file, not a directory`;
      break;
    case 'EISDIR':
      why = 'it is a directory, not a file';
      break;
    case 'EEXIST':
      why = 'it already exists';
      break;
    case 'ENOENT': {
      // A recursive mkdir on a read-only mount reports ENOENT; say what is really wrong.
      const existing = nearestExisting(path);
      why =
        unwritableBecause(existing) ?? `${existing === path ? path : dirname(path)} does not exist`;
      break;
    }
    default:
      why = (error as Error).message;
  }
  return new RunFileError(`${cannot}: ${why}`, code, path);
}

/** Runs `work`, rethrowing fs errors as {@link describeFsError} sentences. */
export async function withFsErrors<T>(path: string, doing: string, work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    throw describeFsError(error, path, doing);
  }
}
