import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const folder = new URL('./', import.meta.url);
/** The modules the converter page and its worker load (tests run in Node and are left out). */
const pageModules = readdirSync(folder).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe("the converter page's modules", () => {
  it.each(pageModules)(
    '%s imports no node:* module and not the Node entry of epma-convert',
    (file) => {
      const text = readFileSync(new URL(file, folder), 'utf8');
      expect(text).not.toMatch(/from ['"]node:/);
      expect(text).not.toMatch(/@labkit\/epma-convert\/node/);
    },
  );

  it("convert with epma-convert's browser entry, the code `labkit epma convert` runs", () => {
    const worker = readFileSync(new URL('run-conversion.ts', folder), 'utf8');
    expect(worker).toMatch(/from '@labkit\/epma-convert';/);
    expect(pageModules).toContain('worker.ts');
  });
});
