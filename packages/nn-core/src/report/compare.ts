/**
 * `labkit report RUN1 RUN2 ...`: the runs overlaid, one colour per run, and a table of the settings
 * in which they differ with their results.
 */
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../model/atomic.js';
import { readRunMetrics } from '../recipe/run-diagnosis.js';
import type { EpochMetrics } from '../train/fit.js';
import type { RunRecord } from '../train/run.js';
import { COMPARISON_SVGS, REPORT_HTML } from '../train/run-files.js';
import { readRunRecord } from '../train/run-record.js';
import { lineChartSpec, renderSvg, type Series } from './charts.js';
import { reportPage } from './html.js';
import { escapeHtml, percent } from './sections.js';
import {
  readStepLosses,
  STEP_LOSS_SMOOTHING,
  smoothStepLosses,
  stepsPerEpochOf,
} from './step-losses.js';

export interface ComparedRun {
  /** Legend name: the directory's name (its whole path when two names clash). */
  name: string;
  dir: string;
  record: RunRecord;
  metrics: EpochMetrics[];
  /** Per-step training loss, when the run recorded it. */
  stepLosses?: number[];
}

/** Reads the runs to compare; each must hold `run.json` and `metrics.jsonl`. */
export async function gatherComparison(runDirs: readonly string[]): Promise<ComparedRun[]> {
  const names = runDirs.map((d) => basename(d));
  return Promise.all(
    runDirs.map(async (dir, i) => {
      const name =
        names.indexOf(names[i] as string) === names.lastIndexOf(names[i] as string)
          ? (names[i] as string)
          : dir;
      const steps = await readStepLosses(dir);
      return {
        name,
        dir,
        record: await readRunRecord(dir),
        metrics: await readRunMetrics(dir),
        ...(steps ? { stepLosses: steps.losses } : {}),
      };
    }),
  );
}

/** Leaves of a JSON value as `path -> text`, e.g. `spec.hidden -> [512,256]`. */
function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, JSON.stringify(value ?? null));
}

/** The settings (from each run's stored config) whose values are not the same in every run. */
export function differingSettings(
  runs: readonly ComparedRun[],
): { key: string; values: string[] }[] {
  const flat = runs.map((r) => {
    const m = new Map<string, string>();
    flatten(r.record.config, '', m);
    m.set('trainSamples', String(r.record.trainSamples));
    return m;
  });
  const keys = [...new Set(flat.flatMap((m) => [...m.keys()]))].sort();
  return keys
    .map((key) => ({ key, values: flat.map((m) => m.get(key) ?? '(unset)') }))
    .filter((row) => new Set(row.values).size > 1);
}

/** The training-loss curve of a run: smoothed per step (x in epochs), else the epoch means. */
function trainCurve(r: ComparedRun): Series {
  if (r.stepLosses && r.stepLosses.length > 0) {
    const perEpoch = stepsPerEpochOf(r.record);
    return {
      name: r.name,
      points: smoothStepLosses(r.stepLosses).map((l, i) => [(i + 1) / perEpoch, l] as const),
      dots: false,
    };
  }
  return { name: r.name, points: r.metrics.map((m) => [m.epoch, m.trainLoss] as const) };
}

export async function renderComparison(
  runs: readonly ComparedRun[],
): Promise<{ html: string; svgs: Record<string, string> }> {
  const chart = (title: string, yTitle: string, series: Series[], yFormat?: string) =>
    renderSvg(
      lineChartSpec({
        title,
        xTitle: 'epoch',
        yTitle,
        series,
        legendColumns: 1,
        width: 460,
        ...(yFormat ? { yFormat } : {}),
      }),
    );
  const perEpoch = (f: (m: EpochMetrics) => number | null) =>
    runs.map((r) => ({
      name: r.name,
      points: r.metrics.map((m) => [m.epoch, f(m) ?? Number.NaN] as const),
      dots: true,
    }));
  const svgs: Record<string, string> = {
    [COMPARISON_SVGS.trainLoss]: await chart(
      `Training loss (smoothed per step, EMA ${STEP_LOSS_SMOOTHING})`,
      'cross-entropy loss',
      runs.map(trainCurve),
    ),
    [COMPARISON_SVGS.valLoss]: await chart(
      'Validation loss',
      'cross-entropy loss',
      perEpoch((m) => m.valLoss),
    ),
    [COMPARISON_SVGS.valAccuracy]: await chart(
      'Validation accuracy',
      'accuracy',
      perEpoch((m) => m.valAccuracy),
      '~%',
    ),
  };
  const plot = (name: string) =>
    `<figure class="plot" data-plot="${name}">${(svgs[name] as string).replace(/^<\?xml[^>]*>\s*/, '')}</figure>`;
  const head = runs.map((r) => `<th>${escapeHtml(r.name)}</th>`).join('');
  const row = (label: string, cells: string[]) =>
    `<tr><th>${escapeHtml(label)}</th>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
  const results = [
    row(
      'status',
      runs.map((r) => r.record.status),
    ),
    row(
      'epochs run',
      runs.map((r) => String(r.metrics.length)),
    ),
    row(
      'test accuracy',
      runs.map((r) => (r.record.testAccuracy == null ? '-' : percent(r.record.testAccuracy, 2))),
    ),
    row(
      'best validation accuracy',
      runs.map(
        (r) =>
          percent(
            Math.max(...r.metrics.map((m) => m.valAccuracy ?? Number.NaN).filter(Number.isFinite)),
          ) || '-',
      ),
    ),
    row(
      'training time',
      runs.map((r) => `${r.metrics.reduce((s, m) => s + m.seconds, 0).toFixed(1)} s`),
    ),
  ];
  const differing = differingSettings(runs).map((d) => row(d.key, d.values));
  const table =
    `<div class="scroll"><table class="compare"><thead><tr><th></th>${head}</tr></thead><tbody>` +
    `<tr><th colspan="${runs.length + 1}">results</th></tr>${results.join('')}` +
    `<tr><th colspan="${runs.length + 1}">settings that differ</th></tr>${
      differing.length
        ? differing.join('')
        : row(
            '(none)',
            runs.map(() => ''),
          )
    }` +
    `</tbody></table></div>`;
  const title = `labkit: ${runs.length} runs compared`;
  const parts = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${runs.map((r) => `<b>${escapeHtml(r.name)}</b>: ${escapeHtml(r.dir)}`).join('<br>')}</p>`,
    `<section id="curves"><h2>Curves</h2><div class="plots">${Object.values(COMPARISON_SVGS).map(plot).join('')}</div></section>`,
    `<section id="settings"><h2>Results and settings</h2>${table}</section>`,
  ];
  return { html: reportPage(title, parts), svgs };
}

/** Writes `report.html` and the overlay SVGs into `outDir`; returns their paths (the page last). */
export async function writeComparison(
  runDirs: readonly string[],
  outDir: string,
): Promise<string[]> {
  const { html, svgs } = await renderComparison(await gatherComparison(runDirs));
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const [name, svg] of Object.entries(svgs)) {
    await writeFileAtomic(join(outDir, name), svg);
    written.push(join(outDir, name));
  }
  await writeFileAtomic(join(outDir, REPORT_HTML), html);
  written.push(join(outDir, REPORT_HTML));
  return written;
}
