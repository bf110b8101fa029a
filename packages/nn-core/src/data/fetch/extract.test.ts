import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTarGz } from '../testing.js';
import {
  extractArchive,
  inspectArchive,
  UnsafeArchiveError,
  unsafeEntryReason,
} from './extract.js';

const tmp = mkdtempSync(join(tmpdir(), 'labkit-extract-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
function archiveFile(entries: Parameters<typeof makeTarGz>[0]): string {
  const path = join(tmp, `a${++n}.tar.gz`);
  writeFileSync(path, makeTarGz(entries));
  return path;
}
const bytes = (text: string) => new TextEncoder().encode(text);

describe('unsafeEntryReason', () => {
  it('accepts plain relative files and folders', () => {
    expect(unsafeEntryReason('cifar-10-batches-bin/data_batch_1.bin', 'File')).toBeUndefined();
    expect(unsafeEntryReason('./x/y..z', 'File')).toBeUndefined();
    expect(unsafeEntryReason('x/', 'Directory')).toBeUndefined();
  });

  it.each([
    ['a/../../b', 'File', "contains '..'"],
    ['..', 'Directory', "contains '..'"],
    ['a\\..\\b', 'File', "contains '..'"],
    ['/etc/cron.d/x', 'File', 'absolute path'],
    ['C:/Windows/x', 'File', 'absolute path'],
    ['\\\\server\\share', 'File', 'absolute path'],
    ['dev', 'CharacterDevice', 'type CharacterDevice'],
    ['fifo', 'FIFO', 'type FIFO'],
  ])('refuses %s (%s)', (path, type, reason) => {
    expect(unsafeEntryReason(path, type)).toContain(reason);
  });
});

describe('extractArchive', () => {
  it('returns the cifar-10-batches-bin folder when the archive has one', async () => {
    const file = archiveFile([
      { path: './cifar-10-batches-bin/', type: 'directory' },
      { path: './cifar-10-batches-bin/a.bin', data: bytes('A') },
    ]);
    const dir = mkdtempSync(join(tmp, 'out-'));
    const folder = await extractArchive(file, dir);
    expect(folder).toBe(join(dir, 'cifar-10-batches-bin'));
    expect(readFileSync(join(folder, 'a.bin'), 'utf8')).toBe('A');
  });

  it('returns the target itself for a flat archive', async () => {
    const file = archiveFile([{ path: 'a.bin', data: bytes('B') }]);
    const dir = mkdtempSync(join(tmp, 'out-'));
    expect(await extractArchive(file, dir)).toBe(dir);
    expect(readdirSync(dir)).toEqual(['a.bin']);
  });

  it('writes nothing when any entry is unsafe, even the safe ones before it', async () => {
    const file = archiveFile([
      { path: 'good.bin', data: bytes('ok') },
      { path: 'sub/link', type: 'symlink', linkTarget: '../../outside' },
    ]);
    const dir = mkdtempSync(join(tmp, 'out-'));
    await expect(extractArchive(file, dir)).rejects.toThrow(UnsafeArchiveError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('lists the entries of a safe archive', async () => {
    const file = archiveFile([
      { path: 'x/', type: 'directory' },
      { path: 'x/y', data: bytes('1') },
    ]);
    expect(await inspectArchive(file)).toEqual(['x/', 'x/y']);
  });

  it('reports a corrupt archive', async () => {
    const path = join(tmp, 'corrupt.tar.gz');
    writeFileSync(path, makeTarGz([{ path: 'a', data: bytes('x'.repeat(5000)) }]).subarray(0, 40));
    await expect(inspectArchive(path)).rejects.toThrow(
      /corrupt\.tar\.gz: not a readable \.tar\.gz archive \(.+\)/,
    );
  });
});
