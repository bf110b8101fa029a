import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCifarDir } from '../../packages/nn-core/dist/data/testing.js';
import { labkit, learnedMetrics } from './labkit.js';

/**
 * A full disk and a read-only file system, for real: small tmpfs mounts. That needs root and a
 * machine that allows mounting (not every container or CI runner does); elsewhere the test says
 * why it skips.
 */
const work = mkdtempSync(join(tmpdir(), 'labkit-fs-e2e-'));
const mounted: string[] = [];

function mount(dir: string, options: string): boolean {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status === 0) mounted.push(dir);
  return r.status === 0;
}

function whyNoMounts(): string | undefined {
  if (process.platform !== 'linux') return 'tmpfs mounts need Linux';
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  if (!mount(join(work, 'probe'), 'size=64k'))
    return 'this machine does not allow mounting a tmpfs';
  return undefined;
}
const skipReason = whyNoMounts();
if (skipReason)
  console.warn(`train-fs e2e: skipping the disk-full and read-only tests: ${skipReason}`);

afterAll(() => {
  for (const dir of mounted.reverse()) spawnSync('umount', ['-l', dir]);
  rmSync(work, { recursive: true, force: true });
});

const data = writeCifarDir(join(work, 'cifar'), { trainPerBatch: 40, test: 50 });
// hidden 40: a checkpoint of about 1.5 MB, so a 2 MB disk holds one but not a second beside it.
const args = [
  '--data',
  data,
  '--partial-data',
  '--hidden',
  '40',
  '--batch-size',
  '16',
  '--epochs',
  '3',
  '--backend',
  'cpu',
];
const leftovers = (dir: string) =>
  readdirSync(dir).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'));

describe.skipIf(skipReason !== undefined)(
  'training on a full disk and a read-only file system',
  { timeout: 300_000 },
  () => {
    it('a full disk keeps the last checkpoint, says so, and the run finishes identically once there is room', () => {
      const reference = join(work, 'reference');
      expect(labkit(['train', ...args, '--out', reference]).status).toBe(0);
      const disk = join(work, 'small-disk');
      expect(mount(disk, 'size=2m')).toBe(true);
      const out = join(disk, 'run');
      const full = labkit(['train', ...args, '--out', out]);
      expect(full.status).toBe(1);
      expect(full.stderr).toContain(
        `labkit: error: cannot write ${out}/checkpoint.ckpt: the disk is full (or the quota is used up); ` +
          `the last checkpoint (epoch 1) is intact; once fixed, continue with 'labkit train --resume ${out}'`,
      );
      expect(full.stderr).not.toMatch(/ENOSPC|at .*\.js:\d+/);
      expect(leftovers(out)).toEqual([]);
      // The intact checkpoint is usable as it is.
      const last = labkit(['eval', out, '--checkpoint', 'last', '--backend', 'cpu']);
      expect(last.status, last.stderr).toBe(0);
      expect(last.stdout).toContain('(status running, the end of epoch 1 of 3)');

      expect(spawnSync('mount', ['-o', 'remount,size=16m', disk]).status).toBe(0);
      const resumed = labkit(['train', '--resume', out]);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(learnedMetrics(out)).toEqual(learnedMetrics(reference));
      expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).testAccuracy).toBe(
        JSON.parse(readFileSync(join(reference, 'run.json'), 'utf8')).testAccuracy,
      );
      expect(leftovers(out)).toEqual([]);
    });

    it('a read-only file system is named in plain words, before the data is read (a bad --out: exit 2)', () => {
      const readOnly = join(work, 'read-only');
      expect(mount(readOnly, 'ro,size=1m')).toBe(true);
      const out = join(readOnly, 'runs', 'first');
      const r = labkit(['train', ...args, '--out', out]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        `labkit: --out ${out}: ${readOnly} is on a read-only file system; choose another --out`,
      );
      expect(r.stdout).not.toContain('loading CIFAR-10');
      expect(r.stderr).not.toMatch(/EROFS|ENOENT|at .*\.js:\d+/);
      expect(existsSync(join(readOnly, 'runs'))).toBe(false);
    });

    it('a run whose disk became read-only is refused with the reason, and still evaluates', () => {
      const disk = join(work, 'turns-read-only');
      expect(mount(disk, 'size=8m')).toBe(true);
      const out = join(disk, 'run');
      expect(labkit(['train', ...args, '--out', out]).status).toBe(0);
      expect(spawnSync('mount', ['-o', 'remount,ro', disk]).status).toBe(0);
      const r = labkit(['train', '--resume', out, '--epochs', '4']);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        `labkit: cannot resume ${out}: ${out} is on a read-only file system`,
      );
      expect(r.stdout).not.toContain('loading CIFAR-10');
      expect(r.stderr).not.toMatch(/EROFS|at .*\.js:\d+/);
      const ev = labkit(['eval', out, '--backend', 'cpu']);
      expect(ev.status, ev.stderr).toBe(0);
    });
  },
);
