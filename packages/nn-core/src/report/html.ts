/**
 * The self-contained HTML run report: every plot is inline SVG, every image an inline PNG data URI,
 * styles inline, no network; one small inline script filters the top losses by class. The same
 * plots are returned as standalone SVG files.
 */
import type { Diagnosis, EpochPoint } from '../recipe/diagnose.js';
import type { LrFindView } from './lr-find-view.js';
import { renderPlots } from './plots.js';
import type { SearchView } from './search-view.js';
import {
  confusedPairsTable,
  escapeHtml,
  factsTable,
  percent,
  searchSection,
  type TopLossImage,
  topLossGrid,
} from './sections.js';
import { mostConfusedPairs } from './test-set-views.js';

export { perClassAccuracy } from './plots.js';

/** One epoch as the report shows it: the diagnosis fields plus what the training loop records. */
export interface ReportEpoch extends EpochPoint {
  learningRate?: number;
  seconds?: number;
  samplesPerSec?: number;
}

/** A misclassified test image with its loss and probabilities (the report's "top losses"). */
export type MisclassifiedImage = TopLossImage;

export interface ReportInput {
  title: string;
  epochs: readonly ReportEpoch[];
  classNames: readonly string[];
  diagnosis: Diagnosis;
  /** Training loss of every optimizer step (`steps.csv`), plotted with its smoothed curve. */
  steps?: { losses: readonly number[]; stepsPerEpoch: number };
  /** Learning rate per optimizer step, when recorded; otherwise the per-epoch rates are plotted. */
  lrPerStep?: readonly number[];
  /** Rows are true classes, columns predicted classes. */
  confusion?: readonly (readonly number[])[];
  testAccuracy?: number;
  /** Misclassified test images, highest loss first. */
  misclassified?: readonly MisclassifiedImage[];
  lrFind?: LrFindView;
  search?: SearchView;
  /** Model spec and training options, shown as JSON. */
  spec?: unknown;
  backend?: string;
  /** Free-form facts shown in a table, e.g. wall time, samples/s. */
  facts?: Readonly<Record<string, string | number>>;
}

export interface RenderedReport {
  html: string;
  /** Standalone SVG documents by file name, e.g. `loss.svg`. */
  svgs: Record<string, string>;
}

/** Strips the XML prolog so an SVG document can be inlined in HTML. */
const inlineSvg = (svg: string) => svg.replace(/^<\?xml[^>]*>\s*/, '');

function epochTable(epochs: readonly ReportEpoch[]): string {
  const f = (x: number | undefined, digits = 4) =>
    x === undefined || !Number.isFinite(x) ? '' : x.toFixed(digits);
  const rows = epochs
    .map(
      (e) =>
        `<tr><td>${e.epoch}</td><td>${f(e.trainLoss)}</td><td>${percent(e.trainAccuracy)}</td><td>${f(e.valLoss)}</td><td>${percent(e.valAccuracy)}</td>` +
        `<td>${e.learningRate === undefined ? '' : e.learningRate.toPrecision(3)}</td><td>${f(e.seconds, 1)}</td><td>${f(e.samplesPerSec, 0)}</td></tr>`,
    )
    .join('');
  return `<div class="scroll"><table class="epochs"><thead><tr><th>epoch</th><th>train loss</th><th>train acc</th><th>val loss</th><th>val acc</th><th>lr</th><th>seconds</th><th>samples/s</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/**
 * Why epoch 1 can show validation accuracy above training accuracy, and a validation loss above
 * that of uniform guessing (ln of the class count); empty when epoch 1 shows neither.
 */
export function firstEpochNote(epochs: readonly ReportEpoch[], classes: number): string {
  const first = epochs[0];
  if (!first || first.valLoss === undefined || first.valAccuracy === undefined) return '';
  const chance = Math.log(classes);
  const lossAbove = first.valLoss > chance;
  const accAbove = first.valAccuracy > first.trainAccuracy;
  if (!lossAbove && !accAbove) return '';
  const parts: string[] = [];
  if (accAbove)
    parts.push(
      `Validation accuracy in epoch 1 (${percent(first.valAccuracy)}) is above training accuracy (${percent(first.trainAccuracy)}) because the training figure is the mean over the epoch, most of it taken while the model was still poor and with dropout on, while validation runs once at the end of the epoch with dropout off.`,
    );
  if (lossAbove)
    parts.push(
      `Its validation loss (${first.valLoss.toFixed(3)}) is above ln ${classes} = ${chance.toFixed(3)}, the loss of guessing every class equally, even though the accuracy is better than chance: at evaluation, batch normalisation uses its moving averages of the batch statistics, which after the first epoch still lag behind the quickly changing weights, so some predictions are confidently wrong, and cross-entropy punishes confident mistakes hard. Both effects fade within a few epochs.`,
    );
  return `<p class="note">${parts.map(escapeHtml).join(' ')}</p>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:22px;margin-bottom:4px;overflow-wrap:anywhere}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px}
