/**
 * Headless Chromium for labkit's browser tests. The README's two commands must be the whole set-up
 * on a fresh machine with only Node and npm, so the browser comes from npm: the Chromium build that
 * ships inside the `@sparticuz/chromium` package (unpacked to the temp dir on first use). Debian's
 * /usr/bin/chromium is used instead when it is installed.
 *
 * LABKIT_CHROMIUM chooses: a path to a Chromium executable, or `bundled` for the npm build even
 * where Debian's is installed (to check the fresh-machine path on a machine that has it).
 *
 * The npm build unpacks into its own folder per version, `$TMPDIR/labkit-chromium-<version>`, not
 * the package's default `$TMPDIR/chromium` (which any other version or project may have left);
 * it unpacks into a fresh folder first and renames it, so test files starting Chromium at the same
 * time never run a half-written binary.
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * Headless, no sandbox (tests run as root in CI), and none of the background requests Chromium
 * otherwise keeps making to hosts this closed network refuses.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where the Chromium the tests launch comes from, and its executable. */
export async function chromiumExecutable(env = process.env) {
  const choice = env.LABKIT_CHROMIUM;
  if (choice && choice !== 'bundled') {
    if (!existsSync(choice))
      throw new Error(
        `LABKIT_CHROMIUM=${choice}: no such file (a Chromium executable, or "bundled")`,
      );
    return { path: choice, source: 'LABKIT_CHROMIUM' };
  }
  if (choice !== 'bundled' && existsSync(SYSTEM_CHROMIUM))
    return { path: SYSTEM_CHROMIUM, source: 'system' };
  return { path: await bundledExecutable(), source: '@sparticuz/chromium' };
}

async function bundledExecutable() {
  const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
  const version = manifest.dependencies['@sparticuz/chromium'];
  const home = join(tmpdir(), `labkit-chromium-${version}`);
  if (existsSync(join(home, 'chromium'))) return join(home, 'chromium');
  const staging = mkdtempSync(join(tmpdir(), `labkit-chromium-${version}-`));
  const { default: bundled } = await import('@sparticuz/chromium');
  // The package unpacks into os.tmpdir(), read when the call starts: point it at the staging folder
  // for the synchronous start of the call only.
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  let unpacking;
  try {
    unpacking = bundled.executablePath();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  try {
    await unpacking;
    renameSync(staging, home);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another process finished first: use its copy.
    if (!existsSync(join(home, 'chromium'))) throw error;
  }
  return join(home, 'chromium');
}

/** Launches headless Chromium (playwright-core `Browser`). */
export async function launchChromium() {
  const [{ chromium }, { path }] = await Promise.all([
    import('playwright-core'),
    chromiumExecutable(),
  ]);
  return chromium.launch({ executablePath: path, args: CHROMIUM_ARGS });
}

/** Launches headless Chromium with a profile in `userDataDir` (playwright-core `BrowserContext`). */
export async function launchChromiumContext(userDataDir, options = {}) {
  const [{ chromium }, { path }] = await Promise.all([
    import('playwright-core'),
    chromiumExecutable(),
  ]);
  return chromium.launchPersistentContext(userDataDir, {
    ...options,
    executablePath: path,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}
