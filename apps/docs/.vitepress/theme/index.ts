import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
// KaTeX's styles and fonts come from the package the pages are rendered with: nothing from a CDN.
import 'katex/dist/katex.min.css';
import './custom.css';
import EpmaConverter from './components/EpmaConverter.vue';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('EpmaConverter', EpmaConverter);
  },
} satisfies Theme;
