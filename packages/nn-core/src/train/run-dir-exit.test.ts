import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE } from './run-dir.js';
import { releaseRunDirSync, removeUnstartedRunDirSync } from './run-dir-exit.js';

const temp = () => mkdtempSync(join(tmpdir(), 'labkit-exit-'));

describe('a run directory when the process ends at once', () => {
  it('removes a directory holding only our lock, or nothing', () => {
    const locked = temp();
    writeFileSync(join(locked, LOCK_FILE), `${process.pid}\n`);
    expect(removeUnstartedRunDirSync(locked)).toBe(true);
    expect(existsSync(locked)).toBe(false);
    const empty = temp();
    expect(removeUnstartedRunDirSync(empty)).toBe(true);
    expect(existsSync(empty)).toBe(false);
  });

  it("keeps a directory with any other file, or another process's lock", () => {
    const started = temp();
    writeFileSync(join(started, LOCK_FILE), `${process.pid}\n`);
    writeFileSync(join(started, 'run.json'), '{}');
    expect(removeUnstartedRunDirSync(started)).toBe(false);
    expect(readdirSync(started).sort()).toEqual([LOCK_FILE, 'run.json'].sort());
    const theirs = temp();
    writeFileSync(join(theirs, LOCK_FILE), `${process.pid + 1}\n`);
    expect(removeUnstartedRunDirSync(theirs)).toBe(false);
    expect(readdirSync(theirs)).toEqual([LOCK_FILE]);
  });

  it('releases only its own lock', () => {
    const dir = temp();
    writeFileSync(join(dir, LOCK_FILE), `${process.pid + 1}\n`);
    releaseRunDirSync(dir);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    writeFileSync(join(dir, LOCK_FILE), `${process.pid}\n`);
    releaseRunDirSync(dir);
    expect(readdirSync(dir)).toEqual([]);
  });
});
