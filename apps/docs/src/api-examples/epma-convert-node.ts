// A whole CSV export to a file of atomic percent, written atomically
// (a temporary file, then a rename). Run from the repository root.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertFile } from '@labkit/epma-convert/node';

const input = 'examples/epma/olivine-oxides.csv';
const outDir = mkdtempSync(join(tmpdir(), 'labkit-'));
const outFile = join(outDir, 'olivine-atomic.csv');
const result = await convertFile(input, { outFile });
const { stats, dialect } = result;
console.log(`${stats.rows} rows, delimiter "${dialect.delimiter}"`);
console.log(readFileSync(outFile, 'utf8').split('\n')[0]);
rmSync(outDir, { recursive: true });

// prints: 3 rows, delimiter ","
// prints: Point,Sample,Si at%,Fe at%,Mn at%,Mg at%,Ni at%,O at%,Total wt%,flags
