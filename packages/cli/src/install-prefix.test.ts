import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fullInstallCommand, installPrefix } from './install-prefix.js';

const root = mkdtempSync(join(tmpdir(), 'labkit-prefix-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('installPrefix', () => {
  it('finds the --prefix directory from the CLI file inside it', () => {
    const prefix = join(root, 'lib', 'labkit');
    const file = join(prefix, 'node_modules', '@labkit', 'cli', 'dist', 'nn-core.js');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(join(prefix, 'package.json'), '{}');
    expect(installPrefix(file)).toBe(prefix);
    expect(fullInstallCommand(file)).toBe(`npm install --prefix ${prefix} @labkit/cli`);
  });

  it('quotes a prefix with a space so that the command can be pasted', () => {
    const file = '/home/ada/My Tools/node_modules/@labkit/cli/dist/nn-core.js';
    expect(fullInstallCommand(file, () => true)).toBe(
      "npm install --prefix '/home/ada/My Tools' @labkit/cli",
    );
  });

  it('names no directory it cannot vouch for: a global install has no package.json beside', () => {
    const file = join(root, 'global', 'lib', 'node_modules', '@labkit', 'cli', 'dist', 'x.js');
    expect(installPrefix(file)).toBeUndefined();
    expect(fullInstallCommand(file)).toBe(
      'npm install --prefix <the directory labkit was installed into> @labkit/cli',
    );
    expect(installPrefix('/work/labkit/packages/cli/dist/x.js', () => true)).toBeUndefined();
  });
});
