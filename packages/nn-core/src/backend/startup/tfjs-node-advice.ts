import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shellWord } from '../../install/shell-word.js';

/**
 * The directory an npm install put `@labkit/nn-core` under (`<prefix>` of
 * `<prefix>/node_modules/@labkit/nn-core/...`), or undefined when this copy does not sit in a
 * node_modules folder (a workspace checkout).
 */
export function nnCorePrefix(moduleFile: string): string | undefined {
  const marker = `${sep}node_modules${sep}@labkit${sep}nn-core${sep}`;
  const at = moduleFile.lastIndexOf(marker);
  return at > 0 ? moduleFile.slice(0, at) : undefined;
}

/**
 * How to get tfjs-node where this copy of nn-core finds it. Node resolves it from nn-core's own
 * folder upwards, so installing it in the user's current directory does nothing: it is an
 * optional dependency of nn-core, so reinstalling labkit where libtensorflow's download works
 * brings it, or it goes into the prefix nn-core was installed under.
 */
export function tfjsNodeInstallAdvice(moduleFile: string = fileURLToPath(import.meta.url)): string {
  const prefix = nnCorePrefix(moduleFile);
  const samePrefix = prefix
    ? `npm install --prefix ${shellWord(prefix)} @tensorflow/tfjs-node@4.22.0`
    : 'install @tensorflow/tfjs-node@4.22.0 next to @labkit/nn-core';
  return (
    'reinstall labkit on a machine where that download works (npm install -g @labkit/cli, as ' +
    `tfjs-node is an optional dependency of @labkit/nn-core), or ${samePrefix}`
  );
}
