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
const CRAWL_TABS = 3;

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
    // Several tabs at once: the API reference alone is a few hundred small pages.
    const tabs = await Promise.all(Array.from({ length: CRAWL_TABS }, () => watchedPage()));
    const problems: string[] = [];
    const visited = new Map<string, Visit>();
    const linkedFrom = new Map<string, string>();
    const queue = ['/'];
    const claimed = new Set<string>();
    let busy = 0;
    const started = performance.now();
    const crawl = async (tab: { page: Page; problems: string[] }) => {
      for (;;) {
        const path = queue.shift();
        if (path === undefined) {
          if (busy === 0) return;
          await new Promise((wait) => setTimeout(wait, 20));
          continue;
        }
        if (claimed.has(path)) continue;
        claimed.add(path);
        busy++;
        const before = tab.problems.length;
        const result = await visit(tab.page, path);
        visited.set(path, result);
        problems.push(...tab.problems.slice(before).map((problem) => `${path}: ${problem}`));
        for (const href of result.links) {
          const url = new URL(href);
          if (url.origin !== baseUrl) continue;
          if (!linkedFrom.has(url.pathname + url.hash))
            linkedFrom.set(url.pathname + url.hash, path);
          if (!claimed.has(url.pathname) && !queue.includes(url.pathname)) queue.push(url.pathname);
        }
        busy--;
      }
    };
    await Promise.all(tabs.map(crawl));
    await Promise.all(tabs.map((tab) => tab.page.close()));
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
    expect(paths).toContain('/api/');
    expect(paths).toContain('/api/epma-convert/');
    expect(paths).toContain('/api/nn-core/');
  }, 600_000);

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
    // The worker has sent the whole result of the latest input and options.
    await page.locator('.epma-converter[data-state="done"]').waitFor();
    const table = page.getByTestId('epma-result');
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

  it('shows a large paste 50 rows a page and previews 50 rows of the Markdown', async () => {
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
    await expect.poll(() => page.getByTestId('epma-summary').textContent()).toContain('1,200 rows');
    await page.locator('.epma-converter[data-state="done"]').waitFor();
    expect(await page.getByTestId('epma-result').locator('tbody tr').count()).toBe(50);
    expect(await page.getByTestId('epma-page').textContent()).toMatch(/rows 1–50\s+of 1,200/);
    await page.getByTestId('epma-page-next').click();
    expect(await page.getByTestId('epma-result').locator('tbody tr td').first().textContent()).toBe(
      '52',
    );
    const markdown = (await page.getByTestId('epma-markdown').textContent()) ?? '';
    expect(markdown).toContain('| p50 |');
    expect(markdown).not.toContain('| p51 |');
    expect(await page.getByTestId('epma-markdown-more').textContent()).toContain('1,150 more rows');
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

const PHONE = { width: 390, height: 844 };

/** A page at phone width, opened at `path`, with the scroll cues marked. */
async function phonePage(path: string): Promise<{ page: Page; problems: string[] }> {
  const watched = await watchedPage();
  await watched.page.setViewportSize(PHONE);
  // No fade-in: the cue's opacity is read as soon as the box is marked.
  await watched.page.emulateMedia({ reducedMotion: 'reduce' });
  await open(watched.page, path);
  await watched.page.waitForFunction(() => document.fonts.status === 'loaded');
  // The cue script marks boxes on the next animation frame after the page settles.
  await watched.page.waitForFunction(() => document.querySelector('.vp-doc [data-more]') !== null);
  return watched;
}

interface ScrollBox {
  scrollWidth: number;
  clientWidth: number;
  more: string;
  cueOpacity: string;
  maths: boolean;
  afterDroop: boolean;
}

/** Every horizontal scroll box of the page: its widths, the cue it shows, and what it holds. */
function scrollBoxes(page: Page): Promise<ScrollBox[]> {
  return page.$$eval('.vp-doc .scroll-x', (boxes) => {
    const droop = document.getElementById('droop');
    return boxes.map((box) => {
      const inner = box.querySelector('.scroll-x-inner') as HTMLElement;
      return {
        scrollWidth: inner.scrollWidth,
        clientWidth: inner.clientWidth,
        more: (box as HTMLElement).dataset.more ?? '(unmarked)',
        cueOpacity: getComputedStyle(box, '::after').opacity,
        maths: box.querySelector('.katex-display') !== null,
        afterDroop:
          droop !== null &&
          Boolean(droop.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING),
      };
    });
  });
}

async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

describe('docs on a 390 px phone', () => {
  it.each([
    ['/epma/guide.html', 'docs-droop-390.png'],
    ['/training/batch-norm.html', 'docs-batch-norm-390.png'],
    ['/epma/examples.html', 'docs-wide-table-390.png'],
  ])(
    '%s never scrolls sideways: wide maths and tables scroll in their own box, with a cue',
    async (path, shot) => {
      const { page, problems } = await phonePage(path);
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      const boxes = await scrollBoxes(page);
      const wide = boxes.filter((b) => b.scrollWidth > b.clientWidth + 1);
      expect(wide.length).toBeGreaterThan(0);
      // Each box that hides content says so on the right, and the cue is drawn; fitting boxes show none.
      for (const box of wide) expect([box.more, box.cueOpacity]).toEqual(['right', '1']);
      for (const box of boxes.filter((b) => b.scrollWidth <= b.clientWidth + 1)) {
        expect([box.more, box.cueOpacity]).toEqual(['', '0']);
      }
      if (path === '/epma/guide.html') {
        expect(wide.some((b) => b.maths && b.afterDroop)).toBe(true);
      }
      if (path === '/training/batch-norm.html') expect(wide.some((b) => b.maths)).toBe(true);
      if (path === '/epma/examples.html') expect(wide.some((b) => !b.maths)).toBe(true);
      if (shotsDir) {
        // The first wide box of the kind the page is about, in view: Droop's equation, the
        // backward pass, a result table.
        await page.evaluate((path) => {
          const boxes = [...document.querySelectorAll('.vp-doc .scroll-x[data-more="right"]')];
          const droop = document.getElementById('droop');
          const wanted = boxes.find((box) =>
            path === '/epma/guide.html'
              ? droop && droop.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING
              : (box.querySelector('.katex-display') !== null) === (path !== '/epma/examples.html'),
          );
          const top = (wanted?.getBoundingClientRect().top ?? 0) + window.scrollY - 250;
          window.scrollTo(0, top);
        }, path);
        await page.screenshot({ path: join(shotsDir, shot) });
      }

      // Scrolled to its end, a box cues the left side instead.
      // A handle, not a locator: once scrolled, the box no longer matches data-more="right".
      const first = await page.$('.vp-doc .scroll-x[data-more="right"] > .scroll-x-inner');
      if (!first) throw new Error('no box hides content on the right');
      await first.evaluate((inner) => {
        inner.scrollLeft = inner.scrollWidth;
      });
      await expect
        .poll(() => first.evaluate((inner) => (inner.parentElement as HTMLElement).dataset.more))
        .toBe('left');
      expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
      expect(problems).toEqual([]);
      await page.close();
    },
  );
});

describe('getting started', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const cloneLine = `git clone ${String(pkg.repository.url).replace(/^git\+/, '')}`;

  it.each([
    [1280, 'docs-getting-started-1280.png'],
    [390, 'docs-getting-started-390.png'],
  ])(
    'shows the clone line, the commands uncut and the real expected output at %i px',
    async (width, shot) => {
      const { page, problems } = await watchedPage();
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await open(page, '/guide/getting-started.html');
      const blocks = await page.$$eval('.vp-doc div[class*="language-"]', (divs) =>
        divs.map((div) => {
          const pre = div.querySelector('pre') as HTMLElement;
          return {
            text: pre.textContent ?? '',
            cut: pre.scrollWidth > pre.clientWidth + 1,
            more: (div as HTMLElement).dataset.more ?? '',
          };
        }),
      );
      expect(blocks.some((b) => b.text.includes(cloneLine))).toBe(true);
      // The expected output is the README's block, which the build rewrites from a real run.
      const expected =
        readme.match(/<!--output [^>]*-->\n```text\n([\s\S]*?)\n```/)?.[1] ?? '(none)';
      expect(expected).toMatch(/^Point,Sample,Si at%/);
      expect(blocks.some((b) => b.text.trim() === expected.trim())).toBe(true);
      // The install-and-run command is wrapped: no line of it is wider than its box at 1280 px.
      const command = blocks.find((b) => b.text.includes('labkit epma convert examples'));
      expect(command?.text).toContain('\\\n');
      if (width === 1280) expect(command?.cut).toBe(false);
      // Whatever is wider than its box at this width says so with the cue.
      for (const block of blocks.filter((b) => b.cut)) expect(block.more).toContain('right');
      expect(await pageWidth(page)).toBeLessThanOrEqual(width);
      if (shotsDir) {
        await page.evaluate(() => {
          const clone = [...document.querySelectorAll('.vp-doc div[class*="language-"]')].find(
            (d) => d.textContent?.includes('git clone'),
          );
          window.scrollTo(0, (clone?.getBoundingClientRect().top ?? 0) + window.scrollY - 120);
        });
        await page.screenshot({ path: join(shotsDir, shot) });
      }
      expect(problems).toEqual([]);
      await page.close();
    },
  );
});

describe('API reference', () => {
  it('has a page per module with an introduction and an example, each of a sane height', async () => {
    const { page, problems } = await watchedPage();
    await open(page, '/api/');
    const modules = await page.$$eval('.vp-doc table a[href]', (as) =>
      as.map((a) => ({ name: a.textContent ?? '', href: (a as HTMLAnchorElement).href })),
    );
    // One page per import path the packages publish: their `exports` maps are the list.
    const importPaths = ['epma-convert', 'nn-core'].flatMap((dir) => {
      const pkg = JSON.parse(readFileSync(join(repoRoot, 'packages', dir, 'package.json'), 'utf8'));
      return Object.keys(pkg.exports as Record<string, unknown>)
        .filter((key) => key !== './package.json')
        .map((key) => (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`));
    });
    expect(importPaths).toContain('@labkit/nn-core/config');
    expect(modules.map((m) => m.name).sort()).toEqual(importPaths.sort());
    for (const module of modules) {
      await open(page, new URL(module.href).pathname);
      const facts = await page.evaluate(() => ({
        title: document
          .querySelector('.vp-doc h1')
          ?.textContent?.replace(/\u200b/g, '')
          .trim(),
        intro: document.querySelector('.vp-doc h1 ~ p')?.textContent ?? '',
        example: document.querySelector('.vp-doc h2#example + div[class*="language-"] pre')
          ?.textContent,
        height: document.documentElement.scrollHeight,
      }));
      expect(facts.title).toBe(module.name);
      expect(facts.intro.length).toBeGreaterThan(40);
      expect(facts.example).toMatch(/\/\/ prints: /);
      expect(facts.example).toContain(`from '${module.name}'`);
      expect(facts.height, module.name).toBeLessThan(12_000);
      if (shotsDir && module.name === '@labkit/nn-core/config') {
        await page.screenshot({ path: join(shotsDir, 'docs-api-config-1280.png') });
      }
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);
});
