import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { extract, list } from 'tar';

/** The folder the official archive keeps its files in; extraction flattens it away. */
export const ARCHIVE_FOLDER = 'cifar-10-batches-bin';

const ALLOWED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory']);

/** An archive entry that would land outside the target, or is not a plain file or folder. */
export class UnsafeArchiveError extends Error {
  override name = 'UnsafeArchiveError';
}

/** Why an entry must not be extracted, or undefined when it is a plain file or folder inside the target. */
export function unsafeEntryReason(
  path: string,
  type: string,
  linkpath?: string,
): string | undefined {
  if (type === 'SymbolicLink' || type === 'Link') {
    return `is a ${type === 'Link' ? 'hard link' : 'symbolic link'} (to "${linkpath ?? ''}"); links are refused`;
  }
  if (!ALLOWED_TYPES.has(type)) return `has type ${type}; only plain files and folders are allowed`;
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) {
    return 'has an absolute path';
  }
  if (path.split(/[\\/]/).includes('..'))
    return "contains '..' and would land outside the target directory";
  return undefined;
}

/**
 * Lists every entry of a .tar.gz and throws `UnsafeArchiveError` on the first unsafe one (see
 * `unsafeEntryReason`). Returns the entry paths.
 */
export async function inspectArchive(file: string): Promise<string[]> {
  const paths: string[] = [];
  let problem: string | undefined;
  try {
    await list({
      file,
      strict: true,
      onReadEntry(entry) {
        const reason = unsafeEntryReason(entry.path, entry.type, entry.linkpath);
        if (reason && !problem) {
          problem = `${file}: archive entry "${entry.path}" ${reason}; nothing was extracted`;
        }
        paths.push(entry.path);
      },
    });
  } catch (error) {
    throw new Error(`${file}: not a readable .tar.gz archive (${(error as Error).message})`);
  }
  if (problem) throw new UnsafeArchiveError(problem);
  return paths;
}

/**
 * Extracts a .tar.gz that `inspectArchive` accepts into `dir` and returns the folder that holds the
 * data: `dir/cifar-10-batches-bin` when the archive has that folder (as the official one does), so
 * the caller can move that folder into place and flatten the archive's layout, else `dir`.
 */
export async function extractArchive(file: string, dir: string): Promise<string> {
  await inspectArchive(file);
  await extract({
    file,
    cwd: dir,
    strict: true,
    filter: (_path, entry) => 'type' in entry && ALLOWED_TYPES.has(entry.type),
  });
  const folder = join(dir, ARCHIVE_FOLDER);
  return existsSync(folder) && statSync(folder).isDirectory() ? folder : dir;
}
