import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWriteError, outputTarget, SameFileError, writeOutput } from './output.js';

const dir = mkdtempSync(join(tmpdir(), 'epma-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const temps = () => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('describeWriteError', () => {
  it.each([
    ['EACCES', 'cannot write /x/out.csv: permission denied'],
    ['EROFS', 'cannot write /x/out.csv: the file system is read-only'],
    ['ENOSPC', 'cannot write /x/out.csv: the disk is full'],
    ['ENOENT', 'cannot write /x/out.csv: the directory /x does not exist'],
    ['EISDIR', 'cannot write /x/out.csv: it is a directory'],
  ])('%s is one sentence naming the path', (code, message) => {
    const error = Object.assign(new Error(`${code}: raw`), { code, syscall: 'open' });
    expect(describeWriteError(error, '/x/out.csv').message).toBe(message);
  });
});

describe('writeOutput', () => {
  it('removes its temporary file when the conversion fails, and keeps the old file', async () => {
    const out = join(dir, 'old.csv');
    writeFileSync(out, 'old\n');
    await expect(
      writeOutput(out, async (stream) => {
        stream.write('half');
        throw new Error('bad cell');
      }),
    ).rejects.toThrow('bad cell');
    expect(readFileSync(out, 'utf8')).toBe('old\n');
    expect(temps()).toEqual([]);
  });

  it('replaces the target of a symbolic link, even a dangling one, and keeps the link', async () => {
    const link = join(dir, 'dangling.csv');
    symlinkSync('made-later.csv', link);
    await writeOutput(link, async (stream) => {
      stream.write('new\n');
    });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'made-later.csv'), 'utf8')).toBe('new\n');
  });

  it('refuses the input as the output, and a directory', async () => {
    const input = join(dir, 'in.csv');
    writeFileSync(input, 'data\n');
    await expect(outputTarget(input, input)).rejects.toBeInstanceOf(SameFileError);
    await expect(outputTarget(dir)).rejects.toThrow(`cannot write ${dir}: it is a directory`);
    expect(readFileSync(input, 'utf8')).toBe('data\n');
  });

  it('keeps the mode of the file it replaces', async () => {
    const out = join(dir, 'script.csv');
    writeFileSync(out, 'x\n', { mode: 0o640 });
    await writeOutput(out, async (stream) => {
      stream.write('y\n');
    });
    expect(lstatSync(out).mode & 0o777).toBe(0o640);
    expect(existsSync(out)).toBe(true);
  });

  it('follows a relative link from the real directory of a linked directory, as the kernel does', async () => {
    mkdirSync(join(dir, 'real/deep'), { recursive: true });
    symlinkSync(join(dir, 'real/deep'), join(dir, 'shortcut'));
    symlinkSync('../sibling.csv', join(dir, 'real/deep/out.csv'));
    const target = await outputTarget(join(dir, 'shortcut/out.csv'));
    expect(target).toMatchObject({ kind: 'file', path: join(dir, 'real/sibling.csv') });
  });
});

describe.skipIf(process.platform !== 'linux')('outputTarget on descriptor paths (Linux)', () => {
  it.each([
    ['/dev/stdout', 1],
    ['/dev/stderr', 2],
    ['/dev/fd/1', 1],
    ['/proc/self/fd/2', 2],
  ])('%s is this process descriptor %i, written in place, never replaced', async (path, fd) => {
    expect(await outputTarget(path)).toMatchObject({ kind: 'descriptor', fd });
  });

  it('a link to /dev/stdout is descriptor 1 too', async () => {
    const link = join(dir, 'to-stdout');
    symlinkSync('/dev/stdout', link);
    expect(await outputTarget(link)).toMatchObject({ kind: 'descriptor', fd: 1 });
  });

  it('refuses standard input and descriptors Node holds for itself', async () => {
    await expect(outputTarget('/dev/stdin')).rejects.toThrow('it is standard input');
    const internal = readdirSync('/proc/self/fd')
      .map(Number)
      .find(
        (fd) => fd > 2 && !statSync(`/proc/self/fd/${fd}`, { throwIfNoEntry: false })?.isFile(),
      );
    if (internal !== undefined) {
      await expect(outputTarget(`/dev/fd/${internal}`)).rejects.toThrow(
        `descriptor ${internal} is not a file opened for labkit`,
      );
    }
  });
});
