import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellWord } from './shell-word.js';

describe('shellWord', () => {
  it('leaves a plain path alone', () => {
    expect(shellWord('/home/ada/.local/lib/labkit')).toBe('/home/ada/.local/lib/labkit');
  });

  it.each(['/home/ada/My Tools/labkit', "/srv/ada's lib", '/tmp/$HOME/`x`/*'])(
    'quotes %s so that sh reads back the same path',
    (path) => {
      const word = shellWord(path);
      expect(word).not.toBe(path);
      expect(execFileSync('sh', ['-c', `printf %s ${word}`], { encoding: 'utf8' })).toBe(path);
    },
  );
});
