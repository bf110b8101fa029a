import {
  constants,
  createReadStream,
  createWriteStream,
  fstat,
  rmSync,
  type Stats,
  type WriteStream,
} from 'node:fs';
import { access, lstat, mkdtemp, readlink, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { openAtomic } from './atomic-write.js';
import { PartialOutputError } from './stream.js';

/** Writing the output failed; the message is one plain sentence naming the path. */
export class OutputError extends Error {
  override name = 'OutputError';
  constructor(
    readonly path: string,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** `-o` names the input itself (or a link to it): writing would destroy the data. */
export class SameFileError extends OutputError {
  override name = 'SameFileError';
}

const REASONS: Record<string, (path: string) => string> = {
  EACCES: () => 'permission denied',
  EPERM: () => 'permission denied',
  ENOENT: (path) => `the directory ${dirname(path)} does not exist`,
  ENOTDIR: (path) => `${dirname(path)} is not a directory`,
  EROFS: () => 'the file system is read-only',
  ENOSPC: () => 'the disk is full',
  EDQUOT: () => 'the disk quota is exhausted',
  EISDIR: () => 'it is a directory',
  EFBIG: () => 'the file is too large for the file system',
  EIO: () => 'an input/output error occurred on the device',
  EBADF: () => 'no such open file descriptor',
  EPIPE: () => 'the reader closed the pipe',
};

/**
 * One plain sentence for a failed write: `cannot write out.csv: the disk is full`. `written` is
 * the file actually written when `path` is a symbolic link: its directory is the one missing.
 */
export function describeWriteError(error: unknown, path: string, written = path): OutputError {
  if (error instanceof OutputError) return error;
  const e = error as NodeJS.ErrnoException;
  const reason = e.code ? REASONS[e.code]?.(written) : undefined;
  return new OutputError(
    path,
    `cannot write ${path}: ${reason ?? e.message ?? String(error)}`,
    e.code,
  );
}

/** A Node system error raised by the output (not by the conversion or the input). */
function isOutputFailure(error: unknown, paths: readonly string[]): boolean {
  const e = error as NodeJS.ErrnoException;
  return (
    typeof e?.code === 'string' &&
    typeof e.syscall === 'string' &&
    (e.path === undefined || paths.includes(e.path))
  );
}

/**
 * This process's file descriptor that `path` names, if it names one: `/dev/stdout`, `/dev/fd/3`,
 * `/proc/self/fd/1` lead to `/proc/<pid>/fd/<n>` (Linux). Such a path is the descriptor the shell
 * opened (`>> log`), not a file to replace: opening it anew would truncate or replace that file.
 */
async function descriptorOf(path: string): Promise<number | undefined> {
  const parent = await realpath(dirname(path)).catch(() => undefined);
  const owner =
    parent === undefined ? undefined : /^\/proc\/(\d+)(?:\/task\/\d+)?\/fd$/.exec(parent);
  if (!owner || Number(owner[1]) !== process.pid || !/^\d+$/.test(basename(path))) return undefined;
  return Number(basename(path));
}

/** Follows symbolic links one at a time to the file they name, also when it does not exist yet. */
async function followLinks(path: string): Promise<{ path: string; info?: Stats; fd?: number }> {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    const fd = await descriptorOf(current);
    if (fd !== undefined) return { path: current, fd };
    const info = await lstat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw describeWriteError(error, current);
    });
    if (!info?.isSymbolicLink()) return { path: current, ...(info ? { info } : {}) };
    // Relative to the link's real directory, as the kernel resolves it.
    const base = await realpath(dirname(current)).catch(() => dirname(current));
    current = resolve(base, await readlink(current));
  }
  throw new OutputError(path, `cannot write ${path}: too many levels of symbolic links`);
}

export interface OutputTarget {
  /**
   * `file`: a regular (or new) file, replaced atomically. `direct`: FIFO, device or socket, opened
   * and written in place. `descriptor`: an open descriptor of this process (`/dev/stdout`).
   */
  kind: 'file' | 'direct' | 'descriptor';
  /** Where the bytes go: the link's target for a symbolic link. */
  path: string;
  /** Mode of the file being replaced, kept on the new one. */
  mode?: number;
  /** The descriptor written, for `descriptor`. */
  fd?: number;
}

const fstatOf = (fd: number) =>
  new Promise<Stats>((done, fail) =>
    fstat(fd, (error, info) => (error ? fail(error) : done(info))),
  );

/**
 * The files a conversion reads: the input first (`-` for standard input, compared through file
 * descriptor 0), then any other file it reads (a weights table). `-o` onto any of them would
 * destroy it.
 */
export type InputFiles = string | readonly string[];

const inputList = (inputs: InputFiles | undefined): readonly string[] =>
  inputs === undefined ? [] : typeof inputs === 'string' ? [inputs] : inputs;

/** Refuses an output that is a file the conversion reads (same device and inode). */
async function refuseInput(output: Stats, shown: string, inputs: InputFiles | undefined) {
  // A terminal or /dev/null may well be both; a file or FIFO read and written at once cannot.
  if (!output.isFile() && !output.isFIFO()) return;
  for (const [index, inputPath] of inputList(inputs).entries()) {
    const input = await (inputPath === '-' ? fstatOf(0) : stat(inputPath)).catch(() => undefined);
    if (!input || input.dev !== output.dev || input.ino !== output.ino) continue;
    const what =
      index > 0
        ? `a file labkit reads (${inputPath})`
        : inputPath === '-'
          ? 'the input file (read through standard input)'
          : `the input file${shown !== inputPath ? ` (${inputPath})` : ''}`;
    throw new SameFileError(
      shown,
      `refusing to write ${shown}: it is ${what}; choose another output file`,
    );
  }
}

