/** HTML fragments of the report that are not charts: tables, the top-loss grid, the search view. */
import { describeTrial } from '../recipe/search-space.js';
import { rgbToPngDataUri } from './png.js';
import type { SearchView } from './search-view.js';
import type { ConfusedPair } from './test-set-views.js';

export const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A fraction as a percentage, the report's one way of printing accuracies and shares. */
export const percent = (x: number | undefined, digits = 1) =>
  x === undefined || !Number.isFinite(x) ? '' : `${(x * 100).toFixed(digits)}%`;

export function factsTable(rows: ReadonlyArray<readonly [string, string]>): string {
  const body = rows
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  return `<table class="facts">${body}</table>`;
}

export function confusedPairsTable(
  pairs: readonly ConfusedPair[],
  classNames: readonly string[],
): string {
  const name = (i: number) => escapeHtml(classNames[i] ?? String(i));
  const rows = pairs
    .map(
      (p) =>
        `<tr><td>${name(p.trueLabel)}</td><td>&rarr; ${name(p.predictedLabel)}</td><td>${p.count}</td><td>${percent(p.shareOfTrue)}</td></tr>`,
    )
    .join('');
  return `<table class="pairs"><thead><tr><th>true class</th><th>predicted as</th><th>images</th><th>share of true class</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A probability as a percentage; below 0.1% as `<0.1%` (the loss beside it has the exact size). */
export const probabilityText = (p: number) => (p < 0.001 ? '<0.1%' : percent(p));

/** One image of the top-loss grid; the data attributes carry the exact values for tests and tools. */
export interface TopLossImage {
  /** 3072 bytes, CHW (CIFAR layout). */
  pixels: Uint8Array;
  /** Index in the test split. */
  index?: number;
  trueLabel: number;
  predictedLabel: number;
  /** -ln(probability of the true class). */
  loss?: number;
  trueProbability?: number;
  /** Softmax probability of the predicted class. */
  confidence?: number;
}

export function topLossGrid(
  images: readonly TopLossImage[],
  classNames: readonly string[],
): string {
  const name = (i: number) => escapeHtml(classNames[i] ?? String(i));
  const attr = (key: string, v: number | undefined) =>
    v === undefined ? '' : ` data-${key}="${v}"`;
  const cells = images
    .map((m) => {
      const uri = rgbToPngDataUri(m.pixels, 32, 32, 'chw');
      const numbers = [
        m.loss === undefined ? '' : `loss ${m.loss.toFixed(2)}`,
        m.trueProbability === undefined
          ? ''
          : `p(${name(m.trueLabel)}) ${probabilityText(m.trueProbability)}`,
        m.confidence === undefined
          ? ''
          : `p(${name(m.predictedLabel)}) ${probabilityText(m.confidence)}`,
      ].filter(Boolean);
      return (
        `<figure data-true="${m.trueLabel}" data-predicted="${m.predictedLabel}"${attr('index', m.index)}${attr('loss', m.loss)}${attr('p-true', m.trueProbability)}>` +
        `<img src="${uri}" width="64" height="64" alt="true ${name(m.trueLabel)}, predicted ${name(m.predictedLabel)}">` +
        `<figcaption>true <b>${name(m.trueLabel)}</b><br>pred <b class="wrong">${name(m.predictedLabel)}</b>` +
        (numbers.length ? `<br><span class="num">${numbers.join('<br>')}</span>` : '') +
        `</figcaption></figure>`
      );
    })
    .join('');
  const present = [...new Set(images.map((m) => m.trueLabel))].sort((a, b) => a - b);
  const options = present.map((c) => `<option value="${c}">${name(c)}</option>`).join('');
  return (
    `<p class="filter"><label for="top-loss-class">true class </label><select id="top-loss-class"><option value="">all classes</option>${options}</select> <span id="top-loss-count">${images.length} of ${images.length} shown</span></p>` +
    `<div class="grid top-losses">${cells}</div>`
  );
}

export function searchSection(view: SearchView): string {
  const { plan, trials } = view;
  const head = plan
    .map((r, i) => `<th>rung ${i + 1}<br><small>${r.images} images</small></th>`)
    .join('');
  const rows = trials
    .map((t) => {
      const cells = plan
        .map((_, i) => {
          const o = t.rungs[i];
          if (!o) return '<td class="pruned"></td>';
          const kept = t.rungs[i + 1] !== undefined;
          const text = o.diverged ? 'diverged' : percent(o.valAccuracy);
          return `<td class="${kept ? 'kept' : ''}">${text}</td>`;
        })
        .join('');
      const recipe = describeTrial(t.params);
      const mark = t.trial === view.bestTrial ? ' class="best"' : '';
      return `<tr${mark}><td>${t.trial}</td>${cells}<td>${escapeHtml(recipe)}</td></tr>`;
    })
    .join('');
  const trialTable = `<div class="scroll"><table class="search"><thead><tr><th>trial</th>${head}<th>recipe</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  const mattered = view.mattered
    .map(
      (m) =>
        `<table class="mattered"><caption>${escapeHtml(m.parameter)}</caption><thead><tr><th>value</th><th>trials</th><th>mean</th><th>best</th></tr></thead><tbody>` +
        m.groups
          .map(
            (g) =>
              `<tr><td>${escapeHtml(g.value)}</td><td>${g.trials}</td><td>${percent(g.meanAccuracy)}</td><td>${percent(g.bestAccuracy)}</td></tr>`,
          )
          .join('') +
        `</tbody></table>`,
    )
    .join('');
  return (
    `<p>${trials.length} trials in ${plan.length} rungs (successive halving, keeping 1 in ${view.settings.eta}); validation accuracy on ${view.settings.valImages} held-out images. ` +
    `Shaded cells were kept for the next rung; the winner, trial ${view.bestTrial}, is in bold. From ${escapeHtml(view.dir)}.</p>` +
    trialTable +
    `<h3>What mattered: first-rung validation accuracy by each setting's value</h3>` +
    `<p>Every trial trains in rung 1, so these groups compare like with like; a setting whose values give close means mattered little in this search.</p>` +
    `<div class="mattered-list">${mattered}</div>`
  );
}
