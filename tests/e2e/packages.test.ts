/**
 * The packages as users install them: each workspace package is packed with `pnpm pack` (as it
 * would be published), the tarballs are installed with npm into empty projects, and each package
 * is used from there: ESM import and a real call, `tsc --strict` against the shipped types, a
 * browser bundle of @labkit/epma-convert, and the CLI installed for EPMA work alone
 * (`--omit=optional`, no TensorFlow.js). Needs the npm registry (or a warm npm cache).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesUnder, PUBLISHED, packPublished } from '../../bench/install/packages.mjs';
import { repoRoot } from './labkit.js';

const PACKAGES = PUBLISHED;
type PackageDir = (typeof PACKAGES)[number];

const work = mkdtempSync(join(tmpdir(), 'labkit-packages-'));
const tarballs = {} as Record<PackageDir, string>;
const app = join(work, 'app');
const epmaOnly = join(work, 'epma-only');

/**
 * What pnpm sets for the scripts it runs (its user agent, lifecycle and package fields); npm
 * would take them as its own settings. The machine's own npm settings (registry, cache) stay.
 */
const PNPM_SCRIPT_ENV =
  /^npm_(config_user_agent|config_node_gyp|lifecycle_\w+|package_\w+|execpath|node_execpath|command)$/i;

/**
 * npm as a user runs it. It needs the machine's network settings (proxy, extra CA certificates):
 * without NODE_EXTRA_CA_CERTS where TLS is intercepted, npm retries quietly for minutes, so
 * turbo.json passes them through to the tests.
 */
function npm(args: string[], cwd: string) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !PNPM_SCRIPT_ENV.test(k)),
  );
  // A registry that stops answering must fail the test, not hold CI: spawnSync blocks vitest's own
  // hook timeout, so the limit is here (a warm install takes about 15 s, a cold one about a minute).
  const r = spawnSync('npm', [...args, '--no-audit', '--no-fund'], {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 5 * 60_000,
  });
  if (r.error) throw new Error(`npm ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${r.stderr}`);
  return r;
}

function run(file: string, args: string[], cwd: string) {
  return spawnSync(process.execPath, [file, ...args], { cwd, encoding: 'utf8' });
}

/** `tsc` on `dir/consumer.ts` as a strict consumer runs it, skipLibCheck off. */
function strictTsc(dir: string, options: Record<string, unknown>) {
  const compilerOptions = {
    strict: true,
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    noEmit: true,
    skipLibCheck: false,
    ...options,
  };
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions, files: ['consumer.ts'] }),
  );
  return run(
    createRequire(import.meta.url).resolve('typescript/bin/tsc'),
    ['-p', 'tsconfig.json'],
    dir,
  );
}

