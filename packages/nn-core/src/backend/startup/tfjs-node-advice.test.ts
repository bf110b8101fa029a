import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nnCorePrefix, tfjsNodeInstallAdvice } from './tfjs-node-advice.js';

const prefixed = (...parts: string[]) => join('/home/ada/.local/lib/labkit', ...parts);

describe('tfjsNodeInstallAdvice', () => {
  it('names the prefix an npm install put nn-core under', () => {
    const file = prefixed('node_modules/@labkit/nn-core/dist/backend/startup/tfjs-node-advice.js');
    expect(nnCorePrefix(file)).toBe('/home/ada/.local/lib/labkit');
    expect(tfjsNodeInstallAdvice(file)).toContain(
      'npm install --prefix /home/ada/.local/lib/labkit @tensorflow/tfjs-node@4.22.0',
    );
  });

  it('takes the innermost node_modules of a global install (nn-core under the CLI)', () => {
    const file =
      '/usr/lib/node_modules/@labkit/cli/node_modules/@labkit/nn-core/dist/backend/startup/x.js';
    expect(nnCorePrefix(file)).toBe('/usr/lib/node_modules/@labkit/cli');
  });

  it('says to reinstall labkit where the download works, and no prefix outside node_modules', () => {
    const advice = tfjsNodeInstallAdvice('/work/labkit/packages/nn-core/dist/backend/x.js');
    expect(advice).toContain('reinstall labkit on a machine where that download works');
    expect(advice).toContain('npm install -g @labkit/cli');
    expect(advice).not.toContain('--prefix');
  });
});
