import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  DEFAULT_MISCLASSIFIED,
  DEFAULT_SGD_MOMENTUM,
  DEFAULT_TRAINING,
  OVERFIT_DEFAULT_STEPS,
} from '@labkit/nn-core/config';
import { describe, expect, it } from 'vitest';
import { commands } from './commands/index.js';
import { firstSentence } from './help.js';
import { runCli } from './main.js';
import { flagName } from './options.js';

function capture() {
  const chunks = { stdout: '', stderr: '' };
  const sink = (key: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk, _enc, done) {
        chunks[key] += String(chunk);
        done();
      },
    });
  return {
    chunks,
    io: { stdout: sink('stdout'), stderr: sink('stderr'), cwd: process.cwd(), env: {} },
  };
}

describe('runCli', () => {
  it('shows --help for every declared command, listing each declared flag', async () => {
    for (const spec of commands) {
      const { chunks, io } = capture();
      expect(await runCli([...spec.path, '--help'], io)).toBe(0);
      for (const option of spec.options) {
        const long = option.flags.match(/--[\w-]+/)?.[0];
        expect(chunks.stdout).toContain(long);
      }
    }
  });

  it("states nn-core's own defaults in help (no hand-copied twin that could drift)", async () => {
    const help = async (...path: string[]) => {
      const { chunks, io } = capture();
      expect(await runCli([...path, '--help'], io)).toBe(0);
      return chunks.stdout.split('\n');
    };
    const line = (lines: string[], flag: string) => lines.find((l) => l.includes(`${flag} `)) ?? '';
    const train = await help('train');
    expect(line(train, '--overfit-steps')).toContain(`(default: ${OVERFIT_DEFAULT_STEPS})`);
    expect(line(train, '--optimizer')).toContain(`sgd (momentum ${DEFAULT_SGD_MOMENTUM})`);
    expect(line(await help('lr-find'), '--optimizer')).toContain(
      `sgd (momentum ${DEFAULT_SGD_MOMENTUM})`,
    );
    expect(line(await help('report'), '--misclassified')).toContain(
      `(default: ${DEFAULT_MISCLASSIFIED})`,
    );
    expect(line(await help('bench', 'train'), '--batch-size')).toContain(
      `(default: ${DEFAULT_TRAINING.batchSize})`,
    );
  });

  it('exits 2 on an unknown command and names it', async () => {
    const { chunks, io } = capture();
    expect(await runCli(['nope', '--x'], io)).toBe(2);
    expect(chunks.stderr).toContain("unknown command 'nope'");
  });

  it('exits 2 on an invalid choice and names the flag and the choices', async () => {
    const { chunks, io } = capture();
    expect(await runCli(['info', '--backend', 'gpu'], io)).toBe(2);
    expect(chunks.stderr).toContain('--backend must be one of auto, node, wasm, cpu; got "gpu"');
  });
});

describe('runCli called from plain JavaScript', () => {
  it('returns the exit code of a failed command when io has no env', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labkit-main-'));
    writeFileSync(join(dir, 'run.json'), '{"labkit": ');
    const { chunks, io } = capture();
    const { env: _env, ...withoutEnv } = io;
    const code = await runCli(['diagnose', dir], withoutEnv as unknown as typeof io);
    expect(code).toBe(1);
    expect(chunks.stderr).toMatch(/^labkit: error: .*run\.json/);
    expect(chunks.stderr).not.toContain('TypeError');
  });
});

describe('configuration errors', () => {
  it('exits 2 when --backend node is asked for and tfjs-node cannot load, with one parenthesis level', async () => {
    const { chunks, io } = capture();
    const rc = await runCli(['info', '--backend', 'node'], io);
    // Where tfjs-node is installed and loads, there is nothing to refuse.
    if (!chunks.stderr.includes('tfjs-node is not available')) return expect(rc).toBe(0);
    expect(rc).toBe(2);
    expect(chunks.stderr).toMatch(/; or use --backend wasm or auto\n$/);
    expect(chunks.stderr).not.toContain('))');
  });
});

describe('flag checking', () => {
  it('names an unknown --no- flag exactly as typed', async () => {
    const { chunks, io } = capture();
    expect(await runCli(['info', '--no-such-flag'], io)).toBe(2);
    expect(chunks.stderr).toContain("unknown option '--no-such-flag'");
  });

  it('names an unknown short flag', async () => {
    const { chunks, io } = capture();
    expect(await runCli(['info', '-z'], io)).toBe(2);
    expect(chunks.stderr).toContain("unknown option '-z'");
  });
});

describe('command list', () => {
  it('shows the whole first sentence of every description, even when it spans lines', async () => {
    const { chunks, io } = capture();
    expect(await runCli(['--help'], io)).toBe(0);
    for (const spec of commands) {
      const sentence = firstSentence(spec.description);
      expect(sentence.length).toBeGreaterThan(0);
      expect(chunks.stdout).toContain(sentence);
    }
  });
});

describe('results that are not training runs go only where they mix nothing', () => {
  const temp = () => mkdtempSync(join(tmpdir(), 'labkit-cli-out-'));

  it('report --out refuses a training run and a directory of other files, and keeps them', async () => {
    const root = temp();
    for (const dir of ['a', 'b', 'own', 'other']) mkdirSync(join(root, dir));
    writeFileSync(join(root, 'own', 'run.json'), '{"labkit":"train-run"}');
    writeFileSync(join(root, 'own', 'report.html'), 'the run report');
    writeFileSync(join(root, 'other', 'notes.txt'), 'my notes');
    for (const [out, why] of [
      ['own', /is a training run/],
      ['other', /holds notes\.txt/],
    ] as const) {
      const { chunks, io } = capture();
      expect(await runCli(['report', 'a', 'b', '--out', out], { ...io, cwd: root })).toBe(2);
      expect(chunks.stderr).toMatch(why);
    }
    expect(readFileSync(join(root, 'own', 'report.html'), 'utf8')).toBe('the run report');
    expect(readdirSync(join(root, 'other'))).toEqual(['notes.txt']);
  });

  it('lr-find --out refuses a training run before any work', async () => {
    const root = temp();
    writeFileSync(join(root, 'run.json'), '{"labkit":"train-run"}');
    const { chunks, io } = capture();
    expect(await runCli(['lr-find', '--out', root, '--data', join(root, 'none')], io)).toBe(2);
    expect(chunks.stderr).toMatch(/is a training run/);
    expect(readdirSync(root)).toEqual(['run.json']);
  });

  it('refuses an empty --out instead of writing into the current directory', async () => {
    const root = temp();
    for (const dir of ['a', 'b']) mkdirSync(join(root, dir));
    const { chunks, io } = capture();
    expect(await runCli(['report', 'a', 'b', '--out', ''], { ...io, cwd: root })).toBe(2);
    expect(chunks.stderr).toMatch(/--out needs a directory name/);
  });
});

describe('search --resume', () => {
  it('lists in its help exactly the flags it accepts with --resume', async () => {
    const { RESUME_FLAGS } = await import('./commands/search.js');
    const { chunks, io } = capture();
    expect(await runCli(['search', '--help'], io)).toBe(0);
    const help = chunks.stdout.slice(chunks.stdout.indexOf('--resume <dir>'));
    const said = help.slice(0, help.indexOf('\n  --', 1));
    for (const name of RESUME_FLAGS.filter((n) => n !== 'resume'))
      expect(said.replace(/\s+/g, ' ')).toContain(flagName(name));
  });
});
