import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Non-test modules of the browser-safe entry that this layer adds. */
function modules(folder: string): string[] {
  return readdirSync(join(src, folder))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(src, folder, f));
}

describe('browser-safe entry', () => {
  it.each(['table', 'convert'])('%s/ imports no node:* module and nothing from node/', (folder) => {
    for (const file of modules(folder)) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/from ['"]node:/);
      expect(text, file).not.toMatch(/from ['"]\.\.\/node\//);
      expect(text, file).not.toMatch(/from ['"]csv-parse['"]/);
    }
  });
});
