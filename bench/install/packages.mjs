// Shared by bench/install/run.mjs and tests/e2e/packages.test.ts: the publishable packages packed as
// they would be published, and sizes on disk.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const PUBLISHED = ['epma-convert', 'nn-core', 'cli'];

/**
 * `pnpm pack` of each published package of the repository at `root` into `dest` (workspace ranges
 * become versions). Resolves to `{ 'epma-convert': path, 'nn-core': path, cli: path }`.
 */
export function packPublished(root, dest) {
  const tarballs = {};
  for (const name of PUBLISHED) {
    execFileSync('pnpm', ['pack', '--pack-destination', dest], {
      cwd: join(root, 'packages', name),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const file = readdirSync(dest).find((f) => f.startsWith(`labkit-${name}-`));
    if (!file) throw new Error(`pnpm pack wrote no tarball for ${name}`);
    tarballs[name] = join(dest, file);
  }
  return tarballs;
}

/** Bytes in the files under `dir` (what `du --apparent-size` counts). */
export function bytesUnder(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}
