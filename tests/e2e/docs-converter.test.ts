/**
 * The live EPMA converter of the built docs site in headless Chromium, checked against the `labkit`
 * CLI: 20,000 pasted rows never block the page for 100 ms, the per-row oxygen basis and the CSV
 * download match the CLI byte for byte, the CLI's warnings are on screen with their rows, bad
 * options and binary input are told in plain words.
 *
 * Needs `pnpm build`. LABKIT_DOCS_SHOTS=<dir> also saves screenshots at 1280 and 390 px.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromiumContext } from '@labkit/test-chromium';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serveStatic } from './docs-server.js';
import { labkit, repoRoot } from './labkit.js';

const siteDir = resolve(repoRoot, 'apps/docs/.vitepress/dist');
const shotsDir = process.env.LABKIT_DOCS_SHOTS;
const exampleFile = (name: string) => resolve(repoRoot, 'examples/epma', name);

let server: Server;
let baseUrl: string;
let context: BrowserContext;
let scratch: string;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  ({ server, baseUrl } = await serveStatic(siteDir));
  scratch = mkdtempSync(join(tmpdir(), 'labkit-converter-'));
  context = await launchChromiumContext(join(scratch, 'profile'), {
    viewport: { width: 1280, height: 900 },
  });
  if (shotsDir) mkdirSync(shotsDir, { recursive: true });
});

afterAll(async () => {
  await context?.close();
  await new Promise((done) => server?.close(done));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A fresh converter page, with its console errors collected. */
async function openConverter(): Promise<void> {
  await page?.close();
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  await page.goto(`${baseUrl}/epma/converter.html`, { waitUntil: 'domcontentloaded' });
  await page.getByTestId('epma-mode').waitFor();
  await page.waitForFunction(() =>
    Boolean((document.querySelector('#app') as { __vue_app__?: unknown } | null)?.__vue_app__),
  );
}

beforeEach(async () => {
  await openConverter();
  return () => expect(problems.splice(0)).toEqual([]);
});

/**
 * Pastes `text` into the input box as the clipboard does (a 'paste' event carrying it). The text
 * reaches the page first in a task of its own, so the probe times the page's work, not the test's.
 */
async function clipboardPaste(text: string): Promise<void> {
  await page.evaluate((value) => {
    (window as unknown as { clipboardText: string }).clipboardText = value;
  }, text);
  await page.getByTestId('epma-input').evaluate((box) => {
    const data = new DataTransfer();
    data.setData('text/plain', (window as unknown as { clipboardText: string }).clipboardText);
    box.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  });
}

/** Puts `text` in the input box in one input event, as a paste does. */
async function paste(text: string): Promise<void> {
  await page.getByTestId('epma-input').evaluate((el, value) => {
    (el as HTMLTextAreaElement).value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

/** Waits until the worker has sent the whole result of the latest input and options. */
async function converted(): Promise<void> {
  await page.locator('.epma-converter[data-state="done"]').waitFor({ timeout: 60_000 });
}

/** Text of a download started by clicking `testid`. */
async function downloaded(testid: string): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(testid).click(),
  ]);
  const path = join(scratch, download.suggestedFilename());
  await download.saveAs(path);
  return readFileSync(path, 'utf8');
}

/** The shown table as { header: cell } per row, the first column being the input line. */
async function shownRows(): Promise<Record<string, string>[]> {
  const table = page.getByTestId('epma-result');
  const header = (await table.locator('thead th').allTextContents()).map((h) => h.trim());
  const rows = await table
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
    );
  return rows.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
}

/** Rows of a Markdown table the CLI wrote, as { header: cell }. */
function markdownRows(markdown: string): Record<string, string>[] {
  const cells = (line: string) =>
    line
      .replace(/^\| | \|$/g, '')
      .split(' | ')
      .map((c) => c.trim());
  const [head = '', , ...body] = markdown.trim().split('\n');
  const names = cells(head);
  return body.map((line) => Object.fromEntries(cells(line).map((c, i) => [names[i] ?? '', c])));
}

interface Probe {
  t0: number;
  /** Long tasks and phase marks, in ms since the probe started: [at, duration] or [at, phase]. */
  events: [number, number | string][];
  maxFrameGap: number;
}

/**
 * Records main-thread long tasks (over 50 ms: the browser's own 'longtask' entries) and the longest
 * gap between animation frames, from now until `stopProbe`.
 */
