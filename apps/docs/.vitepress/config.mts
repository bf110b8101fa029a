import { katex } from '@mdit/plugin-katex';
import { defineConfig } from 'vitepress';
import { scrollDisplayMath, scrollWideTables } from './scroll-x.js';

/** MathML elements KaTeX emits beside its HTML; Vue must leave them alone rather than resolve them as components. */
const MATHML_TAGS = new Set([
  'math',
  'annotation',
  'semantics',
  'mi',
  'mn',
  'mo',
  'ms',
  'mspace',
  'mtext',
  'menclose',
  'merror',
  'mfenced',
  'mfrac',
  'mpadded',
  'mphantom',
  'mroot',
  'mrow',
  'msqrt',
  'mstyle',
  'mmultiscripts',
  'mover',
  'mprescripts',
  'msub',
  'msubsup',
  'msup',
  'munder',
  'munderover',
  'none',
  'maligngroup',
  'malignmark',
  'mtable',
  'mtd',
  'mtr',
  'mlongdiv',
  'mscarries',
  'mscarry',
  'msgroup',
  'msline',
  'msrow',
  'mstack',
  'maction',
  'semantics',
  'mlabeledtr',
]);

export default defineConfig({
  title: 'labkit',
  description:
    'EPMA conversions and small-net training on CIFAR-10: libraries, CLI and the reasoning behind them',
  lang: 'en',
  lastUpdated: false,
  // Generated fragments that pages include with <!--@include: ...-->; not pages themselves.
  srcExclude: ['**/_*.md'],
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  // Dead internal links fail the build; the e2e test checks the built site again in a browser.
  ignoreDeadLinks: false,
  markdown: {
    math: false,
    config(md) {
      // VitePress and the plugin type markdown-it from two versions of @types/markdown-it; the
      // runtime object is the same.
      katex(md as unknown as Parameters<typeof katex>[0], {
        throwOnError: true,
        output: 'htmlAndMathml',
        transformer: scrollDisplayMath,
      });
      scrollWideTables(md);
    },
  },
  vite: {
    // mathjs (used by epma-convert's group summaries) is one 750 kB chunk, loaded only on demand.
    build: { chunkSizeWarningLimit: 800 },
    // Both workers (the converter's and the recipe's) are ES modules: the default IIFE format cannot split chunks.
    worker: { format: 'es' },
  },
  vue: {
    template: { compilerOptions: { isCustomElement: (tag) => MATHML_TAGS.has(tag) } },
  },
  themeConfig: {
    logo: '/favicon.svg',
    nav: [
      { text: 'Getting started', link: '/guide/getting-started' },
      { text: 'EPMA', link: '/epma/guide' },
      { text: 'Training', link: '/training/guide' },
      { text: 'Converter', link: '/epma/converter' },
      { text: 'Reference', link: '/reference/cli' },
    ],
    sidebar: [
      { text: 'Start', items: [{ text: 'Getting started', link: '/guide/getting-started' }] },
      {
        text: 'EPMA',
        items: [
          { text: 'EPMA guide: the maths', link: '/epma/guide' },
          { text: 'Input files: headers and below-detection', link: '/epma/input' },
          { text: 'Worked examples', link: '/epma/examples' },
          { text: 'Atomic weights', link: '/epma/atomic-weights' },
          { text: 'Live converter', link: '/epma/converter' },
        ],
      },
      {
        text: 'Training',
        items: [
          { text: 'Training guide', link: '/training/guide' },
          { text: 'Batch normalisation, derived', link: '/training/batch-norm' },
          { text: 'Reading the training report', link: '/training/report' },
          { text: 'The recipe in your browser', link: '/training/in-browser' },
          { text: 'Classify with your model', link: '/training/classify' },
        ],
      },
      {
        text: 'Reference',
        items: [
          { text: 'CLI', link: '/reference/cli' },
          { text: 'API: one page per module', link: '/api/' },
        ],
      },
    ],
    search: { provider: 'local' },
    outline: { level: [2, 3] },
    footer: {
      message:
        'labkit is MIT licensed. This site works offline: no CDN, no web fonts, no trackers.',
    },
  },
});
