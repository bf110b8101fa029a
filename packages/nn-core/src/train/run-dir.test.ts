import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkNewRunDir,
  LOCK_FILE,
  lockRunDir,
  lockState,
  processStartTime,
  RunLockedError,
  RunRequestError,
} from './run-dir.js';

const tmp = mkdtempSync(join(tmpdir(), 'labkit-run-dir-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A directory holding a lock file with `text`. */
function lockedDir(name: string, text: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  writeFileSync(join(dir, LOCK_FILE), text);
  return dir;
}

const hasProc = existsSync('/proc/self/stat');

describe.runIf(hasProc)('the run lock names its process, not just a pid', () => {
  // A live process that is not labkit (not even Node): its pid is what a reused pid looks like.
  let other: ChildProcess;
  let pid = 0;
  beforeAll(async () => {
    other = spawn('sleep', ['60'], { stdio: 'ignore' });
    pid = other.pid as number;
    // spawn returns before exec: wait until /proc shows sleep, not the forked node.
    for (let i = 0; i < 100; i++) {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep')) break;
      await new Promise((r) => setTimeout(r, 10));
    }
  });
  afterAll(() => other.kill());

  it('writes its pid and start time, and removes the lock on release', async () => {
    const dir = join(tmp, 'mine');
    mkdirSync(dir);
    const lease = await lockRunDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(
      `${process.pid} ${processStartTime(process.pid)}\n`,
    );
    expect(lease.takenOver).toBeUndefined();
    await lease.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('takes over a lock whose live pid is another process (a bare pid of a non-Node process)', async () => {
    const dir = lockedDir('bare-pid', String(pid));
    const lease = await lockRunDir(dir);
    expect(lease.takenOver).toBe(
      `took over the stale lock ${join(dir, LOCK_FILE)} (pid ${pid} now belongs to another process)`,
    );
    await lease.release();
  });

  it('takes over a lock whose pid is alive but started at another time', async () => {
    const started = Number(processStartTime(pid));
    const dir = lockedDir('reused-pid', `${pid} ${started + 1}\n`);
    const lease = await lockRunDir(dir);
    expect(lease.takenOver).toMatch(/now belongs to another process/);
    await lease.release();
  });

  it('refuses a lock of the live process it names, saying which file to delete when stale', async () => {
    const dir = lockedDir('held', `${pid} ${processStartTime(pid)}\n`);
    expect(lockState(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toEqual({ holder: pid });
    await expect(lockRunDir(dir)).rejects.toThrow(RunLockedError);
    await expect(lockRunDir(dir)).rejects.toThrow(
      `is being written by another labkit process (pid ${pid}); wait for it to end or stop it first. If you are sure no labkit process writes it, delete the lock file ${join(dir, LOCK_FILE)} and try again`,
    );
    // A new run is refused before any work, by the check that runs before the data loads.
    expect(() => checkNewRunDir(dir)).toThrow(RunLockedError);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${pid} ${processStartTime(pid)}\n`);
  });

  it('calls the lock of a process that ended stale', () => {
    expect(lockState('999999999 12\n')).toEqual({ stale: 'process 999999999 no longer runs' });
  });
});

describe('checkNewRunDir checks the location without writing', () => {
  it('refuses an --out under a file as a request error naming the file', () => {
    const file = join(tmp, 'afile');
    writeFileSync(file, 'x');
    expect(() => checkNewRunDir(join(file, 'sub'))).toThrow(RunRequestError);
    expect(() => checkNewRunDir(join(file, 'sub'))).toThrow(
      `--out ${join(file, 'sub')}: ${file} is a file, not a directory; choose another --out`,
    );
    expect(() => checkNewRunDir(file, false, true)).toThrow(/is a file, not a directory/);
  });
});
