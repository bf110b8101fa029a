// A whole CSV export to a file of atomic percent, written atomically (a temporary file, then a rename).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertFile } from '@labkit/epma-convert/node';

const input = 'examples/epma/olivine-oxides.csv'; // run from the repository root
const outFile = join(mkdtempSync(join(tmpdir(), 'labkit-')), 'olivine-atomic.csv');
const result = await convertFile(input, { outFile });
console.log(`${result.stats.rows} rows, delimiter "${result.dialect.delimiter}"`);
console.log(readFileSync(outFile, 'utf8').split('\n')[0]);

// prints: 3 rows, delimiter ","
// prints: Point,Sample,Si at%,Fe at%,Mn at%,Mg at%,Ni at%,O at%,Total wt%,flags
