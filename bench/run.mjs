// `pnpm bench`: runs every benchmark suite under bench/<suite>/run.mjs in turn (never in parallel:
// they measure speed on a 2-core machine). Pass suite names to run a subset: `pnpm bench epma`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const suites = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'run.mjs')))
  .map((d) => d.name)
  .filter((name) => wanted.length === 0 || wanted.includes(name));

let failed = 0;
for (const suite of suites) {
  console.log(`\n=== bench: ${suite} ===`);
  const r = spawnSync(process.execPath, [join(here, suite, 'run.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
if (suites.length === 0) console.log('no benchmark suites found');
process.exitCode = failed ? 1 : 0;
