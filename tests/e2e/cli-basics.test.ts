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
});
