import { type ChildProcess, spawn } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCifarDir } from '../../packages/nn-core/dist/data/testing.js';
import { labkit, labkitBin, repoRoot } from './labkit.js';

const work = mkdtempSync(join(tmpdir(), 'labkit-search-kill-e2e-'));
const data = writeCifarDir(join(work, 'cifar'), { trainPerBatch: 40, test: 50 });
/** Seed 4917 samples 4 recipes without ZCA, so no trial waits minutes for a whitening fit. */
const args = [
  'search',
  '--data',
  data,
  '--partial-data',
  '--subset',
  '40',
  '--val-images',
  '40',
  '--trials',
  '4',
  '--epochs',
  '2',
  '--eta',
  '2',
  '--seed',
  '4917',
];

/** What a search found, without wall-clock times and its own directory's name. */
function results(dir: string) {
  const csv = readFileSync(join(dir, 'search.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((line) =>
      line
        .split(',')
        .filter((_, i) => i !== 9)
        .join(','),
    );
  const best = JSON.parse(readFileSync(join(dir, 'best.json'), 'utf8'));
  for (const outcome of best.outcomes) delete outcome.seconds;
  delete best.train;
  return { csv, best, recipe: readFileSync(join(dir, 'recipe.json'), 'utf8') };
}

const leftovers = (dir: string) =>
  readdirSync(dir).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'));
const trialLines = (dir: string) =>
  existsSync(join(dir, 'trials.jsonl'))
    ? readFileSync(join(dir, 'trials.jsonl'), 'utf8').split('\n').slice(0, -1).length
    : 0;

interface Started {
  child: ChildProcess;
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function start(argv: string[]): Started {
  const child = spawn(process.execPath, [labkitBin, ...argv], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const ended = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
  }>((done) => child.on('exit', (code, signal) => done({ code, signal, stderr })));
  return { child, ended };
}

/** Waits for an event in the files (never a fixed sleep, so a slow machine only waits longer). */
async function until(what: string, ready: () => boolean, ms = 300_000): Promise<void> {
  const started = Date.now();
  while (!ready()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Linux: the processes whose parent is `pid`, and whether a pid still runs (a zombie does not). */
const stat = (pid: number | string) =>
  readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return stat(name)[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}
function running(pid: number): boolean {
  try {
    return stat(pid)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Starts a 2-worker search, waits for its first finished trial and returns it with its workers. */
async function searchWithWorkers(out: string) {
  const search = start([...args, '--workers', '2', '--out', out]);
  const pid = search.child.pid as number;
  await until('the first finished trial', () => trialLines(out) >= 1);
  const workers = childrenOf(pid);
  expect(workers).toHaveLength(2);
  return { ...search, workers };
}

/** Milliseconds from `since` until none of `pids` runs. */
async function goneAfter(pids: number[], since: number): Promise<number> {
  await until('the workers to stop', () => !pids.some(running), 10_000);
  return Date.now() - since;
}

describe.skipIf(process.platform !== 'linux')(
  'a killed labkit search keeps its finished trials and resumes to the same result',
  { timeout: 600_000 },
  () => {
    const reference = join(work, 'reference');
    let expected: ReturnType<typeof results>;

    it('runs the reference search uninterrupted', () => {
      const r = labkit([...args, '--out', reference]);
      expect(r.status, r.stderr).toBe(0);
      expected = results(reference);
      expect(expected.csv).toHaveLength(5);
      expect(leftovers(reference)).toEqual([]);
    });

    it('kill -9 after the first trial, a half-written line, kill -9 inside the resumed search: same ranking', async () => {
      const out = join(work, 'kill9');
      const first = start([...args, '--out', out]);
      await until('the first finished trial', () => trialLines(out) >= 1);
      first.child.kill('SIGKILL');
      expect((await first.ended).signal).toBe('SIGKILL');
      const kept = trialLines(out);
      // A kill in the middle of an append leaves the start of a line.
      appendFileSync(join(out, 'trials.jsonl'), '{"trial":4,"rung":0,"ima');

      const second = start(['search', '--resume', out]);
      await until('another finished trial', () => trialLines(out) >= kept + 1);
      second.child.kill('SIGKILL');
      expect((await second.ended).signal).toBe('SIGKILL');
      const keptAgain = trialLines(out);

      const last = labkit(['search', '--resume', out]);
      expect(last.status, last.stderr).toBe(0);
      expect(last.stderr.match(/\(from trials\.jsonl\)/g)).toHaveLength(keptAgain);
      expect(results(out)).toEqual(expected);
      expect(leftovers(out)).toEqual([]);
      // Only the search's own files: no checkpoints or temp files of trials.
      expect(readdirSync(out).sort()).toEqual([
        'best.json',
        'recipe.json',
        'search.csv',
        'search.json',
        'trials.jsonl',
      ]);
    });

    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGINT', 130],
    ] as const) {
      it(`${signal} with 2 workers: one line with the resume command, exit ${code}, workers gone at once`, async () => {
        const out = join(work, signal);
        const search = await searchWithWorkers(out);
        search.child.kill(signal);
        const ended = await search.ended;
        const exited = Date.now();
        expect(ended.code).toBe(code);
        const trials = trialLines(out);
        const lines = ended.stderr.split('\n').filter((l) => l.includes('interrupted'));
        expect(lines).toEqual([
          `interrupted (${signal}): ${trials} finished trial${trials === 1 ? '' : 's'} kept in ${join(out, 'trials.jsonl')}; resume with 'labkit search --resume ${out}'`,
        ]);
        expect(await goneAfter(search.workers, exited)).toBeLessThan(1000);
        expect(leftovers(out)).toEqual([]);
        const resumed = labkit(['search', '--resume', out, '--workers', '2']);
        expect(resumed.status, resumed.stderr).toBe(0);
        expect(results(out)).toEqual(expected);
      });
    }

    it('kill -9 of the search: its workers stop by themselves', async () => {
      const out = join(work, 'parent-killed');
      const search = await searchWithWorkers(out);
      search.child.kill('SIGKILL');
      await search.ended;
      const ms = await goneAfter(search.workers, Date.now());
      console.log(`workers gone ${ms} ms after the search was killed with -9`);
      // They look for their parent every 100 ms; the margin is for a loaded machine.
      expect(ms).toBeLessThan(1500);
      const resumed = labkit(['search', '--resume', out]);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(results(out)).toEqual(expected);
      expect(leftovers(out)).toEqual([]);
    });

    it('a worker killed with -9: exit 1 naming it, the other stopped, trials kept, resume identical', async () => {
      const out = join(work, 'worker-killed');
      const search = await searchWithWorkers(out);
      const [victim, other] = search.workers as [number, number];
      process.kill(victim, 'SIGKILL');
      const ended = await search.ended;
      expect(ended.code).toBe(1);
      const trials = trialLines(out);
      expect(ended.stderr).toMatch(
        new RegExp(
          `search worker \\d \\(pid ${victim}\\) ended by SIGKILL; the ${trials} finished trials? in .*trials\\.jsonl (is|are) kept: once fixed, resume with 'labkit search --resume ${out}'`,
        ),
      );
      expect(await goneAfter([other], Date.now())).toBeLessThan(1000);
      const resumed = labkit(['search', '--resume', out]);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(results(out)).toEqual(expected);
      expect(leftovers(out)).toEqual([]);
    });

    it('never overwrites or mixes a search: used --out, flags with --resume, other data, finished', async () => {
      const trials = readFileSync(join(reference, 'trials.jsonl'), 'utf8');
      const again = labkit([...args, '--out', reference]);
      expect(again.status).toBe(2);
      expect(again.stderr).toContain(
        `--out ${reference} already holds a search; continue it with 'labkit search --resume ${reference}'`,
      );
      expect(readFileSync(join(reference, 'trials.jsonl'), 'utf8')).toBe(trials);

      const finished = labkit(['search', '--resume', reference]);
      expect(finished.status).toBe(2);
      expect(finished.stderr).toContain(
        `${reference} is a finished search (4 trials): nothing to resume`,
      );

      // A stopped search to resume with wrong flags and data.
      const out = join(work, 'flags');
      const first = start([...args, '--out', out]);
      await until('the first finished trial', () => trialLines(out) >= 1);
      first.child.kill('SIGKILL');
      await first.ended;
      const flags = labkit(['search', '--resume', out, '--trials', '9', '--epochs', '5']);
      expect(flags.status).toBe(2);
      expect(flags.stderr).toContain(
        '--trials, --epochs cannot be used with --resume: a resumed search keeps its stored settings',
      );
      // The same number of images, one pixel changed.
      const other = join(work, 'other-cifar');
      cpSync(data, other, { recursive: true });
      const batch = readFileSync(join(other, 'data_batch_3.bin'));
      batch[100] = (batch[100] as number) ^ 1;
      writeFileSync(join(other, 'data_batch_3.bin'), batch);
      const mixed = labkit(['search', '--resume', out, '--data', other]);
      expect(mixed.status).toBe(2);
      expect(mixed.stderr).toMatch(/are not the ones it started on/);
      const notSearch = labkit(['search', '--resume', data]);
      expect(notSearch.status).toBe(2);
      expect(notSearch.stderr).toContain(`${data} holds no search to resume (no search.json)`);
      // The same data moved elsewhere is accepted (recognised by its fingerprint).
      const moved = join(work, 'moved-cifar');
      cpSync(data, moved, { recursive: true });
      const resumed = labkit(['search', '--resume', out, '--data', moved]);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(results(out)).toEqual(expected);
    });
  },
);
