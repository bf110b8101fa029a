import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The core runs in browsers: its modules (tests aside) may not use Node-only APIs.
const CORE = ['elements', 'formula', 'composition', 'mineral', 'uncertainty', 'summary'];
const src = new URL('..', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('browser-safe core', () => {
  const files = CORE.flatMap((folder) => sources(join(src, folder)));

  it('finds the core modules', () => {
    expect(files.length).toBeGreaterThanOrEqual(CORE.length);
  });

  it.each(files.map((f) => [f.slice(src.length)]))('%s uses no Node-only API', (file) => {
    const text = readFileSync(join(src, file), 'utf8');
    expect(text).not.toMatch(/from ['"](node:|fs|path|os|stream|crypto|worker_threads)['"/]/);
    expect(text).not.toMatch(/\b(process|Buffer|require|__dirname)\b[.(]/);
  });
});