.plots{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}figure.plot{margin:0;max-width:100%}.plots svg,figure.plot svg{max-width:100%;height:auto}
.diagnosis{border-left:4px solid #888;padding:8px 14px;background:#f7f7f7}
.diagnosis.overfit,.diagnosis.unstable{border-color:#d62728}.diagnosis.underfit{border-color:#ff7f0e}
.diagnosis.still-improving{border-color:#1f77b4}.diagnosis.fine{border-color:#2ca02c}
.note{border-left:4px solid #1f77b4;background:#f3f7fb;padding:6px 12px;font-size:13px}
table{border-collapse:collapse;font-size:13px}th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}
table.facts td{overflow-wrap:anywhere}
table.epochs td,table.pairs td,table.search td,table.mattered td{text-align:right;font-variant-numeric:tabular-nums}
table.pairs td:nth-child(-n+2),table.mattered td:first-child{text-align:left}
.confusion{overflow-x:auto;max-width:100%}.confusion figure.plot{max-width:none}.confusion figure.plot svg{max-width:none}
table.search td.kept{background:#dbe9f6}table.search tr.best td{font-weight:bold}table.search td:last-child{text-align:left;white-space:nowrap}
.mattered-list{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}caption{text-align:left;font-weight:bold;padding:2px 0}
.scroll{overflow-x:auto;max-width:100%}
pre{background:#f5f5f5;padding:10px;overflow:auto;font-size:12px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(96px,1fr));gap:10px}
figure{margin:0;text-align:center;font-size:11px}figure img{image-rendering:pixelated;border:1px solid #ccc}
.num{font-variant-numeric:tabular-nums;color:#555}.wrong{color:#d62728}
.cm-counts{display:none}#cm-counts:checked~.cm-counts{display:block}#cm-counts:checked~.cm-shares{display:none}
.toggle{display:block;margin:4px 0 8px}table.pairs td:nth-child(2){white-space:nowrap}
.scroll-cue{display:none;font-size:12px;color:#666;margin:2px 0}@media (max-width:560px){.scroll-cue{display:block}}`;

/** Builds the report page and its standalone SVG plots. */
export async function renderReport(input: ReportInput): Promise<RenderedReport> {
  const svgs = await renderPlots(input);
  const d = input.diagnosis;
  const facts: [string, string][] = [];
  if (input.testAccuracy !== undefined)
    facts.push(['test accuracy', percent(input.testAccuracy, 2)]);
  facts.push(['epochs recorded', String(input.epochs.length)]);
  for (const [k, v] of Object.entries(input.facts ?? {})) facts.push([k, String(v)]);
  if (input.backend) facts.push(['TF.js backend', input.backend]);

  const section = (id: string, title: string, body: string) =>
    `<section id="${id}"><h2>${escapeHtml(title)}</h2>${body}</section>`;
  const plot = (name: string, cls = '') =>
    svgs[name]
      ? `<figure class="plot${cls ? ` ${cls}` : ''}" data-plot="${name}">${inlineSvg(svgs[name])}</figure>`
      : '';
  const parts = [
    `<h1>${escapeHtml(input.title)}</h1>`,
    factsTable(facts),
    section(
      'diagnosis',
      'Diagnosis',
      `<div class="diagnosis ${d.verdict}" data-verdict="${d.verdict}"><p>${escapeHtml(d.summary)}</p>` +
        `<ul>${d.evidence.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>` +
        (d.nextSteps.length
          ? `<p>Next step (the recipe):</p><ol>${d.nextSteps.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ol>`
          : '') +
        `</div>`,
    ),
    section(
      'curves',
      'Training curves',
      `<div class="plots">${plot('loss.svg')}${plot('accuracy.svg')}${plot('lr.svg')}</div>` +
        firstEpochNote(input.epochs, input.classNames.length),
    ),
  ];
  if (input.confusion) {
    parts.push(
      section(
        'test-set',
        'Test set',
        `<div class="plots"><div class="confusion"><input type="checkbox" id="cm-counts"><label for="cm-counts">show raw counts</label><p class="scroll-cue">Scroll sideways for the whole matrix.</p>` +
          `${plot('confusion.svg', 'cm-shares')}${plot('confusion-counts.svg', 'cm-counts')}</div>${plot('per-class.svg')}</div>` +
          `<h3>Most confused pairs</h3>${confusedPairsTable(mostConfusedPairs(input.confusion), input.classNames)}`,
      ),
    );
  }
  if (input.misclassified && input.misclassified.length > 0) {
    parts.push(
      section(
        'top-losses',
        `Top losses: misclassified test images, highest loss first (${input.misclassified.length} shown)`,
        topLossGrid(input.misclassified, input.classNames),
      ),
    );
  }
  if (input.lrFind) {
    const s = input.lrFind.suggestion;
    parts.push(
      section(
        'lr-find',
        'Learning-rate range test',
        `<p>From ${escapeHtml(input.lrFind.dir)}: steepest fall of the smoothed loss at ${s.steepest.toExponential(2)} (the suggested rate); loss minimum at ${s.minimumLr.toExponential(2)}, a tenth of it ${s.minimumOver10.toExponential(2)}.</p>` +
          `<div class="plots">${plot('lr-find.svg')}</div>`,
      ),
    );
  }
  if (input.search) parts.push(section('search', 'Search', searchSection(input.search)));
  parts.push(section('epochs', 'Epochs', epochTable(input.epochs)));
  if (input.spec !== undefined) {
    parts.push(
      section(
        'spec',
        'Model spec and options',
        `<pre>${escapeHtml(JSON.stringify(input.spec, null, 2))}</pre>`,
      ),
    );
  }
  return { html: reportPage(input.title, parts), svgs };
}

/**
 * The page's one script, inline (the report works from a file, without a server): the class filter
 * of the top losses, and a hover tooltip on every confusion-matrix cell with its count and share.
 */
const PAGE_SCRIPT = `(function(){
var s=document.getElementById('top-loss-class'),n=document.getElementById('top-loss-count'),f=document.querySelectorAll('.top-losses figure');
function u(){var v=s.value,k=0;f.forEach(function(e){var show=v===''||e.dataset.true===v;e.hidden=!show;if(show)k++});n.textContent=k+' of '+f.length+' shown'}
if(s){s.addEventListener('change',u);u()}
document.querySelectorAll('.confusion path[aria-label^="true "]').forEach(function(c){var t=document.createElementNS('http://www.w3.org/2000/svg','title');var m=c.getAttribute('aria-label').match(/^(.*): (\\d+) images, share (.*)$/);t.textContent=m?m[1]+': '+m[2]+' images ('+(100*Number(m[3])).toFixed(1)+'% of the true class)':c.getAttribute('aria-label');c.appendChild(t)});
})();`;

/** The page around the report's sections. */
export function reportPage(title: string, parts: readonly string[]): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body>
${parts.join('\n')}
<footer><p style="color:#888;font-size:12px">Generated by labkit. Self-contained: no network; one inline script (top-loss filter, matrix tooltips).</p></footer>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
