import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  makeCifarArchive,
  serveBytes,
  type TestServer,
  waitForFileSize,
} from '../../packages/nn-core/dist/data/testing.js';
import { type LabkitResult, labkitBin, repoRoot } from './labkit.js';

/** Runs labkit without blocking this process, so the loopback server in this process can answer it. */
function labkitAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<LabkitResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [labkitBin, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (status) => resolveRun({ status, stdout, stderr }));
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'labkit-e2e-fetch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const archive = makeCifarArchive({ trainPerBatch: 40, test: 30 });
const md5 = createHash('md5').update(archive).digest('hex');
const env = { LABKIT_CIFAR10_DIR: '', XDG_CACHE_HOME: join(tmp, 'xdg') };

describe('labkit data fetch cifar10', () => {
  it('downloads with plain progress lines, extracts flat, then finds it complete', async () => {
    const dir = join(tmp, 'a', 'cifar10');
    server = await serveBytes(archive, {
      truncateFirstAt: 50_000,
      beforeCut: () => waitForFileSize(`${dir}.tar.gz.part`, 50_000),
    });
    const r = await labkitAsync(
      ['data', 'fetch', 'cifar10', '--dir', dir, '--url', server.url, '--md5', md5],
      env,
    );
    expect(r.stderr).toContain(`downloading ${server.url}`);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`CIFAR-10 is ready in ${dir}`);
    expect(r.stderr).toMatch(/connection lost after 50000 bytes .*resuming, attempt 2 of 4/);
    expect(server.ranges).toEqual([undefined, 'bytes=50000-']);
    expect(r.stderr).toMatch(/^100\.0% {2}[\d.]+ kB \/ [\d.]+ kB/m);
    expect(r.stderr).not.toContain('\r');
    expect(readdirSync(dir).sort()).toEqual([
      'batches.meta.txt',
      'data_batch_1.bin',
      'data_batch_2.bin',
      'data_batch_3.bin',
      'data_batch_4.bin',
      'data_batch_5.bin',
      'test_batch.bin',
    ]);
    expect(statSync(join(dir, 'data_batch_3.bin')).size).toBe(40 * 3073);
    expect(readdirSync(join(tmp, 'a'))).toEqual(['cifar10']);

    const again = await labkitAsync(
      ['data', 'fetch', 'cifar10', '--dir', dir, '--url', server.url, '--md5', md5],
      env,
    );
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('already complete');
  });

  it('puts the data in LABKIT_CIFAR10_DIR, else in the cache directory', async () => {
    server = await serveBytes(archive);
    const viaEnv = join(tmp, 'env-dir');
    const r1 = await labkitAsync(['data', 'fetch', 'cifar10', '--url', server.url, '--md5', md5], {
      ...env,
      LABKIT_CIFAR10_DIR: viaEnv,
    });
    expect(r1.status).toBe(0);
    expect(existsSync(join(viaEnv, 'test_batch.bin'))).toBe(true);
    const r2 = await labkitAsync(
      ['data', 'fetch', 'cifar10', '--url', server.url, '--md5', md5],
      env,
    );
    expect(r2.status).toBe(0);
    expect(existsSync(join(tmp, 'xdg', 'labkit', 'cifar10', 'data_batch_1.bin'))).toBe(true);
  });

  it('fails with exit code 1 on an MD5 mismatch and leaves no data set', async () => {
    server = await serveBytes(archive);
    const dir = join(tmp, 'b', 'cifar10');
    const r = await labkitAsync(
      ['data', 'fetch', 'cifar10', '--dir', dir, '--url', server.url],
      env,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('MD5 mismatch');
    expect(r.stderr).toContain('expected c32a1d4ab5d03f1284b67883e8d87530');
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses an archive entry that escapes the target', async () => {
    const evil = makeCifarArchive({
      trainPerBatch: 1,
      test: 1,
      extra: [{ path: '../evil', data: new Uint8Array(3) }],
    });
    server = await serveBytes(evil);
    const dir = join(tmp, 'c', 'cifar10');
    const evilMd5 = createHash('md5').update(evil).digest('hex');
    const r = await labkitAsync(
      ['data', 'fetch', 'cifar10', '--dir', dir, '--url', server.url, '--md5', evilMd5],
      env,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/archive entry "\.\.\/evil" contains '\.\.'/);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(join(tmp, 'c', 'evil'))).toBe(false);
  });

  it('rejects bad flags and unknown data sets with exit code 2', async () => {
    const badMd5 = await labkitAsync(['data', 'fetch', 'cifar10', '--md5', 'xyz'], env);
    expect(badMd5.status).toBe(2);
    expect(badMd5.stderr).toContain('--md5 expects 32 hexadecimal digits, got "xyz"');
    const unknown = await labkitAsync(['data', 'fetch', 'mnist'], env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown data set 'mnist'; available: cifar10");
  });
});
