/**
 * The built documentation site in headless Chromium, as a reader sees it: every page loads without
 * console errors, every internal link and anchor resolves, nothing is fetched from the web, and the
 * live EPMA converter shows the numbers a hand calculation gives.
 *
 * Needs `pnpm build` (the site in apps/docs/.vitepress/dist). Chromium is Debian's when installed,
 * else the build inside the `@sparticuz/chromium` dev dependency (see tools/chromium). Set
 * LABKIT_DOCS_SHOTS=<dir> to also save screenshots.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromiumContext } from '@labkit/test-chromium';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveStaticPath, serveStatic } from './docs-server.js';
import { repoRoot } from './labkit.js';
import { collectProblems } from './page-problems.js';

const siteDir = resolve(repoRoot, 'apps/docs/.vitepress/dist');
const shotsDir = process.env.LABKIT_DOCS_SHOTS;

// Standard atomic weights (CIAAW 2021; conventional values for the interval elements O, Mg, Si),
// written out here so the expected numbers do not come from the code under test.
const ATOMIC_WEIGHT: Record<string, number> = {
  O: 15.999,
  Mg: 24.305,
  Si: 28.085,
  Mn: 54.938043,
  Fe: 55.845,
  Ni: 58.6934,
};
const OXIDES: Record<string, Record<string, number>> = {
  SiO2: { Si: 1, O: 2 },
  MgO: { Mg: 1, O: 1 },
  FeO: { Fe: 1, O: 1 },
  MnO: { Mn: 1, O: 1 },
  NiO: { Ni: 1, O: 1 },
};

/** Splits one CSV line with double-quoted fields (enough for the example files). */
function csvFields(line: string): string[] {
  return [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)]
    .slice(0, -1)
    .map((m) => (m[1] ?? '').replace(/^"|"$/g, '').replace(/""/g, '"'));
}

function oxideMoles(analysis: Record<string, number>): Record<string, number> {
  const moles: Record<string, number> = {};
  for (const [oxide, wt] of Object.entries(analysis)) {
    const atoms = OXIDES[oxide] ?? {};
    const molarMass = Object.entries(atoms).reduce(
      (m, [el, k]) => m + k * (ATOMIC_WEIGHT[el] ?? Number.NaN),
      0,
    );
    for (const [el, k] of Object.entries(atoms))
      moles[el] = (moles[el] ?? 0) + (k * wt) / molarMass;
  }
  return moles;
}

/** at% by hand: moles of each element per 100 g, as a share of all moles. */
function atomicPercentByHand(analysis: Record<string, number>): Record<string, number> {
  const moles = oxideMoles(analysis);
  const sum = Object.values(moles).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(moles).map(([el, n]) => [el, (100 * n) / sum]));
}

/** Atoms per formula unit by hand: all moles scaled so that oxygen equals `oxygens`. */
function apfuByHand(analysis: Record<string, number>, oxygens: number): Record<string, number> {
  const moles = oxideMoles(analysis);
  const factor = oxygens / (moles.O ?? Number.NaN);
  return Object.fromEntries(Object.entries(moles).map(([el, n]) => [el, n * factor]));
}

/** URL paths of every HTML file under `dir`, as the static server serves them. */
function htmlPages(dir: string, prefix = '/'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return htmlPages(join(dir, entry.name), `${prefix}${entry.name}/`);
    if (!entry.name.endsWith('.html')) return [];
    return [entry.name === 'index.html' ? prefix : `${prefix}${entry.name}`];
  });
}

interface Visit {
  links: string[];
  ids: string[];
}

let server: Server;
let baseUrl: string;
let context: BrowserContext;
let userDataDir: string;

beforeAll(async () => {
  if (!existsSync(join(siteDir, 'index.html'))) {
    throw new Error(
      `the docs site is not built (no ${siteDir}/index.html): run 'pnpm build' first`,
    );
  }
  ({ server, baseUrl } = await serveStatic(siteDir));
  userDataDir = mkdtempSync(join(tmpdir(), 'labkit-docs-chromium-'));
  context = await launchChromiumContext(userDataDir, { viewport: { width: 1280, height: 900 } });
  if (shotsDir) mkdirSync(shotsDir, { recursive: true });
});

