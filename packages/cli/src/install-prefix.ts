import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shellWord } from '@labkit/nn-core/config';

/**
 * The `--prefix` directory this CLI was installed into with `npm install --prefix DIR`, found
 * from where its own files sit (`DIR/node_modules/@labkit/cli/...`, with npm's `DIR/package.json`
 * beside). Undefined for a global install or a workspace checkout.
 */
export function installPrefix(
  moduleFile: string,
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  const marker = `${sep}node_modules${sep}@labkit${sep}cli${sep}`;
  const at = moduleFile.lastIndexOf(marker);
  if (at <= 0) return undefined;
  const prefix = moduleFile.slice(0, at);
  return exists(join(prefix, 'package.json')) ? prefix : undefined;
}

/**
 * The command that installs labkit with its optional packages where this copy runs from. A second
 * copy elsewhere (such as `npm install -g`) would leave the user's symlink on this one.
 */
export function fullInstallCommand(
  moduleFile: string = fileURLToPath(import.meta.url),
  exists?: (path: string) => boolean,
): string {
  const prefix = installPrefix(moduleFile, exists);
  const where =
    prefix === undefined ? '<the directory labkit was installed into>' : shellWord(prefix);
  return `npm install --prefix ${where} @labkit/cli`;
}
