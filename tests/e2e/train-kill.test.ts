import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../packages/nn-core/dist/data/rng.js';
import { writeCifarDir } from '../../packages/nn-core/dist/data/testing.js';
import { labkit, labkitBin, learnedMetrics, repoRoot } from './labkit.js';

const work = mkdtempSync(join(tmpdir(), 'labkit-kill-e2e-'));
const data = writeCifarDir(join(work, 'cifar'), { trainPerBatch: 40, test: 50 });
const args = [
  '--data',
  data,
  '--partial-data',
  '--hidden',
  '32',
  '--batch-size',
  '8',
  '--val-split',
  '0.2',
  '--epochs',
  '10',
  '--backend',
  'cpu',
];

/** Starts labkit and kills it with SIGKILL after `ms` (or lets it end first). */
function killAfter(argv: string[], ms: number): Promise<'killed' | 'finished'> {
  const child = spawn(process.execPath, [labkitBin, ...argv], { cwd: repoRoot, stdio: 'ignore' });
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      done(signal === 'SIGKILL' ? 'killed' : 'finished');
    });
  });
}

describe('kill -9 at random instants, then resume', { timeout: 600_000 }, () => {
  it('leaves every directory resumable, every result identical to an uninterrupted run, no temp file', async () => {
    const reference = join(work, 'reference');
    const started = Date.now();
    expect(labkit(['train', ...args, '--out', reference]).status).toBe(0);
    // Kill instants span a whole run on this machine (start-up, training, the end), however fast.
    const runMs = Date.now() - started;
    const referenceRecord = JSON.parse(readFileSync(join(reference, 'run.json'), 'utf8'));

    // Seeded, so a failure can be replayed; the instants cover start-up, training and the end.
    const rng = createRng(13);
    const kills: string[] = [];
    const status = (out: string) =>
      existsSync(join(out, 'run.json'))
        ? JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).status
        : 'none';
    const killed = () => kills.filter((k) => k.endsWith('killed')).length;
    // New directories until 20 kills have landed (how many land depends on the machine's speed).
    for (let d = 0; d < 40 && killed() < 20; d++) {
      const out = join(work, `run-${d}`);
      // Kill each run over and over until it happens to finish.
      for (let k = 0; k < 6 && status(out) !== 'finished'; k++) {
        const ms = Math.round(300 + rng() * Math.max(500, runMs - 300));
        const resuming = status(out) !== 'none';
        const argv = resuming ? ['train', '--resume', out] : ['train', ...args, '--out', out];
        kills.push(
          `${out} ${resuming ? 'resume' : 'new'} killed at ${ms} ms: ${await killAfter(argv, ms)}`,
        );
      }
      const finish = existsSync(join(out, 'run.json'))
        ? labkit(['train', '--resume', out])
        : labkit(['train', ...args, '--out', out]);
      const finished = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
      // A run the kills let finish is refused as finished (exit 2); anything else resumes.
      expect([0, 2], `${out}: ${finish.stderr}`).toContain(finish.status);
      expect(finished.status).toBe('finished');
      expect(learnedMetrics(out)).toEqual(learnedMetrics(reference));
      // Every step's loss too, although kills land between a checkpoint and the file writes.
      expect(readFileSync(join(out, 'steps.csv'), 'utf8')).toBe(
        readFileSync(join(reference, 'steps.csv'), 'utf8'),
      );
      expect(finished.testAccuracy).toBe(referenceRecord.testAccuracy);
      const leftovers = [...readdirSync(out), ...readdirSync(join(out, 'model'))].filter(
        (name) => name.endsWith('.tmp') || name.endsWith('.lock'),
      );
      expect(leftovers).toEqual([]);
    }
    console.log(kills.join('\n'));
    expect(killed()).toBeGreaterThanOrEqual(20);
  });
});