/**
 * Refuses a stream that writes to a file the conversion reads, e.g. stdout redirected onto the
 * input (`labkit epma convert data.csv >> data.csv` would mix the output into the data).
 */
export async function refuseInputAsStream(output: Writable, inputs: InputFiles): Promise<void> {
  const fd = (output as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return;
  const info = await fstatOf(fd).catch(() => undefined);
  if (info) await refuseInput(info, fd === 1 ? 'stdout' : `file descriptor ${fd}`, inputs);
}

/**
 * Decides how to write `path`: refuses a directory and the input file itself (also through a link
 * or a hard link), writes FIFOs and devices directly, and replaces the target of a symbolic link,
 * keeping the link.
 */
export async function outputTarget(path: string, inputs?: InputFiles): Promise<OutputTarget> {
  const { path: target, info, fd } = await followLinks(path);
  if (fd !== undefined) {
    const open = await fstatOf(fd).catch((error) => {
      throw describeWriteError(error, path);
    });
    // Node itself holds pipes, event descriptors and /dev/null from 3 up: beyond stdout and
    // stderr, only a file the shell opened (`7> out.csv`) is surely the user's.
    if (fd === 0 || (fd > 2 && !open.isFile())) {
      throw new OutputError(
        path,
        `cannot write ${path}: ${fd === 0 ? 'it is standard input' : `descriptor ${fd} is not a file opened for labkit`}; give a file name, or leave out -o to write to stdout`,
      );
    }
    await refuseInput(open, path, inputs);
    return { kind: 'descriptor', path: target, fd };
  }
  if (info?.isDirectory()) throw new OutputError(path, `cannot write ${path}: it is a directory`);
  if (info) await refuseInput(info, path, inputs);
  if (info && !info.isFile()) return { kind: 'direct', path: target };
  // A rename would replace a file the user may not write (`chmod a-w`), as `rm` of it would.
  if (info) {
    await access(target, constants.W_OK).catch(() => {
      throw new OutputError(
        path,
        `cannot write ${path}: permission denied (the file is read-only for you)`,
        'EACCES',
      );
    });
  }
  return { kind: 'file', path: target, ...(info ? { mode: info.mode & 0o7777 } : {}) };
}

/**
 * Runs `write` against the output `path`: a regular file is written to a temporary file beside it
 * and renamed into place when `write` resolves (removed on any failure, a signal included); a FIFO
 * or device is written directly. Write failures become one-sentence `OutputError`s; errors of the
 * conversion itself pass through unchanged.
 */
export async function writeOutput<T>(
  path: string,
  write: (stream: WriteStream, target: OutputTarget) => Promise<T>,
  /** The files the conversion reads (`-`: standard input), never written over: see `InputFiles`. */
  inputs?: string | readonly string[],
): Promise<T> {
  const target = await outputTarget(path, inputs);
  if (target.kind !== 'file') {
    const stream =
      target.fd === undefined
        ? createWriteStream(target.path, { flags: 'w' })
        : createWriteStream('', { fd: target.fd, autoClose: false });
    try {
      const result = await write(stream, target);
      stream.end();
      await finished(stream);
      return result;
    } catch (error) {
      stream.destroy();
      if (error instanceof PartialOutputError && isOutputFailure(error.cause, [target.path]))
        throw new PartialOutputError(describeWriteError(error.cause, path), error.rowsWritten);
      throw isOutputFailure(error, [target.path]) ? describeWriteError(error, path) : error;
    }
  }
  let file: ReturnType<typeof openAtomic>;
  try {
    file = openAtomic(target.path, target.mode);
  } catch (error) {
    throw describeWriteError(error, path, target.path);
  }
  untilExit.add(file.tempPath);
  try {
    const result = await write(file.stream, target);
    await file.commit();
    return result;
  } catch (thrown) {
    await file.abort();
    // Nothing of a failed file write is visible (the temporary file is gone): no partial output.
    const error = thrown instanceof PartialOutputError ? thrown.cause : thrown;
    throw isOutputFailure(error, [file.tempPath, target.path])
      ? describeWriteError(error, path, target.path)
      : error;
  } finally {
    untilExit.delete(file.tempPath);
  }
}

/**
 * Runs `write` against a temporary file, then copies it to `output` (left open): output that must
 * appear whole or not at all (a Markdown table on stdout) without holding it in memory. The
 * temporary file is removed whatever happens.
 */
export async function spooled<T>(
  output: Writable,
  write: (stream: WriteStream) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'labkit-'));
  const path = join(dir, 'output');
  // The directory, not only the file: an interrupted run must not leave an empty one behind.
  untilExit.add(dir);
  try {
    const stream = createWriteStream(path);
    let result: T;
    try {
      result = await write(stream);
      stream.end();
      await finished(stream);
    } catch (error) {
      stream.destroy();
      // Nothing of the spool reached the output: no partial output to report.
      throw error instanceof PartialOutputError ? error.cause : error;
    }
    await pipeline(createReadStream(path), output, { end: false });
    return result;
  } finally {
    untilExit.delete(dir);
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Temporary files (and spool directories) of writes under way: removed if the process is
 * interrupted or exits first.
 */
const untilExit = new Set<string>();
const removeTemporaryFiles = () => {
  for (const path of untilExit) {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // Already renamed or removed.
    }
  }
  untilExit.clear();
};
process.once('exit', removeTemporaryFiles);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  const onSignal = () => {
    removeTemporaryFiles();
    process.off(signal, onSignal);
    // Die of the same signal, as if no handler had been installed.
    process.kill(process.pid, signal);
  };
  if (process.listenerCount(signal) === 0) process.on(signal, onSignal);
}
