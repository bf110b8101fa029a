/**
 * The self-contained HTML run report: every plot is inline SVG, every image an inline PNG data URI,
 * styles inline, no scripts and no network. The same plots are returned as standalone SVG files.
 */
import type { Diagnosis, EpochPoint } from '../recipe/diagnose.js';
import { barChartSpec, confusionSpec, lineChartSpec, renderSvg } from './charts.js';
import { rgbToPngDataUri } from './png.js';

/** One epoch as the report shows it: the diagnosis fields plus what the training loop records. */
export interface ReportEpoch extends EpochPoint {
  learningRate?: number;
  seconds?: number;
  samplesPerSec?: number;
}

export interface MisclassifiedImage {
  /** 3072 bytes, CHW (CIFAR layout). */
  pixels: Uint8Array;
  trueLabel: number;
  predictedLabel: number;
  /** Softmax probability of the predicted class. */
  confidence?: number;
}

export interface ReportInput {
  title: string;
  epochs: readonly ReportEpoch[];
  classNames: readonly string[];
  diagnosis: Diagnosis;
  /** Learning rate per optimizer step, when recorded; otherwise the per-epoch rates are plotted. */
  lrPerStep?: readonly number[];
  /** Rows are true classes, columns predicted classes. */
  confusion?: readonly (readonly number[])[];
  testAccuracy?: number;
  misclassified?: readonly MisclassifiedImage[];
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

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Per-class accuracy (recall) from a confusion matrix; NaN for a class with no test images. */
export function perClassAccuracy(confusion: readonly (readonly number[])[]): number[] {
  return confusion.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? Number.NaN : (row[i] ?? 0) / total;
  });
}

async function renderPlots(input: ReportInput): Promise<Record<string, string>> {
  const e = input.epochs;
  const svgs: Record<string, string> = {};
  const hasVal = e.some((p) => p.valLoss !== undefined);
  const best = input.diagnosis.bestEpoch;
  const marker = best !== undefined ? { x: best, label: `best val (epoch ${best})` } : undefined;
  svgs['loss.svg'] = await renderSvg(
    lineChartSpec({
      title: 'Loss per epoch',
      xTitle: 'epoch',
      xInteger: true,
      yTitle: 'cross-entropy loss',
      series: [
        { name: 'train', points: e.map((p) => [p.epoch, p.trainLoss] as const) },
        ...(hasVal
          ? [
              {
                name: 'validation',
                points: e.map((p) => [p.epoch, p.valLoss ?? Number.NaN] as const),
              },
            ]
          : []),
      ],
      ...(marker ? { marker } : {}),
    }),
  );
  svgs['accuracy.svg'] = await renderSvg(
    lineChartSpec({
      title: 'Accuracy per epoch',
      xTitle: 'epoch',
      xInteger: true,
      yTitle: 'accuracy',
      series: [
        { name: 'train', points: e.map((p) => [p.epoch, p.trainAccuracy] as const) },
        ...(hasVal
          ? [
              {
                name: 'validation',
                points: e.map((p) => [p.epoch, p.valAccuracy ?? Number.NaN] as const),
              },
            ]
          : []),
      ],
      ...(marker ? { marker } : {}),
    }),
  );
  const lrPoints =
    input.lrPerStep && input.lrPerStep.length > 0
      ? input.lrPerStep.map((lr, i) => [i + 1, lr] as const)
      : e
          .filter((p) => p.learningRate !== undefined)
          .map((p) => [p.epoch, p.learningRate as number] as const);
  if (lrPoints.length > 0) {
    svgs['lr.svg'] = await renderSvg(
      lineChartSpec({
        title: 'Learning-rate schedule',
        xTitle: input.lrPerStep?.length ? 'optimizer step' : 'epoch',
        xInteger: true,
        yTitle: 'learning rate',
        series: [{ name: 'learning rate', points: lrPoints }],
      }),
    );
  }
  if (input.confusion) {
    svgs['confusion.svg'] = await renderSvg(confusionSpec(input.confusion, input.classNames));
    const acc = perClassAccuracy(input.confusion);
    svgs['per-class.svg'] = await renderSvg(
      barChartSpec(
        'Per-class accuracy (test set)',
        input.classNames
          .map((label, i) => ({ label, value: acc[i] ?? Number.NaN }))
          .filter((b) => Number.isFinite(b.value)),
      ),
    );
  }
  return svgs;
}

/** Strips the XML prolog so an SVG document can be inlined in HTML. */
const inlineSvg = (svg: string) => svg.replace(/^<\?xml[^>]*>\s*/, '');

function factsTable(rows: ReadonlyArray<readonly [string, string]>): string {
  const body = rows
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  return `<table class="facts">${body}</table>`;
}

