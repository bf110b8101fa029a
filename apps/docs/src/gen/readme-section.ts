import { generatedNotice } from './markdown.js';

/**
 * The body of one `## heading` section of a Markdown file (up to the next `## `), so a page can
 * show the README's own words instead of a copy that drifts. Fenced code is skipped when looking
 * for the end, since a `## ` line inside a code block is not a heading.
 */
export function markdownSection(markdown: string, heading: string): string {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((line) => line.trim() === `## ${heading}`);
  if (start < 0) throw new Error(`no "## ${heading}" section found`);
  const body: string[] = [];
  let inFence = false;
  for (const line of lines.slice(start + 1)) {
    if (/^(```|~~~)/.test(line.trim())) inFence = !inFence;
    if (!inFence && /^#{1,2} /.test(line)) break;
    body.push(line);
  }
  const text = body.join('\n').trim();
  if (text === '') throw new Error(`the "## ${heading}" section is empty`);
  // VitePress compiles pages as Vue templates: refuse what would be read as an interpolation.
  if (text.includes('{{')) throw new Error(`the "## ${heading}" section contains "{{"`);
  return text;
}

/** A fragment holding a README section, for `<!--@include: ...-->`. */
export function renderReadmeSection(readme: string, heading: string): string {
  return `${generatedNotice(`README.md, section "${heading}"`)}\n\n${markdownSection(readme, heading)}\n`;
}