async function startProbe(): Promise<void> {
  await page.evaluate(() => {
    const t0 = performance.now();
    const probe = { t0, events: [] as [number, number | string][], maxFrameGap: 0, on: true };
    (window as unknown as { probe: typeof probe }).probe = probe;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        probe.events.push([Math.round(entry.startTime - t0), Math.round(entry.duration)]);
    }).observe({ type: 'longtask' });
    let last = t0;
    const frame = (now: number) => {
      probe.maxFrameGap = Math.max(probe.maxFrameGap, now - last);
      last = now;
      if (probe.on) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

/** Notes the start of a phase among the probe's events, to tell which step a long task belongs to. */
async function phase(name: string): Promise<void> {
  await page.evaluate((n) => {
    const probe = (window as unknown as { probe: Probe }).probe;
    probe.events.push([Math.round(performance.now() - probe.t0), n]);
  }, name);
}

async function stopProbe(): Promise<Probe & { longest: number }> {
  return page.evaluate(() => {
    const probe = (window as unknown as { probe: Probe & { on: boolean } }).probe;
    probe.on = false;
    const durations = probe.events.flatMap(([, d]) => (typeof d === 'number' ? [d] : []));
    return { ...probe, longest: Math.max(0, ...durations) };
  });
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Chromium's trace event for one task of a thread's task loop (older builds call it RunTask). */
const TASK_EVENTS = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);

/**
 * Runs `work` under a Chromium trace and returns the longest task on a renderer main thread, in
 * wall time and in CPU time of that thread ('tdur'). Wall time includes waiting for a core, which a
 * loaded machine adds to any task; CPU time is the page's own work.
 */
async function traceMainThread(
  work: () => Promise<void>,
): Promise<{ longestWallMs: number; longestCpuMs: number }> {
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as TraceEvent[])));
  const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', '__metadata'] },
  });
  await work();
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  const mainThreads = new Set(
    events
      .filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const tasks = events.filter(
    (e) => e.ph === 'X' && TASK_EVENTS.has(e.name) && mainThreads.has(`${e.pid}:${e.tid}`),
  );
  if (tasks.length === 0) throw new Error('the trace holds no renderer main-thread tasks');
  const longest = (key: 'dur' | 'tdur') => Math.max(...tasks.map((t) => (t[key] ?? 0) / 1000));
  return { longestWallMs: longest('dur'), longestCpuMs: longest('tdur') };
}

