import type { MarkdownRenderer } from 'vitepress';

/**
 * Wide content (tables, display equations) scrolls inside its own box on a narrow screen instead
 * of widening the page: the outer box draws the edge cue, the inner one scrolls. The theme's
 * scroll-cue.ts shows the cue on the side where more content is hidden.
 */
export const SCROLL_X_OPEN = '<div class="scroll-x"><div class="scroll-x-inner">';
export const SCROLL_X_CLOSE = '</div></div>';

/** Wraps every Markdown table in a horizontal scroll box. */
export function scrollWideTables(md: MarkdownRenderer): void {
  md.renderer.rules.table_open = (tokens, idx, options, _env, self) =>
    `${SCROLL_X_OPEN}${self.renderToken(tokens, idx, options)}`;
  md.renderer.rules.table_close = (tokens, idx, options, _env, self) =>
    `${self.renderToken(tokens, idx, options)}${SCROLL_X_CLOSE}`;
}

/** For the KaTeX plugin's `transformer`: display equations get the same scroll box. */
export function scrollDisplayMath(html: string, display: boolean): string {
  return display ? `${SCROLL_X_OPEN}${html}${SCROLL_X_CLOSE}\n` : html;
}