beforeAll(() => {
  const packs = join(work, 'packs');
  mkdirSync(packs);
  Object.assign(tarballs, packPublished(repoRoot, packs));
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    '{ "name": "app", "private": true, "type": "module" }\n',
  );
  npm(['install', '--prefix', app, ...PACKAGES.map((p) => tarballs[p]), '@types/node@20'], app);
  // The README's EPMA-only install: its own prefix, because npm ignores --omit with -g
  // (npm/cli#8284).
  mkdirSync(epmaOnly);
  npm(
    ['install', '--prefix', epmaOnly, '--omit=optional', ...PACKAGES.map((p) => tarballs[p])],
    epmaOnly,
  );
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('packed tarballs', () => {
  it.each(PACKAGES)('%s ships dist, README, LICENSE and package.json only, no source maps', (p) => {
    const files = execFileSync('tar', ['-tzf', tarballs[p]], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((f) => f.replace(/^package\//, ''));
    expect(files).toContain('README.md');
    expect(files).toContain('LICENSE');
    expect(files.filter((f) => !/^(dist\/|README\.md$|LICENSE$|package\.json$)/.test(f))).toEqual(
      [],
    );
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /testing|test-utils|\.test\./.test(f))).toEqual([]);
    const manifest = JSON.parse(
      execFileSync('tar', ['-xOzf', tarballs[p], 'package/package.json'], { encoding: 'utf8' }),
    );
    expect(manifest.engines.node).toBe('>=20.19');
    expect(manifest.repository.directory).toBe(`packages/${p}`);
    expect(manifest.license).toBe('MIT');
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
    // Relative links break on npmjs.com and in node_modules: the README links the repository.
    const readme = execFileSync('tar', ['-xOzf', tarballs[p], 'package/README.md'], {
      encoding: 'utf8',
    });
    expect(readme.match(/\]\((?!https:\/\/|#)[^)]*\)/g) ?? []).toEqual([]);
  });
});

describe('installed with npm into an empty project', () => {
  it('@labkit/epma-convert: pure SiO2 is one Si to two O', () => {
    writeFileSync(
      join(app, 'epma.mjs'),
      `import { oxidesToElements, weightToAtomic } from '@labkit/epma-convert';
console.log(JSON.stringify(weightToAtomic(oxidesToElements({ SiO2: 100 }))));
`,
    );
    const r = run('epma.mjs', [], app);
    expect(r.stderr).toBe('');
    const atomic = JSON.parse(r.stdout);
    expect(atomic.Si).toBeCloseTo(100 / 3, 10);
    expect(atomic.O).toBeCloseTo(200 / 3, 10);
  });

  it('@labkit/nn-core: builds the default model on the cpu backend with the parameters the spec counts', () => {
    writeFileSync(
      join(app, 'nn.mjs'),
      `import { buildModel, initBackend } from '@labkit/nn-core';
import { countParameters, DEFAULT_SPEC } from '@labkit/nn-core/config';
const backend = await initBackend('cpu');
const spec = { ...DEFAULT_SPEC, hidden: [16, 8], batchNorm: 'none' };
const model = buildModel(spec);
console.log(JSON.stringify({ backend: backend.name, built: model.countParams(), counted: countParameters(spec) }));
`,
    );
    const r = run('nn.mjs', [], app);
    expect(r.status, r.stderr).toBe(0);
    const facts = JSON.parse(r.stdout);
    expect(facts.backend).toBe('cpu');
    expect(facts.built).toBe(facts.counted);
    expect(facts.built).toBeGreaterThan(3072 * 16);
  });

  it('@labkit/cli: runCli lists the atomic weights, and the bin runs', () => {
    writeFileSync(
      join(app, 'cli.mjs'),
      `import { runCli } from '@labkit/cli';
let out = '';
const io = { stdout: { write: (s) => { out += s; return true; } }, stderr: process.stderr, cwd: process.cwd(), env: {} };
const code = await runCli(['epma', 'elements', '--format', 'json'], io);
console.log(JSON.stringify({ code, out }));
`,
    );
    const r = run('cli.mjs', [], app);
    expect(r.status, r.stderr).toBe(0);
    const { code, out } = JSON.parse(r.stdout);
    expect(code).toBe(0);
    expect(out).toContain('"Si"');
    const bin = run(join(app, 'node_modules/@labkit/cli/dist/bin.js'), ['--version'], app);
    expect(bin.stdout).toMatch(/^labkit \d+\.\d+\.\d+/);
  });

  it('the shipped types pass tsc --strict in a consumer project', () => {
    writeFileSync(
      join(app, 'consumer.ts'),
      `import { runCli } from '@labkit/cli';
import { type Composition, oxidesToElements, weightToAtomic } from '@labkit/epma-convert';
import { convertStream } from '@labkit/epma-convert/node';
import { buildModel, type TrainRunConfig } from '@labkit/nn-core';
import { benchTrain } from '@labkit/nn-core/bench';
import { type ImageSet, parseCifarBatch } from '@labkit/nn-core/browser';
import { DEFAULT_SPEC, type ModelSpec } from '@labkit/nn-core/config';
import { diagnose, type Diagnosis } from '@labkit/nn-core/recipe';
import { renderReport } from '@labkit/nn-core/report';

const olivine: Composition = { SiO2: 40.8, MgO: 49.4, FeO: 9.6 };
const atomic: Record<string, number> = weightToAtomic(oxidesToElements(olivine));
const spec: ModelSpec = { ...DEFAULT_SPEC, hidden: [8] };
const verdict: Diagnosis['verdict'] = diagnose([{ epoch: 1, trainLoss: 1, trainAccuracy: 0.5 }]).verdict;
const config: Pick<TrainRunConfig, 'spec'> = { spec };
const pictures: ImageSet = parseCifarBatch(new Uint8Array(3073), 'one.bin');
export const uses = [atomic, verdict, config, pictures, runCli, convertStream, buildModel, benchTrain, renderReport];
`,
    );
    const r = strictTsc(app, { lib: ['ES2022', 'DOM'], types: ['node'] });
    // skipLibCheck is off, so labkit's own declarations are checked too. TF.js 4.22's declarations
    // do not pass strict checking themselves (about 17 errors); those alone are tolerated.
    const errors = (r.stdout + r.stderr).split('\n').filter((l) => /error TS\d+/.test(l));
    expect(errors.filter((l) => !l.startsWith('node_modules/@tensorflow/'))).toEqual([]);
  });

  it('@labkit/epma-convert bundles for the browser with no node: import and no mathjs', async () => {
    writeFileSync(
      join(app, 'browser.js'),
      `import { oxidesToElements, weightToAtomic } from '@labkit/epma-convert';
document.body.textContent = JSON.stringify(weightToAtomic(oxidesToElements({ SiO2: 100 })));
`,
    );
    const result = await build({
      entryPoints: [join(app, 'browser.js')],
      absWorkingDir: app,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      minify: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    const imports = Object.values(result.metafile.inputs).flatMap((i) => i.imports);
    expect(imports.filter((i) => i.path.startsWith('node:') || i.external)).toEqual([]);
    expect(inputs.some((i) => i.includes('node_modules/@labkit/epma-convert/dist/'))).toBe(true);
    expect(inputs.filter((i) => i.includes('mathjs'))).toEqual([]);
    // The browser-safe core without mathjs (which alone was 713 kB of an 877 kB bundle).
    expect(result.outputFiles[0]?.contents.length).toBeLessThan(300_000);
  });
});

describe('@labkit/nn-core/browser, as a web page gets it', () => {
  it('parses CIFAR-10 records in Node too (the same module a page runs)', () => {
    writeFileSync(
      join(app, 'nn-browser.mjs'),
      `import { CIFAR10_CLASSES, parseCifarBatch } from '@labkit/nn-core/browser';
const bytes = new Uint8Array(3 * 3073);
[7, 0, 9].forEach((label, i) => { bytes[i * 3073] = label; bytes[i * 3073 + 1] = 200 + i; });
const set = parseCifarBatch(bytes, 'three.bin');
console.log(JSON.stringify({ count: set.count, labels: [...set.labels].map((l) => CIFAR10_CLASSES[l]), first: set.images[0], pixels: set.images.length }));
`,
    );
    const r = run('nn-browser.mjs', [], app);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      count: 3,
      labels: ['horse', 'airplane', 'truck'],
      first: 200,
      pixels: 3 * 3072,
    });
  });

  it('bundles for the browser with TF.js wasm and no node: import or Node-only package', async () => {
    writeFileSync(
      join(app, 'nn-page.js'),
      `import { diagnose, initBrowserBackend, runOverfitCheck } from '@labkit/nn-core/browser';
window.labkit = { diagnose, initBrowserBackend, runOverfitCheck };
`,
    );
    const result = await build({
      entryPoints: [join(app, 'nn-page.js')],
      absWorkingDir: app,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    const imports = Object.values(result.metafile.inputs).flatMap((i) => i.imports);
    expect(imports.filter((i) => i.path.startsWith('node:') || i.external)).toEqual([]);
    expect(
      inputs.some((i) => i.includes('node_modules/@labkit/nn-core/dist/entry/browser.js')),
    ).toBe(true);
    expect(inputs.some((i) => i.includes('node_modules/@tensorflow/tfjs-backend-wasm/'))).toBe(
      true,
    );
    expect(
      inputs.filter((i) => /node_modules\/(tar|pngjs|jpeg-js|vega-[a-z-]+)\//.test(i)),
    ).toEqual([]);
  });
});

describe('the CLI installed for EPMA work alone (npm install --prefix DIR --omit=optional)', () => {
  const bin = () => join(epmaOnly, 'node_modules/.bin/labkit');
  const lib = () => join(epmaOnly, 'node_modules');

  it('has no TensorFlow.js and fits in 30 MB', () => {
    expect(readdirSync(lib())).not.toContain('@tensorflow');
    // The charts use vega-* packages (not the umbrella vega), all optional.
    expect(readdirSync(lib()).filter((d) => d === 'vega' || d.startsWith('vega-'))).toEqual([]);
    // (The full install beside it has them: the check can see them.)
    expect(readdirSync(join(app, 'node_modules')).filter((d) => d.startsWith('vega-'))).not.toEqual(
      [],
    );
    expect(bytesUnder(lib())).toBeLessThan(30e6);
  });

  it('converts EPMA data and shows every help page', () => {
    const example = join(repoRoot, 'examples/epma/olivine-oxides.csv');
    const r = spawnSync(bin(), ['epma', 'convert', example], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^Point,Sample,.*Si at%/);
    const help = spawnSync(bin(), ['train', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Default recipe: 3072-1024-512-10/);
  });

  it('a training command says TensorFlow.js was left out and to install again in the same prefix', () => {
    const again = `npm install --prefix ${realpathSync(epmaOnly)} @labkit/cli`;
    const runDir = mkdtempSync(join(work, 'run-'));
    for (const args of [['info'], ['train', '--epochs', '1'], ['report', runDir]]) {
      const r = spawnSync(bin(), args, { encoding: 'utf8' });
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(
        /^labkit: error: this command needs (@tensorflow\/tfjs-\S+|vega-\S+), which this install of labkit left out /,
      );
      expect(r.stderr).toContain(`without --omit=optional: ${again}\n`);
      expect(r.stderr).not.toContain('npm install -g');
    }
  });

  it('the light entries type-check without TF.js: tsc --strict, skipLibCheck off', () => {
    const consumer = join(epmaOnly, 'consumer');
    mkdirSync(consumer);
    writeFileSync(
      join(consumer, 'consumer.ts'),
      `import { DEFAULT_SPEC, DEFAULT_TRAINING, type ModelSpec } from '@labkit/nn-core/config';
import { type FetchOptions, fetchTarget } from '@labkit/nn-core/data';
import { diagnose, diagnoseRun, formatDiagnosis, type RunDiagnosis } from '@labkit/nn-core/recipe';

const spec: ModelSpec = { ...DEFAULT_SPEC, hidden: [8] };
const fetch: FetchOptions = { dir: fetchTarget(undefined, {}) };
const text: string = formatDiagnosis(diagnose([{ epoch: 1, trainLoss: 1, trainAccuracy: 0.5 }]));
const later: Promise<RunDiagnosis> = diagnoseRun('runs/x');
export const uses = [spec, DEFAULT_TRAINING.batchSize, fetch, text, later];
`,
    );
    const r = strictTsc(consumer, {
      lib: ['ES2022'],
      // @types/node from the full install beside: the EPMA-only install stays as users get it.
      typeRoots: [join(app, 'node_modules/@types')],
      types: ['node'],
    });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('fetches CIFAR-10 without TensorFlow.js (data fetch runs on the light ./data entry)', () => {
    const dir = mkdtempSync(join(work, 'cifar-'));
    for (const name of [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat('test_batch.bin'))
      writeFileSync(join(dir, name), '');
    const r = spawnSync(bin(), ['data', 'fetch', 'cifar10', '--dir', dir], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      `CIFAR-10 is already complete in ${dir}; nothing to do (--force downloads it again)\n`,
    );
    expect(r.status).toBe(0);
  });

  it('a report of a run directory that is not there says so (exit 2), not that TF.js is missing', () => {
    const missing = join(work, 'no-such-run');
    const r = spawnSync(bin(), ['report', missing], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `labkit: ${missing} does not exist\nRun 'labkit report --help' for usage.\n`,
    );
  });
});
