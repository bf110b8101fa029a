import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheDir, locateCifar10 } from './locate.js';
import { Cifar10NotFoundError } from './not-found.js';
import { writeCifarDir } from './testing.js';

const tmp = mkdtempSync(join(tmpdir(), 'labkit-locate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const good = writeCifarDir(join(tmp, 'good'), { trainPerBatch: 1, test: 1 });
const other = writeCifarDir(join(tmp, 'other'), { trainPerBatch: 1, test: 1 });

describe('cacheDir', () => {
  it('uses XDG_CACHE_HOME, else ~/.cache', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toBe(
      '/x/cache/labkit/cifar10',
    );
    expect(cacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/labkit/cifar10');
    expect(cacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' })).toBe(
      '/home/u/.cache/labkit/cifar10',
    );
  });
});

describe('locateCifar10', () => {
  it('prefers --data, then LABKIT_CIFAR10_DIR, then the cache', () => {
    const cacheHome = join(tmp, 'xdg');
    writeCifarDir(join(cacheHome, 'labkit', 'cifar10'), { trainPerBatch: 1, test: 1 });
    expect(locateCifar10({ data: good, env: { LABKIT_CIFAR10_DIR: other } })).toBe(good);
    expect(locateCifar10({ env: { LABKIT_CIFAR10_DIR: other, XDG_CACHE_HOME: cacheHome } })).toBe(
      other,
    );
    expect(locateCifar10({ env: { XDG_CACHE_HOME: cacheHome } })).toBe(
      join(cacheHome, 'labkit', 'cifar10'),
    );
  });

  it('tells the user to fetch the data when nothing is there', () => {
    expect(() => locateCifar10({ env: { XDG_CACHE_HOME: join(tmp, 'empty') } })).toThrow(
      /empty\/labkit\/cifar10 \(the cache directory; no --data given and LABKIT_CIFAR10_DIR unset\) does not exist; run 'labkit data fetch cifar10'/,
    );
  });

  it('does not fall back when an explicit location lacks files', () => {
    const partial = writeCifarDir(join(tmp, 'partial'), { trainPerBatch: 1, test: 1 });
    rmSync(join(partial, 'test_batch.bin'));
    expect(() => locateCifar10({ data: partial, env: { LABKIT_CIFAR10_DIR: good } })).toThrow(
      /partial \(given with --data\) lacks test_batch\.bin; check the path, or run 'labkit data fetch cifar10' to download the data set$/,
    );
    expect(() => locateCifar10({ env: { LABKIT_CIFAR10_DIR: join(tmp, 'nope') } })).toThrow(
      /nope \(from LABKIT_CIFAR10_DIR\) does not exist/,
    );
  });

  it('says a --data that is a file is a file, not a directory', () => {
    const file = join(tmp, 'img.png');
    writeFileSync(file, 'not a directory');
    expect(() => locateCifar10({ data: file })).toThrow(
      /img\.png \(given with --data\) is a file, not a directory/,
    );
  });

  it('throws a typed error naming the directory, so callers need not read the message', () => {
    const nope = join(tmp, 'nope');
    const thrown = (() => {
      try {
        locateCifar10({ data: nope });
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(Cifar10NotFoundError);
    expect((thrown as Cifar10NotFoundError).dir).toBe(nope);
  });
});