describe('live converter with 20,000 pasted rows', () => {
  const rows = 20_000;
  const csv = `Point,Comment,SiO2,MgO,FeO,MnO,NiO,Total\n${Array.from({ length: rows }, (_, i) => {
    const mg = (49.35 - (i % 13) * 0.05).toFixed(2);
    const total = (40.87 + Number(mg) + 9.78 + 0.14 + (i % 10 === 0 ? 0 : 0.37)).toFixed(2);
    return `p${i + 1},grain ${i % 97} rim to core traverse,40.87,${mg},9.78,0.14,${i % 10 === 0 ? 'bdl' : '0.37'},${total}`;
  }).join('\n')}\n`;

  /** Paste, convert, change an option twice, leaf through the table: the probe's record. */
  async function pasteAndWork(): Promise<Probe & { longest: number }> {
    await page.getByTestId('epma-mode').selectOption('atomic');
    await startProbe();
    await phase('paste');
    await clipboardPaste(csv);
    await converted();
    await phase('converted');
    await expect
      .poll(() => page.getByTestId('epma-summary').textContent())
      .toMatch(/20,000 rows from pasted text/);
    // The text is converted, not laid out in the box (Chrome takes seconds over 20,000 lines).
    expect(await page.getByTestId('epma-large').textContent()).toMatch(/20,001 lines/);
    // An option change converts again in the worker and replaces the result.
    await phase('option change');
    // The second change cancels the run the first one started; the result is the second's.
    await page.getByTestId('epma-policy').selectOption('keep');
    await page.getByTestId('epma-policy').selectOption('omit');
    await expect
      .poll(() => page.getByTestId('epma-summary').textContent())
      .toContain('below detection: omit');
    await converted();
    // Leafing through the table.
    await phase('next pages');
    await page.getByTestId('epma-page-next').click();
    await page.getByTestId('epma-page-next').click();
    return stopProbe();
  }

  it('never blocks the main thread for 100 ms, keeps the page short, previews 50 rows and downloads them all', async () => {
    // Chromium runs at nice 19 on a shared two-core machine: while other processes run, any task
    // can be stretched by waiting for a core (a 25 ms task was seen to take 388 ms at a load
    // average of 16). So the CPU time of every main-thread task, which no waiting stretches, is
    // bounded always; the wall time of the 'longtask' entries, best of up to three attempts on
    // fresh pages, unless the machine is oversubscribed four times over.
    const attempts: { longtask: number; cpu: number }[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      if (attempt > 1) await openConverter();
      let probe: Awaited<ReturnType<typeof pasteAndWork>> | undefined;
      const trace = await traceMainThread(async () => {
        probe = await pasteAndWork();
      });
      const longtask = probe?.longest ?? Number.POSITIVE_INFINITY;
      attempts.push({ longtask, cpu: trace.longestCpuMs });
      console.info(
        `converter, 20,000 rows, attempt ${attempt} (load average ${loadavg()[0]?.toFixed(1)}): longest main-thread task ${longtask} ms ('longtask' entries), ${trace.longestWallMs.toFixed(0)} ms wall / ${trace.longestCpuMs.toFixed(0)} ms CPU (trace); longest gap between frames ${probe?.maxFrameGap.toFixed(0)} ms; long tasks and phases [ms since start, ms or phase]: ${JSON.stringify(probe?.events)}`,
      );
      if (longtask < 100) break;
    }
    expect(Math.max(...attempts.map((a) => a.cpu))).toBeLessThan(100);
    const load = loadavg()[0] ?? 0;
    const best = Math.min(...attempts.map((a) => a.longtask));
    if (best >= 100 && load > 4 * cpus().length)
      console.info(
        `converter: a best 'longtask' of ${best} ms is not held against the page at a load average of ${load.toFixed(1)} on ${cpus().length} cores`,
      );
    else expect(best).toBeLessThan(100);

    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeLessThan(5000);
    expect(await page.getByTestId('epma-result').locator('tbody tr').count()).toBe(50);
    expect(await page.getByTestId('epma-page').textContent()).toMatch(/rows 101–150\s+of 20,000/);
    expect(await page.getByTestId('epma-result').locator('tbody td').first().textContent()).toBe(
      '102',
    );

    // Compositions first: the first result column is at%, text columns come after the total.
    const header = await page.getByTestId('epma-result').locator('thead th').allTextContents();
    expect(header.slice(0, 2).map((h) => h.trim())).toEqual(['line', 'Si at%']);
    expect(header.map((h) => h.trim()).indexOf('Point')).toBeGreaterThan(
      header.map((h) => h.trim()).indexOf('Total wt%'),
    );

    // Markdown preview: the header, 50 rows, and a note of the rest.
    const preview = (await page.getByTestId('epma-markdown').textContent()) ?? '';
    expect(preview.trim().split('\n')).toHaveLength(52);
    expect(await page.getByTestId('epma-markdown-more').textContent()).toMatch(/19,950 more rows/);
    expect(await page.getByTestId('epma-latex-more').textContent()).toMatch(/19,950 more rows/);

    // The downloads hold every row, byte for byte what the CLI writes for the same text.
    const input = join(scratch, 'pasted.csv');
    writeFileSync(input, csv);
    const cli = (format: string) =>
      labkit(['epma', 'convert', input, '--below-detection', 'omit', '--format', format]);
    expect(await downloaded('epma-download-markdown')).toBe(cli('md').stdout);
    const csvRun = cli('csv');
    expect(await downloaded('epma-download')).toBe(csvRun.stdout);

    // The summary above the table is the CLI's, line for line; each line's rows are one click away.
    const cliSummary = csvRun.stderr
      .split('\n')
      .filter((l) => l.startsWith('  '))
      .map((l) => l.trim());
    const notes = (await page.getByTestId('epma-note').allTextContents()).map(
      (t) => t.split(' — ')[0]?.trim() ?? '',
    );
    expect(cliSummary).toEqual(['NiO: 2000 below detection omitted']);
    expect(notes).toEqual(cliSummary);
    const nio = page.getByTestId('epma-note').filter({ hasText: 'NiO' });
    expect(await nio.textContent()).toMatch(
      /lines\s*2,\s*12,\s*22,[\s\S]*, 112\s+and 1,988 more\s+show only these 2,000\s*$/,
    );
    await nio.getByTestId('epma-only').click();
    expect(await page.getByTestId('epma-page').textContent()).toMatch(/rows 1–50\s+of 2,000/);
    const shownLines = await page
      .getByTestId('epma-result')
      .locator('tbody tr td:first-child')
      .allTextContents();
    expect(shownLines.slice(0, 3)).toEqual(['2', '12', '22']);
  });
});

