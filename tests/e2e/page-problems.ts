import type { Page } from 'playwright-core';

/**
 * Records what a reader would see go wrong on a page: console errors, uncaught exceptions and
 * failed responses (HTTP 400 and above). The returned list fills as the page runs.
 */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  return problems;
}
