import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadCifar10 } from '../cifar10.js';
import {
  makeCifarArchive,
  makeCifarFiles,
  serveBytes,
  type TestServer,
  waitForFileSize,
} from '../testing.js';
import type { DownloadProgress } from './download.js';
import { fetchCifar10, fetchTarget } from './fetch-cifar10.js';

const tmp = mkdtempSync(join(tmpdir(), 'labkit-fetch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const archive = makeCifarArchive({ trainPerBatch: 30, test: 20 });
const md5 = createHash('md5').update(archive).digest('hex');
const expectedFiles = makeCifarFiles({ trainPerBatch: 30, test: 20 });
let counter = 0;
const freshTarget = () => join(tmp, `run-${++counter}`, 'cifar10');

function expectCompleteSet(dir: string): void {
  for (const [name, bytes] of expectedFiles) {
    expect(Buffer.compare(readFileSync(join(dir, name)), bytes), name).toBe(0);
  }
}

/** Names next to the target: nothing but the target itself may remain after a successful fetch. */
const siblings = (target: string) => readdirSync(join(target, '..'));

describe('fetchCifar10', () => {
  it('downloads, verifies and extracts the archive flat into the target', async () => {
    server = await serveBytes(archive);
    const target = freshTarget();
    const progress: DownloadProgress[] = [];
    const result = await fetchCifar10({
      dir: target,
      url: server.url,
      md5,
      onProgress: (p) => progress.push({ ...p }),
    });
    expect(result).toEqual({ dir: target, downloaded: true });
    expectCompleteSet(target);
    expect((await loadCifar10(target, 'train')).count).toBe(150);
    expect(siblings(target)).toEqual(['cifar10']);
    expect(progress.at(-1)).toEqual({
      received: archive.length,
      total: archive.length,
      resumedFrom: 0,
    });
  });

  it('does nothing when a complete set is there, and replaces it with force', async () => {
    server = await serveBytes(archive);
    const target = freshTarget();
    await fetchCifar10({ dir: target, url: server.url, md5 });
    writeFileSync(join(target, 'data_batch_2.bin'), new Uint8Array(3073));
    expect(await fetchCifar10({ dir: target, url: server.url, md5 })).toEqual({
      dir: target,
      downloaded: false,
    });
    expect(server.ranges).toHaveLength(1);
    await fetchCifar10({ dir: target, url: server.url, md5, force: true });
    expectCompleteSet(target);
    expect(siblings(target)).toEqual(['cifar10']);
  });

  it('completes a folder that lacks some batch files only with force', async () => {
    server = await serveBytes(archive);
    const target = freshTarget();
    await fetchCifar10({ dir: target, url: server.url, md5 });
    rmSync(join(target, 'data_batch_4.bin'));
    await expect(fetchCifar10({ dir: target, url: server.url, md5 })).rejects.toThrow(
      /exists but lacks data_batch_4\.bin; pass --force/,
    );
    await fetchCifar10({ dir: target, url: server.url, md5, force: true });
    expectCompleteSet(target);
  });

  it('never replaces a folder holding other files, even with force', async () => {
    server = await serveBytes(archive);
    const target = freshTarget();
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'notes.txt'), 'mine');
    for (const force of [false, true]) {
      await expect(fetchCifar10({ dir: target, url: server.url, md5, force })).rejects.toThrow(
        /exists and holds other files \(notes\.txt\); refusing to replace it/,
      );
    }
    expect(readFileSync(join(target, 'notes.txt'), 'utf8')).toBe('mine');
    expect(server.ranges).toHaveLength(0);
  });

  it('fills an existing empty folder', async () => {
    server = await serveBytes(archive);
    const target = freshTarget();
    mkdirSync(target, { recursive: true });
    await fetchCifar10({ dir: target, url: server.url, md5 });
    expectCompleteSet(target);
  });

  it('deletes the download and fails on an MD5 mismatch, leaving no data set', async () => {
    server = await serveBytes(archive);
    const target = freshTarget();
    await expect(fetchCifar10({ dir: target, url: server.url })).rejects.toThrow(
      `MD5 mismatch for ${server.url}: expected c32a1d4ab5d03f1284b67883e8d87530, got ${md5}; the download was deleted`,
    );
    expect(existsSync(target)).toBe(false);
    expect(siblings(target)).toEqual([]);
  });

  it('keeps a truncated download and resumes it with a Range request on the next run', async () => {
    const target = freshTarget();
    server = await serveBytes(archive, {
      truncateFirstAt: 40_000,
      beforeCut: () => waitForFileSize(`${target}.tar.gz.part`, 40_000),
    });
    await expect(fetchCifar10({ dir: target, url: server.url, md5, retries: 0 })).rejects.toThrow(
      /the 40000 bytes received are kept for the next run/,
    );
    expect(existsSync(target)).toBe(false);
    expect(statSync(`${target}.tar.gz.part`).size).toBe(40_000);
    const statuses: string[] = [];
    await fetchCifar10({ dir: target, url: server.url, md5, onStatus: (s) => statuses.push(s) });
    expect(server.ranges).toEqual([undefined, 'bytes=40000-']);
    expect(statuses[1]).toBe('found a partial download (40000 bytes); resuming');
    expectCompleteSet(target);
    expect(siblings(target)).toEqual(['cifar10']);
  });

  it('resumes within one run after a lost connection', async () => {
    const target = freshTarget();
    server = await serveBytes(archive, {
      truncateFirstAt: 12_345,
      beforeCut: () => waitForFileSize(`${target}.tar.gz.part`, 12_345),
    });
    await fetchCifar10({ dir: target, url: server.url, md5 });
    expect(server.ranges).toEqual([undefined, 'bytes=12345-']);
    expectCompleteSet(target);
  });

  it('starts over cleanly when the server ignores Range', async () => {
    const target = freshTarget();
    server = await serveBytes(archive, {
      ignoreRange: true,
      truncateFirstAt: 30_000,
      beforeCut: () => waitForFileSize(`${target}.tar.gz.part`, 30_000),
    });
    const statuses: string[] = [];
    await fetchCifar10({ dir: target, url: server.url, md5, onStatus: (s) => statuses.push(s) });
    expect(server.ranges).toEqual([undefined, 'bytes=30000-']);
    expect(statuses).toContain(
      'starting the download over: the server does not resume (it sent the whole file)',
    );
    expectCompleteSet(target);
  });

  it('uses a complete download left by a run stopped before extraction without asking again', async () => {
    server = await serveBytes(archive);
    const target = freshTarget();
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(`${target}.tar.gz.part`, archive);
    writeFileSync(
      `${target}.tar.gz.part.json`,
      JSON.stringify({ url: server.url, total: archive.length }),
    );
    await fetchCifar10({ dir: target, url: server.url, md5 });
    expect(server.ranges).toEqual([]);
    expectCompleteSet(target);
  });

  it('starts over when the partial file came from another URL', async () => {
    server = await serveBytes(archive);
    const target = freshTarget();
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(`${target}.tar.gz.part`, 'garbage from elsewhere');
    writeFileSync(
      `${target}.tar.gz.part.json`,
      JSON.stringify({ url: 'http://example.invalid/x' }),
    );
    await fetchCifar10({ dir: target, url: server.url, md5 });
    expect(server.ranges).toEqual([undefined]);
    expectCompleteSet(target);
  });

  it('reports an HTTP error status clearly', async () => {
    server = await serveBytes(archive, { status: 404 });
    const target = freshTarget();
    await expect(fetchCifar10({ dir: target, url: server.url, md5 })).rejects.toThrow(
      `HTTP 404 Not Found from ${server.url}`,
    );
    expect(existsSync(target)).toBe(false);
  });

  it.each([
    [
      'a .. path',
      { path: 'cifar-10-batches-bin/../../evil', data: new Uint8Array([1]) },
      /"cifar-10-batches-bin\/\.\.\/\.\.\/evil" contains '\.\.'/,
    ],
    [
      'an absolute path',
      { path: '/tmp/labkit-evil', data: new Uint8Array([1]) },
      /"\/tmp\/labkit-evil" has an absolute path/,
    ],
    [
      'a symlink',
      { path: 'cifar-10-batches-bin/link', type: 'symlink' as const, linkTarget: '/etc/passwd' },
      /"cifar-10-batches-bin\/link" is a symbolic link \(to "\/etc\/passwd"\)/,
    ],
    [
      'a hard link',
      { path: 'cifar-10-batches-bin/hard', type: 'hardlink' as const, linkTarget: '/etc/passwd' },
      /is a hard link/,
    ],
  ])('refuses an archive with %s and extracts nothing', async (_name, entry, message) => {
    const evil = makeCifarArchive({ trainPerBatch: 2, test: 2, extra: [entry] });
    server = await serveBytes(evil);
    const target = freshTarget();
    const evilMd5 = createHash('md5').update(evil).digest('hex');
    await expect(fetchCifar10({ dir: target, url: server.url, md5: evilMd5 })).rejects.toThrow(
      message,
    );
    expect(existsSync(target)).toBe(false);
    expect(existsSync(join(target, '..', '..', 'evil'))).toBe(false);
    expect(existsSync('/tmp/labkit-evil')).toBe(false);
    expect(siblings(target).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('fails when the archive lacks batch files', async () => {
    const { makeTarGz } = await import('../testing.js');
    const partial = makeTarGz([
      { path: 'cifar-10-batches-bin/data_batch_1.bin', data: new Uint8Array(3073) },
    ]);
    server = await serveBytes(partial);
    const target = freshTarget();
    const partialMd5 = createHash('md5').update(partial).digest('hex');
    await expect(fetchCifar10({ dir: target, url: server.url, md5: partialMd5 })).rejects.toThrow(
      /the archive lacks data_batch_2\.bin, data_batch_3\.bin, data_batch_4\.bin, data_batch_5\.bin, test_batch\.bin/,
    );
    expect(existsSync(target)).toBe(false);
  });
});

describe('fetchTarget', () => {
  it('takes --dir, then LABKIT_CIFAR10_DIR, then the cache directory', () => {
    expect(fetchTarget('/a', { LABKIT_CIFAR10_DIR: '/b' })).toBe('/a');
    expect(fetchTarget(undefined, { LABKIT_CIFAR10_DIR: '/b' })).toBe('/b');
    expect(fetchTarget(undefined, { XDG_CACHE_HOME: '/c' })).toBe('/c/labkit/cifar10');
    expect(fetchTarget(undefined, { LABKIT_CIFAR10_DIR: '', XDG_CACHE_HOME: '/c' })).toBe(
      '/c/labkit/cifar10',
    );
  });
});

const gnuTar = spawnSync('tar', ['--version'], { encoding: 'utf8' });
const hasGnuTar = gnuTar.status === 0 && gnuTar.stdout.includes('GNU tar');
if (!hasGnuTar) console.warn('skipping the GNU tar archive test: no GNU tar on PATH');

describe.skipIf(!hasGnuTar)('an archive made by GNU tar, like the official one', () => {
  it('is extracted flat, readme.html and all', async () => {
    const source = join(tmp, 'gnu-src');
    const folder = join(source, 'cifar-10-batches-bin');
    mkdirSync(folder, { recursive: true });
    for (const [name, bytes] of expectedFiles) writeFileSync(join(folder, name), bytes);
    writeFileSync(join(folder, 'readme.html'), '<html></html>');
    const archivePath = join(tmp, 'gnu.tar.gz');
    const made = spawnSync('tar', ['-czf', archivePath, '-C', source, 'cifar-10-batches-bin']);
    expect(made.status).toBe(0);
    const bytes = readFileSync(archivePath);
    server = await serveBytes(bytes);
    const target = freshTarget();
    const gnuMd5 = createHash('md5').update(bytes).digest('hex');
    await fetchCifar10({ dir: target, url: server.url, md5: gnuMd5 });
    expectCompleteSet(target);
    expect(readdirSync(target)).toContain('readme.html');
  });
});
