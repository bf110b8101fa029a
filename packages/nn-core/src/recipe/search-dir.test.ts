import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, processStartTime, RunLockedError, RunRequestError } from '../train/run-dir.js';
import {
  claimNewSearchDir,
  finishedTrialCount,
  openSearchForResume,
  SearchResumeError,
  searchResumeCommand,
} from './search-dir.js';

const root = mkdtempSync(join(tmpdir(), 'labkit-search-dir-'));
const settings = {
  trials: 4,
  subset: 40,
  eta: 2,
  epochs: 1,
  valImages: 40,
  rankBy: 'accuracy',
  seed: 0,
  trainEpochs: 3,
  images: 200,
};
/** A search directory as a killed search leaves it. */
function stoppedSearch(name: string, files: Record<string, string> = {}): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'search.json'), JSON.stringify(settings));
  writeFileSync(join(dir, 'trials.jsonl'), '');
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}
/** The pid of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid as number;

describe('claimNewSearchDir', () => {
  it('never writes into a directory that holds a search or anything else', async () => {
    const search = stoppedSearch('old');
    await expect(claimNewSearchDir(search)).rejects.toThrow(
      `--out ${search} already holds a search; continue it with '${searchResumeCommand(search)}' or choose another --out`,
    );
    const user = join(root, 'user');
    mkdirSync(user);
    writeFileSync(join(user, 'thesis.tex'), 'x');
    await expect(claimNewSearchDir(user)).rejects.toThrow(/is not empty \(it holds thesis\.tex\)/);
    await expect(claimNewSearchDir(join(user, 'thesis.tex'))).rejects.toThrow(RunRequestError);
    expect(readdirSync(search).sort()).toEqual(['search.json', 'trials.jsonl']);
    expect(readdirSync(user)).toEqual(['thesis.tex']);
  });

  it('takes a new directory, or one a search killed while starting left, and locks it', async () => {
    const fresh = await claimNewSearchDir(join(root, 'a', 'b'));
    expect(readFileSync(join(fresh.dir, LOCK_FILE), 'utf8')).toBe(
      `${[process.pid, processStartTime(process.pid)].filter(Boolean).join(' ')}\n`,
    );
    fresh.releaseSync();
    // Released before the search wrote anything: the directory goes too.
    expect(existsSync(fresh.dir)).toBe(false);
    const left = join(root, 'left');
    mkdirSync(left);
    writeFileSync(join(left, LOCK_FILE), `${deadPid()}\n`);
    writeFileSync(join(left, '.search.json.123.0badc0de.tmp'), '{');
    const lease = await claimNewSearchDir(left);
    expect(lease.removedTempFiles).toEqual(['.search.json.123.0badc0de.tmp']);
    await lease.release();
    expect(existsSync(left)).toBe(false);
  });

  it('gives a default name that is taken the next free name', async () => {
    const first = await claimNewSearchDir(join(root, 'search-x'), true);
    const second = await claimNewSearchDir(join(root, 'search-x'), true);
    expect([first.dir, second.dir]).toEqual([join(root, 'search-x'), join(root, 'search-x-2')]);
  });
});

describe('openSearchForResume', () => {
  it('says what the directory is when it is not a search to continue', async () => {
    const missing = join(root, 'missing');
    await expect(openSearchForResume(missing)).rejects.toThrow(
      `--resume ${missing}: no such directory`,
    );
    const run = join(root, 'train-run');
    mkdirSync(run);
    writeFileSync(join(run, 'run.json'), '{}');
    await expect(openSearchForResume(run)).rejects.toThrow(
      `${run} is a training run, not a search: continue it with 'labkit train --resume ${run}'`,
    );
    const empty = join(root, 'empty');
    mkdirSync(empty);
    await expect(openSearchForResume(empty)).rejects.toThrow(/holds no search to resume/);
    const damaged = stoppedSearch('damaged');
    writeFileSync(join(damaged, 'search.json'), '{"trials": 4,\n');
    await expect(openSearchForResume(damaged)).rejects.toThrow(
      `${join(damaged, 'search.json')}:2:1: invalid JSON: unexpected end of file`,
    );
    const wrong = stoppedSearch('wrong');
    writeFileSync(join(wrong, 'search.json'), JSON.stringify({ ...settings, eta: '2' }));
    await expect(openSearchForResume(wrong)).rejects.toThrow(/eta missing or of the wrong type/);
    const finished = stoppedSearch('finished', { 'best.json': '{}' });
    await expect(openSearchForResume(finished)).rejects.toThrow(
      `${finished} is a finished search (4 trials): nothing to resume. Its results are in ${join(finished, 'search.csv')}; ` +
        `train the winner with 'labkit train --config ${join(finished, 'recipe.json')}'`,
    );
    for (const dir of [missing, run, empty, damaged, wrong, finished])
      await expect(openSearchForResume(dir)).rejects.toThrow(SearchResumeError);
    expect(existsSync(join(finished, LOCK_FILE))).toBe(false);
  });

  it('takes over the lock of a killed search, refuses a live one and removes temp files', async () => {
    const dir = stoppedSearch('killed', {
      [LOCK_FILE]: `${deadPid()}\n`,
      '.trials.jsonl.999.deadbeef.tmp': 'half',
    });
    const { stored, lease } = await openSearchForResume(dir);
    expect(stored.settings).toEqual(settings);
    expect(lease.removedTempFiles).toEqual(['.trials.jsonl.999.deadbeef.tmp']);
    await lease.release();
    expect(readdirSync(dir).sort()).toEqual(['search.json', 'trials.jsonl']);
    // A lock of a process that still runs (here the test runner's parent) is never taken.
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`);
    await expect(openSearchForResume(dir)).rejects.toThrow(RunLockedError);
    const busy = join(root, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, LOCK_FILE), `${process.ppid}\n`);
    await expect(claimNewSearchDir(busy)).rejects.toThrow(
      /being written by another labkit process/,
    );
  });
});

it('finishedTrialCount counts whole lines only', () => {
  const dir = stoppedSearch('count', { 'trials.jsonl': '{"trial":1}\n{"trial":2}\n{"tri' });
  expect(finishedTrialCount(dir)).toBe(2);
  expect(finishedTrialCount(join(root, 'nowhere'))).toBe(0);
});
