/**
 * A path as one word a POSIX shell reads back unchanged, quoted only when it must be: install
 * advice names real directories, which may hold spaces or quotes.
 */
export function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
