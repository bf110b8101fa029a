import { inBrowser, type Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
// KaTeX's styles and fonts come from the package the pages are rendered with: nothing from a CDN.
import 'katex/dist/katex.min.css';
import './custom.css';
import EpmaConverter from './components/EpmaConverter.vue';
import { watchScrollBoxes } from './scroll-cue.js';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('EpmaConverter', EpmaConverter);
    if (inBrowser) watchScrollBoxes();
  },
} satisfies Theme;