afterAll(async () => {
  await context?.close();
  await new Promise((done) => server?.close(done));
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

/** A page that records console errors, uncaught exceptions, failed responses and requests leaving localhost. */
async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems = collectProblems(page);
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (/^https?:$/.test(url.protocol) && url.origin !== baseUrl)
      problems.push(`request leaves the site: ${r.url()}`);
  });
  return { page, problems };
}

/** Loads a page and waits until Vue has hydrated it. */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(new URL(path, baseUrl).href, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() =>
    Boolean((document.querySelector('#app') as { __vue_app__?: unknown } | null)?.__vue_app__),
  );
}

async function visit(page: Page, path: string): Promise<Visit> {
  await open(page, path);
  const links = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
  const ids = await page.$$eval('[id]', (els) => els.map((e) => e.id));
  return { links, ids };
}

describe('docs site', () => {
  it('serves every page without console errors, broken internal links or requests to the web', async () => {
    const { page, problems } = await watchedPage();
    const visited = new Map<string, Visit>();
    const linkedFrom = new Map<string, string>();
    const queue = ['/'];
    const started = performance.now();
    while (queue.length > 0) {
      const path = queue.shift() as string;
      if (visited.has(path)) continue;
      const before = problems.length;
      const result = await visit(page, path);
      visited.set(path, result);
      for (let i = before; i < problems.length; i++) problems[i] = `${path}: ${problems[i]}`;
      for (const href of result.links) {
        const url = new URL(href);
        if (url.origin !== baseUrl) continue;
        if (!linkedFrom.has(url.pathname + url.hash)) linkedFrom.set(url.pathname + url.hash, path);
        if (!visited.has(url.pathname) && !queue.includes(url.pathname)) queue.push(url.pathname);
      }
    }
    await page.close();
    console.info(
      `docs crawl: ${visited.size} pages in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const broken: string[] = [];
    for (const [target, from] of linkedFrom) {
      const [pathname = '/', hash] = target.split('#');
      if (!resolveStaticPath(siteDir, pathname)) {
        broken.push(`${from} links to missing page ${pathname}`);
      } else if (hash && !visited.get(pathname)?.ids.includes(decodeURIComponent(hash))) {
        broken.push(`${from} links to missing anchor ${target}`);
      }
    }
    expect(problems).toEqual([]);
    expect(broken).toEqual([]);
    // Every page the build wrote is reachable by links from the home page (no orphans).
    const built = htmlPages(siteDir).filter((p) => p !== '/404.html');
    expect(built.filter((p) => !visited.has(p))).toEqual([]);
    // The crawl reached the guides, the generated references and the API pages.
    const paths = [...visited.keys()];
    for (const expected of [
      '/guide/getting-started.html',
      '/epma/guide.html',
      '/epma/converter.html',
      '/training/batch-norm.html',
      '/reference/cli.html',
      '/epma/atomic-weights.html',
    ]) {
      expect(paths).toContain(expected);
    }
    expect(paths).toContain('/api/epma-convert/');
    expect(paths).toContain('/api/nn-core/');
  }, 300_000);

  it('renders the maths with KaTeX, styled from the bundled stylesheet', async () => {
    const { page, problems } = await watchedPage();
    await open(page, '/epma/guide.html');
    const formulas = await page.locator('.katex').count();
    expect(formulas).toBeGreaterThan(20);
    // KaTeX's own font is loaded: its CSS and fonts were bundled, not fetched from a CDN.
    const fontFamily = await page
      .locator('.katex .mord')
      .first()
      .evaluate((e) => getComputedStyle(e).fontFamily);
    expect(fontFamily).toMatch(/KaTeX/);
    expect(await page.locator('.katex-error').count()).toBe(0);
    if (shotsDir) {
      await page
        .getByRole('heading', { name: /Fe³⁺ from charge balance/ })
        .scrollIntoViewIfNeeded();
      await page.evaluate(() => window.scrollBy(0, -80));
      await page.screenshot({ path: join(shotsDir, 'epma-math.png') });
      await open(page, '/');
      await page.screenshot({ path: join(shotsDir, 'home.png') });
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('site search', () => {
  it('finds the Droop section with the built-in offline search', async () => {
    const { page, problems } = await watchedPage();
    await open(page, '/');
    await page.locator('.DocSearch-Button').first().click();
    await page.locator('.search-input').fill('Droop');
    const results = page.locator('.results');
    await expect
      .poll(() => results.textContent())
      .toContain('Fe³⁺ from charge balance (Droop 1987)');
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('live EPMA converter', () => {
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    ({ page, problems } = await watchedPage());
    await open(page, '/epma/converter.html');
    await page.getByText('Loading the converter').waitFor({ state: 'detached' });
  });

  afterAll(async () => {
    expect(problems).toEqual([]);
    await page.close();
  });

  /** The result table as { header: value } per row. */
  async function resultRows(): Promise<Record<string, string>[]> {
    const table = page.getByTestId('epma-result');
    await table.waitFor();
    const header = await table.locator('thead th').allTextContents();
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
      );
    return rows.map((cells) =>
      Object.fromEntries(header.map((h, i) => [h.trim(), cells[i] ?? ''])),
    );
  }

  function expectShown(shown: string | undefined, expected: number, decimals: number): void {
    expect(shown, `expected ${expected.toFixed(decimals)}`).toMatch(/^-?\d+(\.\d+)?$/);
    expect(Math.abs(Number(shown) - expected)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-9);
  }

  const olivine = { SiO2: 40.87, MgO: 49.35, FeO: 9.78 };
  const olivineCsv = `Point,SiO2,MgO,FeO\nol-1,${olivine.SiO2},${olivine.MgO},${olivine.FeO}\n`;

  it('converts a pasted analysis to the atomic percentages of a hand calculation', async () => {
    await page.getByTestId('epma-mode').selectOption('atomic');
    await page.getByTestId('epma-input').fill(olivineCsv);
    const [row] = await resultRows();
    const expected = atomicPercentByHand(olivine);
    expect(row?.Point).toBe('ol-1');
    for (const el of ['Si', 'Mg', 'Fe', 'O'])
      expectShown(row?.[`${el} at%`], expected[el] ?? Number.NaN, 2);
    // Markdown and LaTeX to copy carry the same numbers.
    const shown = ['Si', 'Mg', 'Fe', 'O'].map((el) => row?.[`${el} at%`]);
    expect(await page.getByTestId('epma-markdown').textContent()).toContain(
      `| ol-1 | ${shown.join(' | ')} |`,
    );
    const latex = (await page.getByTestId('epma-latex').textContent()) ?? '';
    expect(latex).toContain('\\toprule');
    expect(latex).toContain(`ol-1 & ${shown.join(' & ')} &`);
    if (shotsDir) {
      await page.getByTestId('epma-input').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shotsDir, 'converter.png'), fullPage: true });
    }
  });

  it('recalculates the formula on 4 oxygens', async () => {
    await page.getByTestId('epma-mode').selectOption('formula');
    await page.getByTestId('epma-oxygens').fill('4');
    await page.getByTestId('epma-input').fill(olivineCsv);
    const [row] = await resultRows();
    const expected = apfuByHand(olivine, 4);
    for (const el of ['Si', 'Mg', 'Fe'])
      expectShown(row?.[`${el} apfu`], expected[el] ?? Number.NaN, 3);
  });

  it('splits magnetite analysed as FeO into Fe2+ 1 and Fe3+ 2 by charge balance (Droop 1987)', async () => {
    // Fe3O4 with all iron reported as FeO: 3 FeO per Fe3O4, 3 x 71.844 / 231.531 = 93.09 wt%.
    await page.getByTestId('epma-mode').selectOption('formula');
    await page.getByTestId('epma-oxygens').fill('4');
    await page.getByTestId('epma-droop').check();
    await page.getByTestId('epma-cations').fill('3');
    await page.getByTestId('epma-input').fill('Point,FeO\nmt-1,93.09\n');
    const [row] = await resultRows();
    expectShown(row?.['Fe3+ apfu'], 2, 3);
    expectShown(row?.['Fe2+ apfu'], 1, 3);
    await page.getByTestId('epma-droop').uncheck();
  });

  it('loads a bundled example with its button: spinels on 4 oxygens and 3 cations', async () => {
    await page.getByTestId('epma-mode').selectOption('formula');
    await page.getByTestId('epma-oxygens').fill('4');
    await page.getByTestId('epma-droop').check();
    await page.getByTestId('epma-cations').fill('3');
    await page.getByTestId('epma-example-spinel-oxides.csv').click();
    await expect
      .poll(() => page.getByTestId('epma-summary').textContent())
      .toContain('spinel-oxides.csv');
    const rows = await resultRows();
    const bySample = (prefix: string) => rows.find((r) => r.Sample?.startsWith(prefix));
    // Ideal end-members: Fe3O4 = Fe2+ Fe3+2 O4; FeCr2O4 has no Fe3+; MgAl2O4 has 1 Mg and 2 Al.
    expectShown(bySample('magnetite')?.['Fe2+ apfu'], 1, 3);
    expectShown(bySample('magnetite')?.['Fe3+ apfu'], 2, 3);
    expectShown(bySample('chromite')?.['Cr apfu'], 2, 3);
    expectShown(bySample('chromite')?.['Fe2+ apfu'], 1, 3);
    expectShown(bySample('spinel')?.['Al apfu'], 2, 3);
    expectShown(bySample('spinel')?.['Mg apfu'], 1, 3);
    await page.getByTestId('epma-droop').uncheck();
  });

  it('converts a file dropped on the input box', async () => {
    await page.getByTestId('epma-mode').selectOption('atomic');
    const dataTransfer = await page.evaluateHandle(
      (csv) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([csv], 'dropped.csv', { type: 'text/csv' }));
        return transfer;
      },
      olivineCsv.replace('ol-1', 'ol-dropped'),
    );
    await page.locator('.epma-drop').dispatchEvent('drop', { dataTransfer });
    await expect
      .poll(() => page.getByTestId('epma-summary').textContent())
      .toContain('dropped.csv');
    const [row] = await resultRows();
    expect(row?.Point).toBe('ol-dropped');
    expectShown(row?.['Mg at%'], atomicPercentByHand(olivine).Mg ?? Number.NaN, 2);
  });

  it('shows the first 500 rows of a large paste and keeps every row in the Markdown', async () => {
    await page.getByTestId('epma-mode').selectOption('atomic');
    const lines = Array.from({ length: 1200 }, (_, i) => `p${i + 1},40.87,49.35,9.78`);
    // As a paste does: the whole text arrives in one input event (Playwright's fill types it slowly).
    await page.getByTestId('epma-input').evaluate(
      (el, text) => {
        (el as HTMLTextAreaElement).value = text;
        el.dispatchEvent(new Event('input', { bubbles: true }));
      },
      `Point,SiO2,MgO,FeO\n${lines.join('\n')}\n`,
    );
    await expect.poll(() => page.getByTestId('epma-summary').textContent()).toContain('1200 rows');
    expect(await page.getByTestId('epma-result').locator('tbody tr').count()).toBe(500);
    expect(await page.getByText('Showing the first 500 of 1200 rows').isVisible()).toBe(true);
    const markdown = (await page.getByTestId('epma-markdown').textContent()) ?? '';
    expect(markdown).toContain('| p1200 |');
  });

  it('names the line and column of a bad cell', async () => {
    await page.getByTestId('epma-mode').selectOption('atomic');
    await page.getByTestId('epma-input').fill('Point,SiO2,MgO\np1,40.1,abc\n');
    const error = page.getByTestId('epma-error');
    await error.waitFor();
    const message = (await error.textContent()) ?? '';
    // file:line:column: what was expected
    expect(message).toMatch(/^pasted text:2:3: /);
  });

  it('converts the olivine example file chosen with the file input', async () => {
    const file = resolve(repoRoot, 'examples/epma/olivine-oxides.csv');
    const [headerLine = '', ...lines] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
    const header = csvFields(headerLine);
    // By hand: every oxide column read as wt%, 'bdl' counted as 0 (the default policy).
    const analyses = lines.map((line) => {
      const fields = csvFields(line);
      return Object.fromEntries(
        header.flatMap((h, i) =>
          h in OXIDES ? [[h, fields[i] === 'bdl' ? 0 : Number(fields[i])]] : [],
        ),
      ) as Record<string, number>;
    });
    expect(analyses.length).toBeGreaterThan(0);

    await page.getByTestId('epma-mode').selectOption('atomic');
    await page.getByTestId('epma-file').setInputFiles(file);
    await expect
      .poll(() => page.getByTestId('epma-summary').textContent())
      .toContain('olivine-oxides.csv');
    const rows = await resultRows();
    expect(rows).toHaveLength(analyses.length);
    analyses.forEach((analysis, r) => {
      const expected = atomicPercentByHand(analysis);
      for (const [el, value] of Object.entries(expected))
        expectShown(rows[r]?.[`${el} at%`], value, 2);
    });
  });
});
