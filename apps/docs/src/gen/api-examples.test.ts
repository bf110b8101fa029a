import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const examplesDir = resolve(import.meta.dirname, '../api-examples');
const examples = readdirSync(examplesDir).filter((name) => name.endsWith('.ts'));

/** What an example says it prints: its `// prints: ...` lines, in order. */
function promisedOutput(source: string): string[] {
  return [...source.matchAll(/^\/\/ prints: (.*)$/gm)].map((m) => m[1] as string);
}

// The examples are written to run from the repository root, as the README's commands are.
const repoRoot = resolve(import.meta.dirname, '../../../..');
const startDir = process.cwd();
beforeAll(() => process.chdir(repoRoot));
afterAll(() => process.chdir(startDir));
afterEach(() => {
  vi.restoreAllMocks();
});

describe('the API pages examples', () => {
  it('cover every module page', () => {
    expect(examples.length).toBeGreaterThanOrEqual(7);
  });

  it.each(examples)('%s runs and prints what it says', async (name) => {
    const source = readFileSync(join(examplesDir, name), 'utf8');
    const promised = promisedOutput(source);
    expect(promised.length).toBeGreaterThan(0);
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    await import(join(examplesDir, name));
    expect(printed).toEqual(promised);
  });
});
