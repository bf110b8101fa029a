// bench/epma: `labkit epma convert` (built binary) against a pandas + numpy script doing the same
// conversion, on a generated 1,000,000-row oxide CSV (in a temp dir), in the same run. Reports
// rows/s, peak RSS (from /usr/bin/time -v) and the ratio; a 100,000-row run shows whether labkit's
// memory stays flat as the input grows. Rows of both outputs are compared number by number.
// Usage: node bench/epma/run.mjs [rows]   (default 1000000)
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const labkitBin = join(root, 'packages/cli/dist/bin.js');
const rows = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'labkit-bench-epma-'));

/** Olivine-to-pyroxene-like oxide analyses, seeded; about 1 % below-detection markers. */
async function generate(path, n) {
  const out = createWriteStream(path);
  let seed = 12345;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const columns = [
    'SiO2',
    'TiO2',
    'Al2O3',
    'Cr2O3',
    'FeO',
    'MnO',
    'MgO',
    'CaO',
    'Na2O',
    'K2O',
    'NiO',
  ];
  const centre = [45, 0.3, 3, 0.2, 9, 0.15, 35, 6, 0.5, 0.05, 0.2];
  let chunk = `Point,Sample,${columns.join(',')},Total\n`;
  for (let i = 1; i <= n; i++) {
    let total = 0;
    const cells = centre.map((c) => {
      const v = c * (0.95 + 0.1 * random());
      total += v;
      return v.toFixed(3);
    });
    const r = random();
    if (r < 0.005) cells[9] = '<0.02';
    else if (r < 0.01) cells[5] = 'bdl';
    chunk += `${i},grain-${i % 50},${cells.join(',')},${total.toFixed(2)}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** Runs a command under /usr/bin/time -v: wall seconds and peak RSS in MB. */
function measure(command, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${r.stderr}`);
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
  const user = Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1]);
  const system = Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1]);
  return { seconds, cpuSeconds: user + system, rssMB: kb / 1024 };
}

function compareOutputs(a, b, sample = 2000) {
  const la = readFileSync(a, 'utf8').split('\n');
  const lb = readFileSync(b, 'utf8').split('\n');
  if (la[0] !== lb[0]) throw new Error(`headers differ:\n${la[0]}\n${lb[0]}`);
  let worst = 0;
  const step = Math.max(1, Math.floor((la.length - 2) / sample));
  for (let i = 1; i < la.length - 1; i += step) {
    const ca = la[i].split(',');
    const cb = lb[i].split(',');
    for (let j = 2; j < ca.length - 1; j++) {
      const x = Number(ca[j]);
      const y = Number(cb[j]);
      if (Number.isFinite(x) || Number.isFinite(y))
        worst = Math.max(worst, Math.abs(x - y) / Math.max(1e-300, Math.abs(y)));
    }
  }
  return worst;
}

if (!existsSync(labkitBin)) throw new Error('build first: pnpm build');
const python = '/usr/bin/python3';
const hasPandas =
  spawnSync(python, ['-c', 'import pandas, numpy'], { encoding: 'utf8' }).status === 0;

try {
  const small = join(dir, 'small.csv');
  const big = join(dir, 'big.csv');
  console.log(`generating ${rows.toLocaleString('en')} rows in ${dir} ...`);
  await generate(small, Math.max(1, Math.floor(rows / 10)));
  await generate(big, rows);
  const smallRun = measure(process.execPath, [
    labkitBin,
    'epma',
    'convert',
    small,
    '-o',
    join(dir, 'small.out.csv'),
  ]);
  const lab = measure(process.execPath, [
    labkitBin,
    'epma',
    'convert',
    big,
    '-o',
    join(dir, 'labkit.out.csv'),
  ]);
  const results = [
    {
      tool: `labkit epma convert (${(rows / 10).toLocaleString('en')} rows)`,
      ...smallRun,
      n: rows / 10,
    },
    { tool: `labkit epma convert (${rows.toLocaleString('en')} rows)`, ...lab, n: rows },
  ];
  let py;
  if (hasPandas) {
    py = measure(python, [join(here, 'pandas_convert.py'), big, join(dir, 'pandas.out.csv')]);
    results.push({ tool: `pandas + numpy (${rows.toLocaleString('en')} rows)`, ...py, n: rows });
  } else
    console.log(
      'pandas + numpy not found for /usr/bin/python3 (apt-get install python3-pandas): reference skipped',
    );
  // Rows per CPU-second (user + system) changes little when other processes compete for the
  // cores; wall-clock rows/s does. The load average says how busy the machine was.
  const load = loadavg().map((x) => x.toFixed(2));
  console.log(`\nload average (1, 5, 15 min): ${load.join(', ')} on ${cpus().length} cores`);
  console.log(
    '\n| tool | seconds | rows/s | CPU s | rows per CPU-second | peak RSS (MB) |\n| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const r of results) {
    const perSecond = Math.round(r.n / r.seconds).toLocaleString('en');
    const perCpuSecond = Math.round(r.n / r.cpuSeconds).toLocaleString('en');
    console.log(
      `| ${r.tool} | ${r.seconds.toFixed(2)} | ${perSecond} | ${r.cpuSeconds.toFixed(2)} | ${perCpuSecond} | ${r.rssMB.toFixed(0)} |`,
    );
  }
  console.log(
    `\nlabkit peak RSS, ${rows / 10} vs ${rows} rows: ${smallRun.rssMB.toFixed(0)} vs ${lab.rssMB.toFixed(0)} MB (flat memory: should barely grow)`,
  );
  if (py) {
    console.log(
      `speed ratio labkit / pandas: ${(py.seconds / lab.seconds).toFixed(2)}x wall clock, ${(py.cpuSeconds / lab.cpuSeconds).toFixed(2)}x CPU time (above 1 = labkit faster)`,
    );
    console.log(`memory ratio labkit / pandas: ${(lab.rssMB / py.rssMB).toFixed(2)}`);
    const worst = compareOutputs(join(dir, 'labkit.out.csv'), join(dir, 'pandas.out.csv'));
    console.log(
      `largest relative difference between the two outputs (sampled rows): ${worst.toExponential(2)}`,
    );
    if (worst > 1e-12) process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