function epochTable(epochs: readonly ReportEpoch[]): string {
  const f = (x: number | undefined, digits = 4) =>
    x === undefined || !Number.isFinite(x) ? '' : x.toFixed(digits);
  const p = (x: number | undefined) =>
    x === undefined || !Number.isFinite(x) ? '' : `${(x * 100).toFixed(1)}%`;
  const rows = epochs
    .map(
      (e) =>
        `<tr><td>${e.epoch}</td><td>${f(e.trainLoss)}</td><td>${p(e.trainAccuracy)}</td><td>${f(e.valLoss)}</td><td>${p(e.valAccuracy)}</td>` +
        `<td>${e.learningRate === undefined ? '' : e.learningRate.toPrecision(3)}</td><td>${f(e.seconds, 1)}</td><td>${f(e.samplesPerSec, 0)}</td></tr>`,
    )
    .join('');
  return `<table class="epochs"><thead><tr><th>epoch</th><th>train loss</th><th>train acc</th><th>val loss</th><th>val acc</th><th>lr</th><th>seconds</th><th>samples/s</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function misclassifiedGrid(
  images: readonly MisclassifiedImage[],
  classNames: readonly string[],
): string {
  const name = (i: number) => escapeHtml(classNames[i] ?? String(i));
  const cells = images
    .map((m) => {
      const uri = rgbToPngDataUri(m.pixels, 32, 32, 'chw');
      const conf = m.confidence === undefined ? '' : ` (${(m.confidence * 100).toFixed(0)}%)`;
      return `<figure><img src="${uri}" width="64" height="64" alt="true ${name(m.trueLabel)}, predicted ${name(m.predictedLabel)}"><figcaption>true <b>${name(m.trueLabel)}</b><br>pred <b class="wrong">${name(m.predictedLabel)}</b>${conf}</figcaption></figure>`;
    })
    .join('');
  return `<div class="grid">${cells}</div>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
.plots{display:flex;flex-wrap:wrap;gap:16px}.plots svg{max-width:100%;height:auto}
.diagnosis{border-left:4px solid #888;padding:8px 14px;background:#f7f7f7}
.diagnosis.overfit,.diagnosis.unstable{border-color:#d62728}.diagnosis.underfit{border-color:#ff7f0e}
.diagnosis.still-improving{border-color:#1f77b4}.diagnosis.fine{border-color:#2ca02c}
table{border-collapse:collapse;font-size:13px}th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}
table.epochs td{text-align:right;font-variant-numeric:tabular-nums}
pre{background:#f5f5f5;padding:10px;overflow:auto;font-size:12px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(96px,1fr));gap:10px}
figure{margin:0;text-align:center;font-size:11px}figure img{image-rendering:pixelated;border:1px solid #ccc}
.wrong{color:#d62728}`;

/** Builds the report page and its standalone SVG plots. */
export async function renderReport(input: ReportInput): Promise<RenderedReport> {
  const svgs = await renderPlots(input);
  const d = input.diagnosis;
  const facts: [string, string][] = [];
  if (input.backend) facts.push(['TF.js backend', input.backend]);
  if (input.testAccuracy !== undefined)
    facts.push(['test accuracy', `${(input.testAccuracy * 100).toFixed(2)}%`]);
  facts.push(['epochs recorded', String(input.epochs.length)]);
  for (const [k, v] of Object.entries(input.facts ?? {})) facts.push([k, String(v)]);

  const section = (title: string, body: string) =>
    `<section><h2>${escapeHtml(title)}</h2>${body}</section>`;
  const plot = (name: string) =>
    svgs[name] ? `<figure class="plot">${inlineSvg(svgs[name])}</figure>` : '';
  const parts = [
    `<h1>${escapeHtml(input.title)}</h1>`,
    factsTable(facts),
    section(
      'Diagnosis',
      `<div class="diagnosis ${d.verdict}"><p><b>${escapeHtml(d.verdict.replace('-', ' '))}</b>: ${escapeHtml(d.summary)}</p>` +
        `<ul>${d.evidence.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>` +
        (d.nextSteps.length
          ? `<p>Next step (the recipe):</p><ol>${d.nextSteps.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ol>`
          : '') +
        `</div>`,
    ),
    section(
      'Training curves',
      `<div class="plots">${plot('loss.svg')}${plot('accuracy.svg')}${plot('lr.svg')}</div>`,
    ),
  ];
  if (input.confusion) {
    parts.push(
      section(
        'Test set',
        `<div class="plots">${plot('confusion.svg')}${plot('per-class.svg')}</div>`,
      ),
    );
  }
  if (input.misclassified && input.misclassified.length > 0) {
    parts.push(
      section(
        `Misclassified test images (${input.misclassified.length} shown)`,
        misclassifiedGrid(input.misclassified, input.classNames),
      ),
    );
  }
  parts.push(section('Epochs', epochTable(input.epochs)));
  if (input.spec !== undefined) {
    parts.push(
      section(
        'Model spec and options',
        `<pre>${escapeHtml(JSON.stringify(input.spec, null, 2))}</pre>`,
      ),
    );
  }
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(input.title)}</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body>
${parts.join('\n')}
<footer><p style="color:#888;font-size:12px">Generated by labkit. Self-contained: no scripts, no network.</p></footer>
</body></html>
`;
  return { html, svgs };
}