describe('live converter, checked against the CLI', () => {
  it('gives each row its oxygens from a per-row basis column, as `--oxygens-column` does', async () => {
    const text = readFileSync(exampleFile('mixed-minerals.csv'), 'utf8').replace(
      'Oxygens',
      'Basis_O',
    );
    const input = join(scratch, 'basis.csv');
    writeFileSync(input, text);
    await page.getByTestId('epma-mode').selectOption('formula');
    await paste(text);
    await converted();
    // A column that looks like a basis is offered rather than ignored.
    await page.getByTestId('epma-oxygens-suggest').click();
    await expect.poll(() => page.getByTestId('epma-oxygens-source').inputValue()).toBe('Basis_O');
    await converted();
    const cli = labkit(['epma', 'formula', input, '--oxygens-column', 'Basis_O', '--format', 'md']);
    expect(cli.status).toBe(0);
    const expected = markdownRows(cli.stdout);
    const shown = await shownRows();
    expect(shown).toHaveLength(expected.length);
    shown.forEach((row, r) => {
      const { line, ...cells } = row;
      expect(line).toBe(String(r + 2));
      expect(cells).toEqual(expected[r]);
    });
    // Three minerals on three bases: olivine 4, augite 6, plagioclase 8 oxygens.
    expect(shown.map((r) => r.Basis_O)).toEqual(['4', '6', '8']);
    const csv = labkit(['epma', 'formula', input, '--oxygens-column', 'Basis_O']);
    expect(await downloaded('epma-download')).toBe(csv.stdout);
  });

  it('downloads the CSV of a bundled example byte for byte as `labkit epma convert` writes it', async () => {
    await page.getByTestId('epma-mode').selectOption('atomic');
    await page.getByTestId('epma-example-olivine-oxides.csv').click();
    await converted();
    const cli = labkit(['epma', 'convert', exampleFile('olivine-oxides.csv')]);
    expect(cli.status).toBe(0);
    expect(await downloaded('epma-download')).toBe(cli.stdout);
  });

  it('shows an unrecognised column and a row outside the total window above the table, with the row', async () => {
    const text = [
      'Point,SiO2,MgO,FeO,MgOt,Total',
      'ol-1,40.87,49.35,9.78,1,100',
      'ol-2,40.87,44.35,9.78,1,95',
      'ol-3,40.87,49.35,9.78,1,100',
    ].join('\n');
    await page.getByTestId('epma-mode').selectOption('atomic');
    await paste(text);
    // The CLI refuses the column; the page says which and offers to keep it as text.
    const error = page.getByTestId('epma-error');
    await expect.poll(() => error.textContent()).toContain('"MgOt"');
    await expect.poll(() => page.getByTestId('epma-result').count()).toBe(0);
    await page.getByTestId('epma-keep-MgOt').click();
    await converted();
    const input = join(scratch, 'window.csv');
    writeFileSync(input, text);
    const cli = labkit(['epma', 'convert', input, '--pass-through', 'MgOt']);
    expect(cli.status).toBe(0);
    const summary = cli.stderr
      .split('\n')
      .filter((l) => l.startsWith('  '))
      .map((l) => l.trim());
    expect(summary).toEqual(['1 of 3 rows have a total outside 98-102 wt%']);
    const warnings = page.getByTestId('epma-warnings');
    await expect.poll(() => warnings.isVisible()).toBe(true);
    await expect
      .poll(() => page.getByTestId('epma-text-columns').textContent())
      .toContain('"MgOt"');
    const note = page.getByTestId('epma-note').filter({ hasText: summary[0] as string });
    await expect.poll(() => note.isVisible()).toBe(true);
    // The warning sits above the table and names line 3; clicking it marks that row.
    const [noteBox, tableBox] = await Promise.all([
      note.boundingBox(),
      page.getByTestId('epma-result').boundingBox(),
    ]);
    expect(noteBox?.y ?? Infinity).toBeLessThan(tableBox?.y ?? 0);
    await note.getByRole('button', { name: '3', exact: true }).click();
    await expect.poll(() => page.locator('tr.focused td').first().textContent()).toBe('3');
  });

  it('shows oxygens 0 as an error next to the field, and no table', async () => {
    await page.getByTestId('epma-mode').selectOption('formula');
    await paste('Point,SiO2,MgO,FeO\nol-1,40.87,49.35,9.78\n');
    await converted();
    await page.getByTestId('epma-oxygens').fill('0');
    await expect
      .poll(() => page.getByTestId('epma-oxygens-error').textContent())
      .toMatch(/oxygens must be a positive number/);
    await expect.poll(() => page.getByTestId('epma-result').count()).toBe(0);
    const [field, message] = await Promise.all([
      page.getByTestId('epma-oxygens').boundingBox(),
      page.getByTestId('epma-oxygens-error').boundingBox(),
    ]);
    expect(Math.abs((message?.y ?? 1e9) - (field?.y ?? 0))).toBeLessThan(60);
    await page.getByTestId('epma-oxygens').fill('4');
    await converted();
    expect((await shownRows())[0]?.['Si apfu']).toMatch(/^1\.0\d\d$/);
  });

  it('refuses a dropped PNG and pasted random bytes in one plain sentence', async () => {
    // A 1x1 PNG.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const dataTransfer = await page.evaluateHandle(
      (bytes) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], 'photo.png', { type: 'image/png' }));
        return transfer;
      },
      [...png],
    );
    await page.locator('.epma-drop').dispatchEvent('drop', { dataTransfer });
    const error = page.getByTestId('epma-error');
    await expect.poll(() => error.textContent()).toMatch(/^photo\.png looks like a binary file/);
    const sentence = (await error.textContent()) ?? '';
    expect(sentence.trim().split('\n')).toHaveLength(1);
    expect(sentence.trim().match(/\.(\s|$)/g)).toHaveLength(1);
    await expect.poll(() => page.getByTestId('epma-result').count()).toBe(0);

    let seed = 42;
    const noise = Array.from({ length: 3000 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return String.fromCharCode(seed % 256);
    }).join('');
    await paste(noise);
    await expect.poll(() => error.textContent()).toMatch(/^pasted text looks like a binary file/);
    expect(((await error.textContent()) ?? '').trim().split('\n')).toHaveLength(1);
  });
});

