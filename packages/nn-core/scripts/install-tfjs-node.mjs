// Runs @tensorflow/tfjs-node's own install step (download libtensorflow, fetch or build the addon)
// on behalf of pnpm, which is told not to run it (pnpm-workspace.yaml `allowBuilds`), so that a
// machine that cannot reach the download host gets one warning instead of a stack trace.
// labkit then trains on its WebAssembly backend; `labkit info` says which backend runs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function tfjsNodeDir() {
  try {
    return dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
  } catch {
    return undefined; // optional dependency skipped by the package manager
  }
}

function hasBinding(dir) {
  const lib = join(dir, 'lib');
  if (!existsSync(lib)) return false;
  return readdirSync(lib).some((d) => existsSync(join(lib, d, 'tfjs_binding.node')));
}

const dir = tfjsNodeDir();
if (process.env.LABKIT_SKIP_TFJS_NODE) {
  console.log(
    'labkit: LABKIT_SKIP_TFJS_NODE is set; not installing the native TensorFlow backend.',
  );
} else if (dir && !hasBinding(dir)) {
  const result = spawnSync(process.execPath, ['scripts/install.js'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 15 * 60 * 1000,
  });
  if (result.status === 0 && hasBinding(dir)) {
    console.log(
      'labkit: @tensorflow/tfjs-node installed; training will use the native TensorFlow backend.',
    );
  } else {
    const output = `${result.stderr ?? ''}\n${result.stdout ?? ''}`;
    const reason =
      output.match(/Error: [^\n]+/)?.[0] ?? result.error?.message ?? `exit code ${result.status}`;
    console.warn(
      `labkit: WARN @tensorflow/tfjs-node could not be installed (${reason.trim()}); ` +
        'labkit will train on its WebAssembly backend instead.',
    );
  }
}
