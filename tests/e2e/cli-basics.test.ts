import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labkit, repoRoot } from './labkit.js';

const cliVersion = JSON.parse(
  readFileSync(resolve(repoRoot, 'packages/cli/package.json'), 'utf8'),
).version;

describe('labkit binary', () => {
  it('prints its version', () => {
    const r = labkit(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`labkit ${cliVersion}`);
  });

  it('lists every command in --help', () => {
    const r = labkit(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Commands:/);
    expect(r.stdout).toMatch(/\binfo\b/);
  });

  it('rejects an unknown command with exit code 2 and a clear message', () => {
    const r = labkit(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  it('rejects an unknown flag with exit code 2', () => {
    const r = labkit(['info', '--no-such-flag']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown option '--no-such-flag'");
  });

  it('says which TF.js backend it would use', () => {
    const r = labkit(['info', '--json']);
    expect(r.status).toBe(0);
    const facts = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
    expect(['node', 'wasm', 'cpu']).toContain(facts.backend);
    if (facts.backend === 'wasm') {
      expect(facts.threads).toBeGreaterThanOrEqual(1);
      expect(facts.kernelOverrides).toContain('BatchMatMul');
    }
    if (facts.backend !== 'node') expect(facts.fallbackReason).toMatch(/^node: /);
  });

  it('prints its version wherever --version appears, but not after --', () => {
    for (const args of [
      ['epma', 'convert', '--version'],
      ['train', '--epochs', '3', '--version'],
    ]) {
      const r = labkit(args);
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(`labkit ${cliVersion}`);
    }
    const after = labkit(['epma', 'convert', '--', '--version']);
    expect(after.status).toBe(1);
    expect(after.stderr).toContain('--version: no such file');
  });

  it('takes negative numbers as option values for every command, so the validator sees them', () => {
    const train = labkit(['train', '--lr', '-1']);
    expect(train.status).toBe(2);
    expect(train.stderr).toContain('--lr must be greater than 0 and at most 10, got -1');
    const lrFind = labkit(['lr-find', '--min-lr', '-1']);
    expect(lrFind.status).toBe(2);
    expect(lrFind.stderr).toContain('--min-lr must be between');
    expect(lrFind.stderr).not.toContain('unknown option');
  });

  it('refuses a scalar flag given twice and an empty item in a list flag', () => {
    const twice = labkit(['train', '--epochs', '3', '--epochs', '4']);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('--epochs was given twice; give it once');
    const empty = labkit(['train', '--hidden', '256,,128']);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('--hidden has an empty item in "256,,128"');
  });

  it('refuses surplus arguments instead of ignoring them', () => {
    const r = labkit(['epma', 'convert', 'a.csv', 'b.csv']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unexpected argument 'b.csv'");
  });
});