describe('live converter, typing', () => {
  it('converts once typing pauses, not at every key', async () => {
    await page.getByTestId('epma-mode').selectOption('atomic');
    await page.evaluate(() => {
      const states: string[] = [];
      (window as unknown as { states: string[] }).states = states;
      const root = document.querySelector('.epma-converter') as HTMLElement;
      new MutationObserver(() => states.push(root.dataset.state ?? '')).observe(root, {
        attributes: true,
        attributeFilter: ['data-state'],
      });
    });
    const typed = 'Point,SiO2,MgO,FeO\nol-1,40.87,49.35,9.78';
    await page.getByTestId('epma-input').pressSequentially(typed, { delay: 10 });
    await converted();
    expect((await shownRows())[0]?.['Mg at%']).toMatch(/^\d+\.\d\d$/);
    const states = await page.evaluate(() => (window as unknown as { states: string[] }).states);
    // Each finished conversion is one 'done'; typed key by key without a pause, there are few.
    const finished = states.filter((s) => s === 'done' || s === 'failed').length;
    expect(finished).toBeGreaterThanOrEqual(1);
    expect(finished).toBeLessThanOrEqual(3);
    expect(typed.length).toBeGreaterThan(30);
  });
});

describe('screenshots', () => {
  it.skipIf(!shotsDir)(
    shotsDir
      ? 'at 1280 and 390 px: a file with warnings, 20,000 rows, errors'
      : 'at 1280 and 390 px (SKIPPED: pictures for people, written only when LABKIT_DOCS_SHOTS names a directory)',
    async () => {
      const shot = (name: string) => join(shotsDir as string, `converter-${name}.png`);
      const text = readFileSync(exampleFile('olivine-oxides.csv'), 'utf8');
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
        await page.getByTestId('epma-mode').selectOption('atomic');
        await paste(`${text.trim()}\n3,low total,40.1,9.1,0.1,40.2,bdl,89.5\n`);
        await converted();
        await page.screenshot({ path: shot(`${width}`), fullPage: true });
        await page.locator('.epma-status').screenshot({ path: shot(`${width}-result`) });
      }
      await page.getByTestId('epma-mode').selectOption('formula');
      await page.getByTestId('epma-oxygens').fill('0');
      await page.locator('.epma-options').screenshot({ path: shot('390-oxygens-error') });
      await page.getByTestId('epma-mode').selectOption('atomic');
      await paste('Point,SiO2,MgOt\n1,40,50\n');
      await page.getByTestId('epma-error').waitFor();
      await page.locator('.epma-status').screenshot({ path: shot('390-unrecognised') });
      await page.setViewportSize({ width: 1280, height: 900 });
      const rows = Array.from({ length: 20_000 }, (_, i) => `p${i + 1},40.87,49.35,9.78`);
      await paste(''); // a paste goes where the caret is: empty the box first
      await clipboardPaste(`Point,SiO2,MgO,FeO\n${rows.join('\n')}\n`);
      await converted();
      await page.screenshot({ path: shot('1280-20000-rows'), fullPage: true });
    },
  );
});
