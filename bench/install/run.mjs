// `pnpm bench install`: what users download. Packs each publishable package with `pnpm pack` (as
// it would be published: workspace ranges replaced by versions), then installs the tarballs with
// npm into empty prefixes, as a user would, and reports the size on disk and the package count.
// Needs the npm registry; takes a few minutes (mostly TensorFlow.js).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesUnder, packPublished } from './packages.mjs';

const root = process.argv[2]
  ? resolve(process.argv[2])
  : resolve(fileURLToPath(import.meta.url), '../../..');
const work = mkdtempSync(join(tmpdir(), 'labkit-install-size-'));
const packs = join(work, 'packs');
mkdirSync(packs);

const tarball = packPublished(root, packs);

function packageCount(dir) {
  const r = spawnSync('npm', ['ls', '--all', '--parseable', ...(dir.global ? ['-g'] : [])], {
    cwd: dir.path,
    env: { ...process.env, npm_config_prefix: dir.global ? dir.path : undefined },
    encoding: 'utf8',
  });
  return r.stdout.split('\n').filter((l) => l.includes('node_modules')).length;
}

const cases = [
  { label: '@labkit/epma-convert', files: [tarball['epma-convert']], args: [] },
  {
    label: '@labkit/nn-core',
    files: [tarball['nn-core']],
    args: [],
  },
  {
    label: '@labkit/cli, global',
    files: [tarball['epma-convert'], tarball['nn-core'], tarball.cli],
    args: ['-g'],
  },
  {
    // npm ignores --omit with -g (npm/cli#8284), so the EPMA-only CLI goes into its own prefix.
    label: '@labkit/cli, --prefix DIR --omit=optional (EPMA only)',
    files: [tarball['epma-convert'], tarball['nn-core'], tarball.cli],
    args: ['--omit=optional'],
  },
];

const rows = [];
for (const c of cases) {
  const dir = join(work, c.label.replace(/[^a-z]+/gi, '-'));
  mkdirSync(dir);
  const global = c.args.includes('-g');
  if (!global) writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  const args = ['install', '--prefix', dir, '--no-fund', '--no-audit', ...c.args, ...c.files];
  const start = Date.now();
  const r = spawnSync('npm', args, { cwd: dir, encoding: 'utf8' });
  const seconds = (Date.now() - start) / 1000;
  if (r.status !== 0) {
    rows.push(`| ${c.label} | npm failed (${r.stderr.trim().split('\n').at(-1)}) | | | | |`);
    continue;
  }
  const installed = global ? join(dir, 'lib') : join(dir, 'node_modules');
  const mb = bytesUnder(installed) / 1e6;
  const du = Number(execFileSync('du', ['-sk', installed], { encoding: 'utf8' }).split('\t')[0]);
  const tfjsNode = spawnSync('find', [installed, '-path', '*@tensorflow/tfjs-node/package.json'], {
    encoding: 'utf8',
  }).stdout.trim();
  rows.push(
    `| ${c.label} | ${mb.toFixed(1)} MB | ${(du / 1024).toFixed(0)} MiB | ${packageCount({ path: dir, global })} | ${tfjsNode ? 'yes' : 'no'} | ${seconds.toFixed(0)} s |`,
  );
}
console.log(
  `npm ${execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim()}, Node ${process.versions.node}, ${process.platform}-${process.arch}`,
);
console.log(
  '| install (npm, from packed tarballs) | apparent size | du | packages | tfjs-node kept | time |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);
rmSync(work, { recursive: true, force: true });
