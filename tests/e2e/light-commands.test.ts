/**
 * Commands that need no TensorFlow.js do not load it: help pages, `labkit diagnose` (reads JSON)
 * and EPMA work. Each runs the built CLI in a fresh Node process and counts the @tensorflow
 * modules in Node's module cache afterwards (TF.js's packages are CommonJS, so every one loaded,
 * even through `import`, is there).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './labkit.js';

const work = mkdtempSync(join(tmpdir(), 'labkit-light-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const probe = join(work, 'probe.mjs');
writeFileSync(
  probe,
  `import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
const { runCli } = await import(${JSON.stringify(pathToFileURL(resolve(repoRoot, 'packages/cli/dist/main.js')).href)});
const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
const code = await runCli(process.argv.slice(2), { stdout: sink, stderr: sink, cwd: process.cwd(), env: process.env });
const tfjs = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('@tensorflow'));
console.log(JSON.stringify({ code, tfjs: tfjs.length }));
`,
);

/** Exit code of `labkit ARGS` and how many TF.js modules it loaded. */
function run(args: string[]): { code: number; tfjs: number } {
  const r = spawnSync(process.execPath, [probe, ...args], { cwd: repoRoot, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** A finished run directory as `labkit train` records it: run.json and metrics.jsonl. */
function runDir(): string {
  const dir = join(work, 'run');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const config = {
    spec: { hidden: [128] },
    optimizer: { kind: 'adam', lr: 0.001 },
    schedule: 'constant',
    epochs: 5,
    batchSize: 128,
    augment: 'none',
    trainLimit: null,
    valSplit: 0.1,
    seed: 0,
    patience: null,
    test: false,
  };
  writeFileSync(
    join(dir, 'run.json'),
    JSON.stringify({ labkit: 'train-run', status: 'finished', config, backend: { name: 'cpu' } }),
  );
  const epochs = [1, 2, 3, 4, 5].map((epoch) =>
    JSON.stringify({
      epoch,
      trainLoss: 2 / epoch,
      trainAccuracy: 0.1 * epoch,
      valLoss: 1.5 + 0.1 * epoch,
      valAccuracy: 0.3,
      learningRate: 0.001,
    }),
  );
  writeFileSync(join(dir, 'metrics.jsonl'), `${epochs.join('\n')}\n`);
  return dir;
}

describe('commands that need no TensorFlow.js do not load it', () => {
  it.each([
    [['--help']],
    [['train', '--help']],
    [['search', '--help']],
    [['epma', 'convert', 'examples/epma/olivine-oxides.csv', '--group-by', 'Sample']],
  ])('labkit %j', (args) => {
    expect(run(args)).toEqual({ code: 0, tfjs: 0 });
  });

  it('labkit diagnose RUN', () => {
    expect(run(['diagnose', runDir()])).toEqual({ code: 0, tfjs: 0 });
  });

  it('(the count sees TF.js where a command does load it: labkit info)', () => {
    const r = run(['info', '--backend', 'cpu']);
    expect(r.code).toBe(0);
    expect(r.tfjs).toBeGreaterThan(0);
  });
});
